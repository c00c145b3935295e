package ledger.loadgen;

import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * The hand-written SQL peer ({@code --protocol sql}): one JDBC connection per client, one call of
 * {@code sql_peer.post_transfer} per transfer. A single transfer is one autocommitted
 * {@code SELECT post_transfer(...)}. A batch is one transaction, as a hand-written ledger would post
 * it: first it locks every account the batch touches in id order (so batches over hot accounts
 * cannot deadlock), then it calls {@code post_transfer} once per transfer in one statement over
 * arrays, then commits; a failed transaction refuses each of its transfers with the SQL state.
 */
final class SqlTransport implements Transport {
    static final int BATCH_MAX = GrpcTransport.BATCH_MAX;

    private final Connection connection;
    private final PreparedStatement postOne;
    private final PreparedStatement lockAccounts;
    private final PreparedStatement postMany;
    private final PreparedStatement open;

    SqlTransport(SqlPeer.Database database) {
        try {
            connection = database.connect();
            postOne = connection.prepareStatement("SELECT sql_peer.post_transfer(?, ?, ?, ?, ?)");
            lockAccounts = connection.prepareStatement(
                    "SELECT id FROM sql_peer.accounts WHERE id = ANY (?) ORDER BY id FOR UPDATE");
            postMany = connection.prepareStatement("SELECT t.n, sql_peer.post_transfer(t.id, t.debit, t.credit, "
                    + "t.amount, t.currency) FROM unnest(?::text[], ?::text[], ?::text[], ?::numeric[], ?::text[]) "
                    + "WITH ORDINALITY AS t (id, debit, credit, amount, currency, n)");
            open = connection.prepareStatement(
                    "INSERT INTO sql_peer.accounts (id, currency, overdraft_limit) VALUES (?, ?, ?)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prepare the SQL peer's statements: " + e.getMessage(), e);
        }
    }

    @Override
    public List<Outcome> submit(List<Transfer> transfers) {
        try {
            return transfers.size() == 1 ? List.of(postOne(transfers.get(0))) : postMany(transfers);
        } catch (SQLException failed) {
            Outcome refused = Outcome.refused("sql " + failed.getSQLState());
            List<Outcome> outcomes = new ArrayList<>(transfers.size());
            transfers.forEach(t -> outcomes.add(refused));
            return outcomes;
        }
    }

    private Outcome postOne(Transfer t) throws SQLException {
        postOne.setString(1, t.id());
        postOne.setString(2, t.debit());
        postOne.setString(3, t.credit());
        postOne.setBigDecimal(4, new BigDecimal(t.amount()));
        postOne.setString(5, t.currency());
        try (ResultSet rs = postOne.executeQuery()) {
            rs.next();
            return outcome(rs.getString(1));
        }
    }

    private List<Outcome> postMany(List<Transfer> transfers) throws SQLException {
        int n = transfers.size();
        String[] ids = new String[n];
        String[] debits = new String[n];
        String[] credits = new String[n];
        BigDecimal[] amounts = new BigDecimal[n];
        String[] currencies = new String[n];
        TreeSet<String> accounts = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Transfer t = transfers.get(i);
            ids[i] = t.id();
            debits[i] = t.debit();
            credits[i] = t.credit();
            amounts[i] = new BigDecimal(t.amount());
            currencies[i] = t.currency();
            accounts.add(t.debit());
            accounts.add(t.credit());
        }
        Outcome[] outcomes = new Outcome[n];
        connection.setAutoCommit(false);
        try {
            lockAccounts.setArray(1, connection.createArrayOf("text", accounts.toArray()));
            try (ResultSet rs = lockAccounts.executeQuery()) {
                while (rs.next()) {
                    // the rows are locked as they are read
                }
            }
            List<Array> arrays = List.of(connection.createArrayOf("text", ids),
                    connection.createArrayOf("text", debits), connection.createArrayOf("text", credits),
                    connection.createArrayOf("numeric", amounts), connection.createArrayOf("text", currencies));
            for (int i = 0; i < arrays.size(); i++) {
                postMany.setArray(i + 1, arrays.get(i));
            }
            try (ResultSet rs = postMany.executeQuery()) {
                while (rs.next()) {
                    outcomes[(int) rs.getLong(1) - 1] = outcome(rs.getString(2));
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
        if (Arrays.asList(outcomes).contains(null)) {
            throw new IllegalStateException("sent " + n + " transfers, some got no answer");
        }
        return Arrays.asList(outcomes);
    }

    private static Outcome outcome(String answer) {
        return "ok".equals(answer) ? Outcome.CREATED : Outcome.refused(answer);
    }

    /** {@code kind} is not modelled by the peer; an overdraft limit of {@code unlimited} is stored as null. */
    @Override
    public void openAccount(String id, String currency, String kind, String overdraftLimit) {
        try {
            open.setString(1, id);
            open.setString(2, currency);
            open.setBigDecimal(3, "unlimited".equals(overdraftLimit) ? null : new BigDecimal(overdraftLimit));
            open.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open account " + id + ": " + e.getMessage(), e);
        }
    }

    @Override
    public int batchMax() {
        return BATCH_MAX;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}
