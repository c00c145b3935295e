package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The transfer index of V11 (a row per transfer and one per account it moves) becomes V20's one row per
 * transfer: the first two of its accounts (in id order, V11 kept no leg order) in the row, the others
 * left in {@code transfer_index_account}, empty metadata NULL, status and creation time kept.
 */
class TransferIndexMigrationIT extends ScratchDatabaseIT {
    @Test
    void theIndexOfV11BecomesOneRowPerTransfer() throws SQLException {
        migrate("18");
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("""
                    INSERT INTO transfer_index (tenant, transfer_id, kind, status, created_at, metadata, reversal_of)
                    VALUES ('t', 'two', 'transfer', 'POSTED', '2026-01-01 10:00:00.123456Z', '{}', NULL),
                           ('t', 'four', 'entry', 'PENDING', '2026-01-01 10:00:01Z', '{"order": "o-1"}', NULL),
                           ('u', 'two', 'reversal', 'VOIDED', '2026-01-01 10:00:02Z', '{}', 'x')""");
            s.execute("""
                    INSERT INTO transfer_index_account (tenant, account_id, created_at, transfer_id)
                    VALUES ('t', 'wallet', '2026-01-01 10:00:00.123456Z', 'two'),
                           ('t', 'cash', '2026-01-01 10:00:00.123456Z', 'two'),
                           ('t', 'd', '2026-01-01 10:00:01Z', 'four'), ('t', 'b', '2026-01-01 10:00:01Z', 'four'),
                           ('t', 'c', '2026-01-01 10:00:01Z', 'four'), ('t', 'a', '2026-01-01 10:00:01Z', 'four'),
                           ('u', 'wallet', '2026-01-01 10:00:02Z', 'two'), ('u', 'cash', '2026-01-01 10:00:02Z', 'two')""");
        }
        migrate(null);
        try (Connection c = connect(); Statement s = c.createStatement()) {
            assertThat(rows(s, """
                    SELECT tenant, transfer_id, to_char(created_at AT TIME ZONE 'UTC', 'HH24:MI:SS.US'), status,
                           account_a, account_b, metadata::text
                    FROM transfer_index ORDER BY tenant, created_at""")).containsExactly(
                    "t two 10:00:00.123456 POSTED cash wallet null",
                    "t four 10:00:01.000000 PENDING a b {\"order\": \"o-1\"}",
                    "u two 10:00:02.000000 VOIDED cash wallet null");
            assertThat(rows(s, "SELECT tenant, transfer_id, account_id FROM transfer_index_account ORDER BY account_id"))
                    .containsExactly("t four c", "t four d");
            assertThatThrownBy(() -> s.execute("SELECT kind, reversal_of FROM transfer_index"))
                    .as("the columns no query read are gone").isInstanceOf(SQLException.class);
            // no metadata is NULL, never an empty object (the GIN index holds only transfers with some)
            assertThatThrownBy(() -> s.execute("INSERT INTO transfer_index (tenant, created_at, transfer_id, status,"
                    + " account_a, metadata) VALUES ('t', now(), 'x', 'POSTED', 'a', '{}')"))
                    .isInstanceOf(SQLException.class);
            assertThat(rows(s, """
                    SELECT indexname FROM pg_indexes WHERE tablename IN ('transfer_index', 'transfer_index_account')
                    ORDER BY indexname""")).containsExactly("transfer_index_account_a", "transfer_index_account_b",
                    "transfer_index_account_pkey", "transfer_index_metadata", "transfer_index_pkey",
                    "transfer_index_status");
        }
    }

    private static List<String> rows(Statement s, String sql) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            int columns = r.getMetaData().getColumnCount();
            while (r.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= columns; i++) {
                    row.append(i > 1 ? " " : "").append(r.getString(i));
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
