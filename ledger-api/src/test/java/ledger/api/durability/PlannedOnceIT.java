package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;
import ledger.api.LedgerServiceIT;
import ledger.projections.Jdbc;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * {@link Jdbc#queryLongsPlannedOnce}, which the batch's one write statement runs through
 * (docs/performance.md, "The batch statement's plan"): on one connection, once pgjdbc has prepared
 * the statement on the server, PostgreSQL runs the plan it made once from the first run on; through
 * {@link Jdbc#queryLongs} it plans at least the first five runs anew, and then decides by cost.
 */
class PlannedOnceIT extends LedgerServiceIT {
    private static final String STATEMENT = """
            SELECT /* %s */ count(*), count(a.account_id)
            FROM unnest(?::varchar[], ?::varchar[]) AS u(tenant, account_id)
            LEFT JOIN ledger_account a ON a.tenant = u.tenant AND a.account_id = u.account_id""";
    /** pgjdbc prepares a statement on the server at its 5th run on a connection; then PostgreSQL counts plans. */
    private static final int RUNS = 12;

    @Autowired
    private DataSource dataSource;

    @Test
    void theStatementIsPlannedOnceAndRunWithThatPlan() throws SQLException {
        Plans plans = runInATransaction("planned-once", true);
        assertThat(plans.generic()).as("runs on the plan made once").isGreaterThanOrEqualTo(RUNS - 5);
        assertThat(plans.custom()).as("runs planned anew").isZero();
    }

    @Test
    void leftToItselfPostgresqlPlansAPreparedStatementAnewAtLeastFiveTimes() throws SQLException {
        // and at every run after those while its generic plan looks dearer than the plans for the
        // arrays at hand, as the batch's statement of many parts did (0.74 ms of planning a batch)
        Plans plans = runInATransaction("planned-each-time", false);
        assertThat(plans.custom()).as("runs planned anew").isGreaterThanOrEqualTo(5);
    }

    private record Plans(long generic, long custom) {
    }

    private Plans runInATransaction(String marker, boolean plannedOnce) throws SQLException {
        String sql = STATEMENT.formatted(marker);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                DSLContext dsl = DSL.using(c, SQLDialect.POSTGRES);
                for (int i = 0; i < RUNS; i++) {
                    Object[] parameters = {new Jdbc.Array("varchar", new String[] {"t", "t", "t"}),
                            new Jdbc.Array("varchar", new String[] {"a-" + i, "b-" + i, "c-" + i})};
                    long[] row = plannedOnce ? Jdbc.queryLongsPlannedOnce(dsl, sql, parameters)
                            : Jdbc.queryLongs(dsl, sql, parameters);
                    assertThat(row).containsExactly(3, 0);
                }
                try (PreparedStatement q = c.prepareStatement("""
                        SELECT coalesce(sum(generic_plans), 0), coalesce(sum(custom_plans), 0)
                        FROM pg_prepared_statements WHERE statement LIKE ?""")) {
                    q.setString(1, "%/* " + marker + " */%");
                    try (ResultSet r = q.executeQuery()) {
                        r.next();
                        return new Plans(r.getLong(1), r.getLong(2));
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
    }
}
