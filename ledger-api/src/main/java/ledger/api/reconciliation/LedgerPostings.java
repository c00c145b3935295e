package ledger.api.reconciliation;

import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.domain.model.AccountKind;
import ledger.domain.model.Side;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.projections.LedgerQueries.EntryRow;
import ledger.sagas.reconciliation.ContinuousMatching.Posting;
import ledger.sagas.reconciliation.ContinuousMatching.PostingSource;

/**
 * An account's postings so far, from its statement (the history read model), for the matcher when
 * the account first becomes reconciled. Money into the account (its normal side for an asset) is
 * positive.
 */
final class LedgerPostings implements PostingSource {
    /** Statement lines read per query. */
    static final int PAGE = 1_000;
    /** A bound on what one account brings in at once. */
    static final int POSTINGS_MAX = 1_000_000;

    private final LedgerQueries queries;

    LedgerPostings(LedgerQueries queries) {
        this.queries = queries;
    }

    @Override
    public java.util.Optional<ledger.sagas.reconciliation.ContinuousMatching.LedgerAccount> account(String tenant,
                                                                                                     String accountId) {
        return queries.account(tenant, accountId).map(a ->
                new ledger.sagas.reconciliation.ContinuousMatching.LedgerAccount(a.currency(), a.status()));
    }

    @Override
    public Map<String, String> metadata(String tenant, String transferId) {
        return queries.transfer(tenant, transferId).map(t -> t.metadata() == null ? Map.<String, String>of() : t.metadata())
                .orElse(Map.of());
    }

    @Override
    public List<Posting> postings(String tenant, String accountId) {
        AccountRow account = queries.account(tenant, accountId).orElse(null);
        if (account == null) {
            return List.of();
        }
        Side in = AccountKind.valueOf(account.kind()).normalSide();
        List<Posting> postings = new ArrayList<>();
        long after = 0;
        while (postings.size() < POSTINGS_MAX) {
            List<EntryRow> page = queries.statement(tenant, accountId, after, PAGE);
            for (EntryRow line : page) {
                after = line.seq();
                // posted at once, or a pending transfer posted later (the amount actually posted)
                if (line.amount() == 0 || line.transferId() == null || !("posted".equals(line.entryType())
                        || "pending_posted".equals(line.entryType()))) {
                    continue;
                }
                BigDecimal amount = BigDecimal.valueOf(line.amount(), account.scale());
                boolean moneyIn = in.name().equalsIgnoreCase(line.side());
                Map<String, String> metadata = queries.transfer(tenant, line.transferId())
                        .map(t -> t.metadata() == null ? Map.<String, String>of() : t.metadata()).orElse(Map.of());
                if (metadata.containsKey(ledger.sagas.reconciliation.ContinuousMatching.RESOLVES_BREAK)) {
                    continue;
                }
                postings.add(new Posting(line.transferId(), accountId, moneyIn ? amount : amount.negate(),
                        account.currency(), metadata.getOrDefault(ledger.sagas.reconciliation.ContinuousMatching.VALUE_DATE,
                        line.occurredAt().atZoneSameInstant(ZoneOffset.UTC).toLocalDate().toString()),
                        metadata.getOrDefault("reference", line.transferId()), metadata.get("counterparty")));
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        return postings;
    }
}
