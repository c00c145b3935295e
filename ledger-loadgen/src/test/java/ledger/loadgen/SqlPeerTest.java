package ledger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --protocol sql} against a real (embedded) PostgreSQL. */
class SqlPeerTest {
    private static EmbeddedPostgres postgres;
    private static SqlPeer.Database database;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
        database = new SqlPeer.Database("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
                "postgres", null);
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void twoClientsOverHotAccountsInTwoCurrenciesKeepTheBooks() throws Exception {
        String out = runExpectingSuccess("--clients", "2", "--hot", "3", "--currencies", "EUR,USD",
                "--duration", "2s", "--warmup", "1s");
        assertThat(out).contains("books EUR:", "books USD:").doesNotContain("MISMATCH");
        assertThat(count("SELECT count(*) FROM sql_peer.transfers")).isPositive();
        assertThat(count("SELECT count(*) FROM sql_peer.accounts")).isEqualTo(6);
    }

    @Test
    void batchesOverHotAccountsKeepTheBooks() throws Exception {
        String out = runExpectingSuccess("--clients", "2", "--hot", "3", "--batch", "25", "--duration", "2s",
                "--warmup", "1s");
        assertThat(out).contains("books EUR:").doesNotContain("MISMATCH");
        assertThat(count("SELECT count(*) FROM sql_peer.transfers") % 25).isZero();
    }

    @Test
    void aUsedTransferIdIsRefusedWithoutPostingTwice() throws Exception {
        runExpectingSuccess("--clients", "2", "--hot", "2", "--duration", "1s", "--warmup", "0s");
        Transport.Transfer posted;
        try (Connection c = database.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT id, debit, credit, amount, currency FROM sql_peer.transfers LIMIT 1")) {
            assertThat(rs.next()).isTrue();
            posted = new Transport.Transfer(rs.getString(1), rs.getString(2), rs.getString(3),
                    rs.getBigDecimal(4).toPlainString(), rs.getString(5));
        }
        String before = books();
        try (SqlTransport transport = new SqlTransport(database)) {
            assertThat(transport.submit(List.of(posted))).containsExactly(Transport.Outcome.refused("duplicate"));
            // in a batch too, also against a transfer of the same batch
            Transport.Transfer fresh = new Transport.Transfer("fresh-1", posted.credit(), posted.debit(),
                    posted.amount(), posted.currency());
            assertThat(transport.submit(List.of(posted, fresh, fresh))).containsExactly(
                    Transport.Outcome.refused("duplicate"), Transport.Outcome.CREATED,
                    Transport.Outcome.refused("duplicate"));
            // undo fresh-1 so the books compare equal
            Transport.Transfer back = new Transport.Transfer("back-1", posted.debit(), posted.credit(),
                    posted.amount(), posted.currency());
            assertThat(transport.submit(List.of(back))).containsExactly(Transport.Outcome.CREATED);
        }
        assertThat(count("SELECT count(*) FROM sql_peer.transfers WHERE id = '" + posted.id() + "'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sql_peer.entries WHERE transfer_id = '" + posted.id() + "'"))
                .isEqualTo(2);
        assertThat(count("SELECT count(*) FROM sql_peer.entries WHERE transfer_id = 'fresh-1'")).isEqualTo(2);
        assertThat(books()).isEqualTo(before);
    }

    @Test
    void aDuplicateRacingTheFirstWaitsForItAndPostsNothing() throws Exception {
        SqlPeer.install(database);
        try (SqlTransport transport = new SqlTransport(database); Connection first = database.connect()) {
            transport.openAccount("x", "EUR", "LIABILITY", "unlimited");
            transport.openAccount("y", "EUR", "LIABILITY", "unlimited");
            transport.openAccount("z", "USD", "LIABILITY", "unlimited");
            transport.openAccount("w", "EUR", "ASSET", "0");
            first.setAutoCommit(false);
            try (Statement s = first.createStatement();
                 ResultSet rs = s.executeQuery("SELECT sql_peer.post_transfer('race-1', 'x', 'y', 1.00, 'EUR')")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("ok");
            }
            Transport.Transfer again = new Transport.Transfer("race-1", "x", "y", "1.00", "EUR");
            CompletableFuture<List<Transport.Outcome>> second;
            try (SqlTransport other = new SqlTransport(database)) {
                second = CompletableFuture.supplyAsync(() -> other.submit(List.of(again)));
                while (count("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'") == 0) {
                    assertThat(second).isNotDone();
                    Thread.sleep(10);
                }
                first.commit();
                assertThat(second.get()).containsExactly(Transport.Outcome.refused("duplicate"));
            }
            assertThat(transport.submit(List.of(new Transport.Transfer("t-2", "x", "z", "1.00", "EUR"))))
                    .containsExactly(Transport.Outcome.refused("currency_mismatch"));
            assertThat(transport.submit(List.of(new Transport.Transfer("t-3", "w", "x", "1.00", "EUR"))))
                    .containsExactly(Transport.Outcome.refused("insufficient_funds"));
            assertThat(transport.submit(List.of(new Transport.Transfer("t-4", "x", "nope", "1.00", "EUR"))))
                    .containsExactly(Transport.Outcome.refused("account_not_found"));
        }
        assertThat(count("SELECT count(*) FROM sql_peer.transfers")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM sql_peer.entries")).isEqualTo(2);
        assertThat(books()).isEqualTo("w 0|x -1.00|y 1.00|z 0");
    }

    private static String runExpectingSuccess(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("--protocol", "sql", "--jdbc-url", database.url(),
                "--accounts", "10"));
        all.addAll(List.of(args));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(new Tee(original, captured), true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = new CommandLine(new LoadGenerator()).execute(all.toArray(String[]::new));
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(out).isZero();
        return out;
    }

    private static long count(String sql) throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Every account's balance, in id order. */
    private static String books() throws SQLException {
        try (Connection c = database.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT string_agg(id || ' ' || balance, '|' ORDER BY id) FROM sql_peer.accounts")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Writes to the console and keeps a copy. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            first.write(b, off, len);
            second.write(b, off, len);
        }
    }
}
