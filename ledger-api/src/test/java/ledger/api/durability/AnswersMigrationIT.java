package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import ledger.api.LedgerServiceIT;
import ledger.api.config.DataSourceConfig;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Idempotency answers stored before V7 (an HTTP status and body) become neutral answers (a refusal's
 * code and detail, or the view's JSON) and so keep replaying the same on both APIs.
 */
class AnswersMigrationIT extends LedgerServiceIT {
    private static final String VIEW = "{\"id\":\"t-1\",\"kind\":\"TRANSFER\",\"status\":\"POSTED\"}";
    private static final String PROBLEM = "{\"type\":\"https://ledger.invalid/problems/insufficient_funds\","
            + "\"title\":\"Unprocessable Entity\",\"status\":422,\"code\":\"insufficient_funds\","
            + "\"detail\":\"account wallet would pass its limit\",\"instance\":\"/v1/transfers\"}";

    @Autowired
    private DataSource dataSource;
    @Autowired
    private ObjectProvider<DataSourceConfig.EmbeddedServer> embedded;

    private String database;
    private String url;

    @BeforeEach
    void scratchDatabase() throws SQLException {
        DataSourceConfig.EmbeddedServer server = embedded.getIfAvailable();
        Assumptions.assumeTrue(server != null, "needs the embedded PostgreSQL to create a scratch database");
        database = "answers_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database;
    }

    @AfterEach
    void dropScratchDatabase() throws SQLException {
        if (database != null) {
            try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void answersStoredAsHttpBecomeNeutralAnswers() throws SQLException {
        migrate("6");
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash, status_code, response_body,"
                    + " created_at) VALUES ('t', 'ok', '\\x01', 201, '" + VIEW + "', now()),"
                    + " ('t', 'refused', '\\x02', 422, '" + PROBLEM + "', now())");
        }
        migrate(null);
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT idempotency_key, refusal_code, refusal_detail, result"
                    + " FROM idempotency_record ORDER BY idempotency_key")) {
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("ok");
                assertThat(r.getString(2)).isNull();
                assertThat(r.getString(3)).isNull();
                assertThat(r.getString(4)).isEqualTo(VIEW);
                assertThat(r.next()).isTrue();
                assertThat(r.getString(1)).isEqualTo("refused");
                assertThat(r.getString(2)).isEqualTo("insufficient_funds");
                assertThat(r.getString(3)).isEqualTo("account wallet would pass its limit");
                assertThat(r.getString(4)).isNull();
                assertThat(r.next()).isFalse();
            }
            assertThatThrownBy(() -> s.execute("SELECT status_code FROM idempotency_record"))
                    .as("the HTTP columns are gone").isInstanceOf(SQLException.class);
            // an answer is a refusal or a result, never both nor neither
            assertThatThrownBy(() -> s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash,"
                    + " created_at) VALUES ('t', 'neither', '\\x03', now())")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.execute("INSERT INTO idempotency_record (tenant, idempotency_key, request_hash,"
                    + " refusal_code, result, created_at) VALUES ('t', 'both', '\\x04', 'x', '{}', now())"))
                    .isInstanceOf(SQLException.class);
        }
    }

    private void migrate(String target) {
        var config = Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration");
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }
}
