package ledger.loadgen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The hand-written SQL ledger in schema {@code sql_peer} ({@code sql-peer.sql}): installing it
 * afresh and checking its books after a run.
 */
final class SqlPeer {
    static final String SCHEMA = "sql_peer";

    private SqlPeer() {
    }

    /** Where the peer lives; each {@link #connect()} is a new autocommit connection. */
    record Database(String url, String user, String password) {
        Connection connect() throws SQLException {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            if (password != null) {
                properties.setProperty("password", password);
            }
            properties.setProperty("ApplicationName", "ledger-loadgen sql peer");
            return DriverManager.getConnection(url, properties);
        }
    }

    /** Drops schema {@code sql_peer} with everything in it and creates the tables and the function. */
    static void install(Database database) throws SQLException {
        String script;
        try (InputStream in = SqlPeer.class.getResourceAsStream("sql-peer.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            statement.execute(script);
        }
    }

    /** The server and the settings that make its commits durable (or not), for the run's header. */
    static String describe(Database database) throws SQLException {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT current_setting('server_version'), "
                     + "current_setting('fsync'), current_setting('synchronous_commit')")) {
            rs.next();
            return "PostgreSQL " + rs.getString(1) + ", fsync " + rs.getString(2) + ", synchronous_commit "
                    + rs.getString(3);
        }
    }

    /**
     * The books, per currency: balances sum to zero, debits equal credits equal the acknowledged
     * transfers times the amount, and the peer holds exactly the acknowledged transfers (two
     * entries each). Prints one line per currency.
     */
    static boolean checkBooks(Database database, List<String> currencies, BigDecimal amount,
                              Map<String, AtomicLong> acknowledgedByCurrency) throws SQLException {
        Map<String, BigDecimal> balances = new HashMap<>();
        Map<String, long[]> transfers = new HashMap<>();
        Map<String, BigDecimal[]> postings = new HashMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            // one snapshot for the three queries
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (ResultSet rs = statement.executeQuery(
                    "SELECT currency, sum(balance) FROM sql_peer.accounts GROUP BY currency")) {
                while (rs.next()) {
                    balances.put(rs.getString(1), rs.getBigDecimal(2));
                }
            }
            try (ResultSet rs = statement.executeQuery(
                    "SELECT currency, count(*) FROM sql_peer.transfers GROUP BY currency")) {
                while (rs.next()) {
                    transfers.put(rs.getString(1), new long[] {rs.getLong(2)});
                }
            }
            try (ResultSet rs = statement.executeQuery("SELECT t.currency, "
                    + "coalesce(sum(e.amount) FILTER (WHERE e.side = 'D'), 0), "
                    + "coalesce(sum(e.amount) FILTER (WHERE e.side = 'C'), 0), count(*) "
                    + "FROM sql_peer.entries e JOIN sql_peer.transfers t ON t.id = e.transfer_id GROUP BY t.currency")) {
                while (rs.next()) {
                    postings.put(rs.getString(1), new BigDecimal[] {rs.getBigDecimal(2), rs.getBigDecimal(3),
                            BigDecimal.valueOf(rs.getLong(4))});
                }
            }
            connection.commit();
        }
        boolean ok = true;
        for (String currency : currencies) {
            long acknowledged = acknowledgedByCurrency.get(currency).get();
            BigDecimal expected = amount.multiply(BigDecimal.valueOf(acknowledged));
            BigDecimal balance = balances.getOrDefault(currency, BigDecimal.ZERO);
            long count = transfers.getOrDefault(currency, new long[1])[0];
            BigDecimal[] p = postings.getOrDefault(currency,
                    new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO});
            boolean good = balance.signum() == 0 && p[0].compareTo(expected) == 0 && p[1].compareTo(expected) == 0
                    && count == acknowledged && p[2].longValueExact() == 2 * acknowledged;
            ok &= good;
            System.out.printf("books %s: balances sum to %s, debits %s, credits %s, %d transfers with %s entries;"
                            + " expected acknowledged %d transfers = %s -> %s%n", currency, balance.toPlainString(),
                    p[0].toPlainString(), p[1].toPlainString(), count, p[2].toPlainString(), acknowledged,
                    expected.toPlainString(), good ? "ok" : "MISMATCH");
        }
        return ok;
    }
}
