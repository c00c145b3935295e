package ledger.reconciliation.matching;

import java.time.ZoneId;
import ledger.reconciliation.processor.ProcessorRecord;
import ledger.reconciliation.statement.StatementEntry;
import ledger.reconciliation.statement.StatementInfo;

/**
 * Turns parsed records into {@link MatchItem}s. Which field serves as the reference is a choice;
 * these are the defaults docs/reconciliation.md describes, and a caller may build items its own way.
 */
public final class MatchItems {
    private MatchItems() {
    }

    /**
     * A bank statement entry. Id: {@code fileId/statementId/index}, so give each file a stable id (its
     * digest). Reference: the end-to-end id, else the account owner's reference (MT940), else the
     * structured creditor reference. Counterparty: the other party's account (names vary too much
     * to compare).
     */
    public static MatchItem bankEntry(String fileId, StatementInfo statement, StatementEntry entry) {
        String reference = entry.endToEndId() != null ? entry.endToEndId()
                : entry.ownerReference() != null ? entry.ownerReference()
                : entry.details().size() == 1 ? entry.details().get(0).creditorReference() : null;
        String date = (entry.valueDate() != null ? entry.valueDate() : entry.bookingDate()).toString();
        return new MatchItem(ItemKey.of(Side.BANK, fileId + "/" + entry.statementId() + "/" + entry.index()),
                reference, null, entry.signedAmount(), entry.currency(), date,
                statement.account() == null ? null : statement.account().value(), entry.counterpartyAccount());
    }

    /**
     * A processor record: its net amount (what reaches the bank), the source object (charge,
     * refund) as reference, its payout as group, the report's name as our account there, and the
     * day it was created in {@code zone}.
     */
    public static MatchItem processorRecord(ProcessorRecord record, ZoneId zone) {
        return new MatchItem(ItemKey.of(Side.PROCESSOR, record.recordId()), record.sourceId(), record.payoutId(),
                record.net(), record.currency(), record.created().atZone(zone).toLocalDate().toString(),
                record.report(), null);
    }
}
