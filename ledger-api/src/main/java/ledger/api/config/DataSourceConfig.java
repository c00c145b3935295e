package ledger.api.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The database: an external PostgreSQL when {@code LEDGER_DB_URL} is set, otherwise an embedded
 * PostgreSQL 17 whose data lives under the data directory and survives restarts, and which does not
 * outlive the service ({@link EmbeddedPostgresGuard}). Either way commits are durable: {@code fsync}
 * and {@code synchronous_commit} stay on.
 */
@Configuration(proxyBeanMethods = false)
public class DataSourceConfig {
    private static final Logger LOG = LoggerFactory.getLogger(DataSourceConfig.class);

    /** The embedded server; the data source depends on it, so it stops after the pool closes. */
    public static final class EmbeddedServer implements AutoCloseable {
        private final EmbeddedPostgres postgres;
        private final EmbeddedPostgresGuard guard;

        EmbeddedServer(EmbeddedPostgres postgres, EmbeddedPostgresGuard guard) {
            this.postgres = postgres;
            this.guard = guard;
        }

        public int port() {
            return postgres.getPort();
        }

        @Override
        public void close() throws IOException {
            try {
                postgres.close();
            } finally {
                guard.close();
            }
        }
    }

    @Bean(destroyMethod = "close")
    @ConditionalOnExpression("'${ledger.db.url:}'.isBlank()")
    public EmbeddedServer embeddedPostgres(LedgerProperties properties) {
        Path dataDir = properties.dataDir().toAbsolutePath().normalize();
        Path pgData = dataDir.resolve("postgres");
        // one service per data directory; a PostgreSQL left running by a killed one is stopped first
        EmbeddedPostgresGuard guard = EmbeddedPostgresGuard.claim(dataDir);
        try {
            guard.takeOver(pgData);
            Files.createDirectories(dataDir);
            EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    // Stopped by this bean's close, after the requests in flight were answered and
                    // the pool closed, not by a JVM shutdown hook of its own that runs at SIGTERM
                    // alongside the graceful shutdown and cut their connections; if the JVM ends
                    // without closing the context, the watchdog stops it.
                    .setRegisterShutdownHook(false)
                    .setOverrideWorkingDirectory(dataDir.resolve("pg-binaries").toFile())
                    .setPort(properties.embedded().port())
                    .setServerConfig("fsync", "on")
                    .setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "200")
                    // A ledger writes all the time: checkpoints every 15 minutes or 4 GB of WAL
                    // rather than 5 minutes or 1 GB, since after each one the first change to every
                    // page logs the whole page (it halved the WAL per transfer under load), and a
                    // buffer cache for the hot indexes instead of the 128 MB default.
                    .setServerConfig("checkpoint_timeout", "15min")
                    .setServerConfig("max_wal_size", "4GB")
                    .setServerConfig("shared_buffers", "512MB")
                    .start();
            LOG.info("embedded PostgreSQL started on 127.0.0.1:{} with data in {}", postgres.getPort(), pgData);
            guard.watch(pgData); // it stops when this JVM is gone, however it ends
            return new EmbeddedServer(postgres, guard);
        } catch (IOException e) {
            guard.close();
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + pgData, e);
        } catch (RuntimeException e) {
            guard.close();
            throw e;
        }
    }

    @Bean(destroyMethod = "close")
    public HikariDataSource dataSource(LedgerProperties properties, ObjectProvider<EmbeddedServer> embedded) {
        HikariConfig config = new HikariConfig();
        LedgerProperties.Db db = properties.db();
        config.setPoolName("ledger");
        config.setMaximumPoolSize(db.poolSize());
        config.setConnectionTimeout(db.connectTimeout().toMillis());
        EmbeddedServer server = embedded.getIfAvailable();
        if (server == null) {
            config.setJdbcUrl(withBatchedInserts(db.url()));
            config.setUsername(db.user());
            config.setPassword(db.password());
        } else {
            config.setJdbcUrl(withBatchedInserts("jdbc:postgresql://127.0.0.1:" + server.port() + "/postgres"));
            config.setUsername("postgres");
        }
        return new HikariDataSource(config);
    }

    /** pgjdbc rewrites the event store's JDBC batches into multi-row inserts. */
    private static String withBatchedInserts(String url) {
        if (url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }
}
