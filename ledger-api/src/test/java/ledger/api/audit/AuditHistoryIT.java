package ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.api.config.DataSourceConfig;
import ledger.projections.audit.AuditLogAppender;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/** History cannot be rewritten in place, and the audit log is written with its events and survives lost memory. */
class AuditHistoryIT extends AuditSupport {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Autowired
    private ObjectProvider<DataSourceConfig.EmbeddedServer> embedded;
    @Autowired
    private AuditLogAppender appender;

    @Test
    void theDatabaseRefusesUpdateDeleteAndTruncateOfHistory() throws SQLException {
        LedgerClient t = book("audit-sql");
        transfers(t, 14); // at least 16 events: a stored Merkle node (smaller ones are not stored)
        assertThat(awaitLog(t.tenant())).isGreaterThanOrEqualTo(16);
        t.post("/v1/audit/checkpoints", null, null);
        String tenant = "'" + t.tenant() + "'";
        List<String> statements = List.of(
                "UPDATE domain_event_entry SET payload = payload WHERE aggregate_identifier LIKE " + like(t),
                "DELETE FROM domain_event_entry WHERE aggregate_identifier LIKE " + like(t),
                "TRUNCATE domain_event_entry CASCADE",
                "UPDATE audit_log SET hash = hash WHERE tenant = " + tenant,
                "DELETE FROM audit_log WHERE tenant = " + tenant,
                "TRUNCATE audit_log",
                "UPDATE audit_merkle_node SET hash = hash WHERE tenant = " + tenant,
                "DELETE FROM audit_merkle_node WHERE tenant = " + tenant,
                "TRUNCATE audit_merkle_node",
                "UPDATE audit_checkpoint SET signature = signature WHERE tenant = " + tenant,
                "DELETE FROM audit_checkpoint WHERE tenant = " + tenant,
                "TRUNCATE audit_checkpoint",
                "DELETE FROM audit_key",
                "TRUNCATE audit_key",
                "UPDATE account_line SET amount = amount WHERE tenant = " + tenant,
                "DELETE FROM account_line WHERE tenant = " + tenant,
                "TRUNCATE account_line",
                // statements that match no row are refused as well
                "UPDATE domain_event_entry SET payload = payload WHERE false",
                "DELETE FROM audit_log WHERE tenant = 'no such tenant'",
                "UPDATE audit_merkle_node SET hash = hash WHERE level < 0",
                "DELETE FROM audit_checkpoint WHERE false",
                "UPDATE audit_key SET public_key = public_key WHERE false",
                "DELETE FROM account_line WHERE false");
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // if a statement were let through, the rollback below undoes it
            try {
                for (String sql : statements) {
                    assertThatThrownBy(() -> {
                        try (Statement s = c.createStatement()) {
                            s.execute("SAVEPOINT probe");
                            s.execute(sql);
                        }
                    }).as(sql).isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE);
                        assertThat(e.getMessage()).as(sql).contains("append-only");
                    });
                    try (Statement s = c.createStatement()) {
                        s.execute("ROLLBACK TO SAVEPOINT probe");
                    }
                }
            } finally {
                c.rollback();
                c.setAutoCommit(true);
            }
        }
        assertThat(cli("verify", export(t, ""), publicKey(t)).exitCode()).isZero();
    }

    /**
     * The migration revokes UPDATE, DELETE and TRUNCATE on history from a role that is not a
     * superuser: migrate a scratch database as such a role and try.
     */
    @Test
    void aNonSuperuserRoleLosesTheRightToRewriteHistory() throws SQLException {
        DataSourceConfig.EmbeddedServer server = embedded.getIfAvailable();
        Assumptions.assumeTrue(server != null, "needs the embedded PostgreSQL to create a role and a database");
        String role = "ledger_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE ROLE " + role + " LOGIN NOSUPERUSER");
            s.execute("CREATE DATABASE " + role + " OWNER " + role);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + role;
        Flyway.configure().dataSource(url, role, null).locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, role, null); Statement s = c.createStatement()) {
            s.execute("INSERT INTO audit_log (tenant, position, global_index, event_id, hash) "
                    + "VALUES ('t', 0, 1, 'e', decode(repeat('00', 32), 'hex'))");
            for (String sql : List.of("UPDATE audit_log SET hash = hash", "DELETE FROM audit_log",
                    "TRUNCATE audit_log", "UPDATE domain_event_entry SET payload = payload",
                    "DELETE FROM audit_checkpoint", "TRUNCATE audit_merkle_node", "DELETE FROM account_line")) {
                assertThatThrownBy(() -> s.execute(sql)).as(sql).isInstanceOfSatisfying(SQLException.class,
                        e -> {
                            assertThat(e.getSQLState()).as(sql).isEqualTo(INSUFFICIENT_PRIVILEGE);
                            assertThat(e.getMessage()).as(sql).contains("permission denied");
                        });
            }
        } finally {
            try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + role + " WITH (FORCE)");
                s.execute("DROP ROLE IF EXISTS " + role);
            }
        }
    }

    @Test
    void theLogIsWrittenWithItsEventsAndALostFrontierIsRebuilt() throws Exception {
        LedgerClient t = book("audit-inline");
        transfers(t, 2);
        // No waiting: each acknowledged write committed its events and their log positions together.
        long stored = count("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant' = ?", t.tenant());
        long size = count("SELECT count(*) FROM audit_log WHERE tenant = ?", t.tenant());
        assertThat(size).as("logged at once").isEqualTo(stored);
        assertThat(count("SELECT size FROM audit_head WHERE tenant = ?", t.tenant())).isEqualTo(size);
        String key = publicKey(t);

        appender.forgetFrontiers(); // as after a restart: the next append rebuilds it from the stored nodes
        transfers(t, 20); // past a stored node of 16 leaves
        long grown = count("SELECT count(*) FROM audit_log WHERE tenant = ?", t.tenant());
        assertThat(grown).isEqualTo(size + 20);
        CliResult cli = cli("verify", export(t, ""), key);
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
    }

    @Test
    void theGeneratedSigningKeyIsReadableByItsOwnerOnly() throws Exception {
        Path file = LedgerServiceIT.DATA_DIR.resolve("keys").resolve(AuditKeyFile.GENERATED_NAME);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        LedgerClient t = newTenant("audit-key");
        String published = publicKey(t);
        assertThat(AuditKeyFile.read(file).verifyingKey().base64()).isEqualTo(published);
    }

    private static String withoutExportedAt(String export) {
        return export.replaceFirst("\"exportedAt\":\"[^\"]+\"", "");
    }

    private static String like(LedgerClient t) {
        return "'" + t.tenant() + "/%'";
    }
}
