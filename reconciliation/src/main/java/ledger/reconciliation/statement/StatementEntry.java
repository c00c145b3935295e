package ledger.reconciliation.statement;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * One booked (or pending) line of a statement, as the parsers push it to a {@link StatementListener}.
 *
 * <p>{@code amount} is positive with exactly the currency's ISO 4217 minor units; {@code direction}
 * says whether it came in or went out and {@code reversal} marks a storno (MT940 {@code RC}/{@code RD},
 * camt {@code RvslInd}). The reference fields at the top are the entry's own or, when the entry has
 * exactly one transaction, that transaction's; a batch lists every transaction in {@code details}.
 * {@code location} names where it came from (MT940 line number, camt element path).
 */
public record StatementEntry(
        String statementId,
        int index,
        String location,
        Direction direction,
        boolean reversal,
        BigDecimal amount,
        String currency,
        LocalDate bookingDate,
        LocalDate valueDate,
        String status,
        String bankTransactionCode,
        String accountServicerReference,
        String ownerReference,
        String endToEndId,
        String remittanceInformation,
        String counterpartyName,
        String counterpartyAccount,
        String supplementaryDetails,
        List<TransactionDetails> details) {

    public StatementEntry {
        details = List.copyOf(details);
    }

    /** The amount with its sign: positive for money in. */
    public BigDecimal signedAmount() {
        return direction == Direction.CREDIT ? amount : amount.negate();
    }
}
