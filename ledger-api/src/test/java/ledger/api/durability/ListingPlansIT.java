package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.OffsetDateTime;
import java.util.Map;
import ledger.api.LedgerServiceIT;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountFilter;
import ledger.projections.LedgerQueries.TransferFilter;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The list queries (docs/listing.md) use their indexes: the queries exactly as {@link LedgerQueries}
 * runs them, EXPLAINed by the real PostgreSQL on a seeded tenant (60,000 transfers over 600 accounts, a
 * tenth of them with a third account, 6,000 accounts) beside another tenant's rows. A plan that scans a
 * whole table fails, and so does one that sorts an account's or a status's transfers (more than a page).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ListingPlansIT extends LedgerServiceIT {
    private static final String TENANT = "plans-" + Long.toHexString(System.nanoTime());
    private static final String OTHER = TENANT + "-other";
    /** A plan node that sorts ("Sort Key:" of a Merge Append is not one). */
    private static final String SORT_NODE = "Sort +\\(cost";

    @Autowired
    private DSLContext dsl;
    @Autowired
    private LedgerQueries queries;

    @BeforeAll
    void seed() {
        for (String tenant : new String[] {TENANT, OTHER}) {
            // two accounts per transfer (each account in 200 transfers), and a third one for every 10th
            dsl.execute("""
                    INSERT INTO transfer_index (tenant, created_at, transfer_id, status, account_a, account_b, metadata)
                    SELECT ?, timestamptz '2026-01-01 00:00:00Z' + i * interval '1 second', 't-' || i,
                           CASE WHEN i % 200 = 0 THEN 'PENDING' ELSE 'POSTED' END,
                           'acc-' || (i % 600), 'acc-' || ((i + 1 + i / 600) % 600),
                           CASE WHEN i % 3 = 0 THEN NULL ELSE jsonb_build_object('order', 'o-' || i, 'channel',
                                CASE WHEN i % 2 = 0 THEN 'web' ELSE 'app' END) END
                    FROM generate_series(1, 60000) AS i""", tenant);
            dsl.execute("""
                    INSERT INTO transfer_index_account (tenant, account_id, created_at, transfer_id)
                    SELECT ?, 'acc-' || (600 + i % 600), timestamptz '2026-01-01 00:00:00Z' + i * interval '1 second',
                           't-' || i
                    FROM generate_series(10, 60000, 10) AS i""", tenant);
            dsl.execute("""
                    INSERT INTO ledger_account (tenant, account_id, currency, scale, kind, overdraft_limit, opened_at,
                                                metadata)
                    SELECT ?, 'acc-' || i, CASE WHEN i % 10 = 0 THEN 'USD' ELSE 'EUR' END, 2,
                           CASE WHEN i % 50 = 0 THEN 'REVENUE' ELSE 'LIABILITY' END, '0.00', now(),
                           jsonb_build_object('segment', 's-' || (i % 1000))
                    FROM generate_series(1, 6000) AS i""", tenant);
            dsl.execute("""
                    INSERT INTO account_line (tenant, account_id, seq, type, amount, debits_posted, credits_posted,
                                              debits_pending, credits_pending, status, occurred_at)
                    SELECT ?, 'acc-' || i, 0, 'opened', 0, 0, 0, 0, 0, 'OPEN', now()
                    FROM generate_series(1, 6000) AS i""", tenant);
        }
        dsl.execute("ANALYZE transfer_index");
        dsl.execute("ANALYZE transfer_index_account");
        dsl.execute("ANALYZE ledger_account");
        dsl.execute("ANALYZE account_line");
    }

    private String plan(Query query) {
        String plan = dsl.explain(query).plan();
        System.out.println("EXPLAIN " + query.getSQL() + "\n" + plan);
        return plan;
    }

    private static TransferFilter transfers(String account, String status, Map<String, String> metadata,
                                            OffsetDateTime from) {
        return new TransferFilter(account, status, from, null, metadata, null, null);
    }

    @Test
    void aTenantsTransfersArePagedInTheOrderOfTheKey() {
        String plan = plan(queries.transferPageQuery(TENANT, transfers(null, null, null, null), 101));
        assertThat(plan).contains("transfer_index_pkey").doesNotContain("Seq Scan").doesNotContainPattern(SORT_NODE);
        String after = plan(queries.transferPageQuery(TENANT, new TransferFilter(null, null,
                OffsetDateTime.parse("2026-01-01T10:00:00Z"), OffsetDateTime.parse("2026-01-01T11:00:00Z"), null,
                OffsetDateTime.parse("2026-01-01T10:30:00Z"), "t-1800"), 101));
        assertThat(after).contains("transfer_index_pkey").doesNotContain("Seq Scan").doesNotContainPattern(SORT_NODE);
        // POSTED (most transfers) is not in the status index: the key in order, the others skipped
        assertThat(plan(queries.transferPageQuery(TENANT, transfers(null, "POSTED", null, null), 101)))
                .contains("transfer_index_pkey").doesNotContain("Seq Scan").doesNotContainPattern(SORT_NODE);
    }

    @Test
    void anAccountsTransfersAreTheMergeOfItsThreeIndexesInOrder() {
        for (TransferFilter filter : new TransferFilter[] {transfers("acc-7", null, null, null),
                new TransferFilter("acc-607", null, OffsetDateTime.parse("2026-01-01T10:00:00Z"), null, null,
                        OffsetDateTime.parse("2026-01-01T10:30:00Z"), "t-1800"),
                transfers("acc-7", "PENDING", Map.of("channel", "web"), null)}) {
            String plan = plan(queries.transferPageQuery(TENANT, filter, 101));
            assertThat(plan).contains("transfer_index_account_a").contains("transfer_index_account_b")
                    .contains("transfer_index_account_pkey").contains("Merge Append")
                    .doesNotContain("Seq Scan").doesNotContainPattern(SORT_NODE);
        }
    }

    @Test
    void aRareStatusUsesTheStatusIndex() {
        String plan = plan(queries.transferPageQuery(TENANT, transfers(null, "PENDING", null, null), 101));
        assertThat(plan).contains("transfer_index_status").doesNotContain("Seq Scan").doesNotContainPattern(SORT_NODE);
    }

    @Test
    void aMetadataValueIsFoundThroughTheGinIndex() {
        String plan = plan(queries.transferPageQuery(TENANT, transfers(null, null, Map.of("order", "o-4243"), null),
                101));
        assertThat(plan).contains("transfer_index_metadata").doesNotContain("Seq Scan");
    }

    @Test
    void accountsArePagedByIdWithinTheirCurrencyOrKind() {
        assertThat(plan(queries.accountPageQuery(TENANT, new AccountFilter(null, null, null, null, null), 101)))
                .contains("ledger_account_pkey").contains("account_line_pkey").doesNotContain("Seq Scan");
        assertThat(plan(queries.accountPageQuery(TENANT, new AccountFilter("USD", null, null, null, "acc-100"), 101)))
                .contains("ledger_account_currency").doesNotContain("Seq Scan");
        assertThat(plan(queries.accountPageQuery(TENANT, new AccountFilter(null, "REVENUE", "OPEN", null, null), 101)))
                .contains("ledger_account_kind").doesNotContain("Seq Scan");
        assertThat(plan(queries.accountPageQuery(TENANT, new AccountFilter(null, null, null,
                java.util.Map.of("segment", "s-42"), null), 101)))
                .contains("ledger_account_metadata").doesNotContain("Seq Scan");
    }
}
