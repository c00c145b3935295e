package ledger.api.durability;

import java.sql.Connection;
import java.sql.DriverManager;
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
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Base of the migration tests: each test gets a scratch database of its own on the service's
 * embedded PostgreSQL, migrates it to an old version, writes rows as that version did, and
 * migrates on. Skipped (visibly) when the service runs on an external database.
 */
abstract class ScratchDatabaseIT extends LedgerServiceIT {
    @Autowired
    private DataSource dataSource;
    @Autowired
    private ObjectProvider<DataSourceConfig.EmbeddedServer> embedded;

    private String database;
    /** The scratch database's JDBC URL (user postgres, no password). */
    protected String url;

    @BeforeEach
    void scratchDatabase() throws SQLException {
        DataSourceConfig.EmbeddedServer server = embedded.getIfAvailable();
        Assumptions.assumeTrue(server != null, "needs the embedded PostgreSQL to create a scratch database");
        database = "scratch_" + UUID.randomUUID().toString().substring(0, 8);
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

    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url, "postgres", null);
    }

    /** Migrates the scratch database to version {@code target} (null: the latest). */
    protected void migrate(String target) {
        var config = Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration");
        if (target != null) {
            config.target(target);
        }
        config.load().migrate();
    }
}
