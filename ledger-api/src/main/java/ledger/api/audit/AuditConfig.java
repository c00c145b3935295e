package ledger.api.audit;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.config.LedgerProperties;
import ledger.api.metrics.LedgerMetrics;
import ledger.audit.checkpoint.SigningKey;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.TransactionWrites;
import ledger.projections.audit.AuditLogAppender;
import ledger.projections.audit.AuditLogQueries;
import ledger.projections.audit.CheckpointStore;
import ledger.projections.audit.MerkleNodeStore;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.eventhandling.PropagatingErrorHandler;
import org.axonframework.messaging.StreamableMessageSource;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.servlet.config.annotation.AsyncSupportConfigurer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The audit log's appender, checkpoints and their signing key, and the export. The clock is the
 * system's UTC clock, passed explicitly to everything that stamps time.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {
    /** How long one export may stream; a million events take well under a minute. */
    public static final Duration EXPORT_TIMEOUT = Duration.ofHours(1);

    private final Clock clock = Clock.systemUTC();

    @Bean
    public MerkleNodeStore merkleNodeStore(DSLContext dsl) {
        return new MerkleNodeStore(dsl);
    }

    @Bean
    public AuditLogQueries auditLogQueries(DSLContext dsl) {
        return new AuditLogQueries(dsl);
    }

    @Bean
    public CheckpointStore checkpointStore(DSLContext dsl) {
        return new CheckpointStore(dsl);
    }

    @Bean
    public AuditExportReader auditExportReader(DSLContext dsl) {
        return new AuditExportReader(dsl);
    }

    /** Works out the audit-log positions and Merkle nodes of the events each transaction appends. */
    @Bean
    public AuditLogAppender auditLogAppender(DSLContext dsl, MerkleNodeStore nodes) {
        return new AuditLogAppender(dsl, nodes);
    }

    /** Writes everything a transaction writes beside its events (book, answers, audit log) in one statement. */
    @Bean
    public TransactionWrites transactionWrites(DSLContext dsl, AuditLogAppender auditLog) {
        return new TransactionWrites(dsl, auditLog);
    }

    @Bean
    public SigningKey auditSigningKey(LedgerProperties properties) {
        return AuditKeyFile.load(properties, new SecureRandom());
    }

    @Bean
    public CheckpointService checkpointService(PlatformTransactionManager transactions, AuditLogQueries log,
                                               MerkleNodeStore nodes, CheckpointStore store, SigningKey auditSigningKey,
                                               LedgerProperties properties) {
        TransactionTemplate tx = new TransactionTemplate(transactions);
        tx.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return new CheckpointService(tx, log, nodes, store, auditSigningKey, properties.ledgerId(), clock);
    }

    @Bean
    public CheckpointScheduler checkpointScheduler(CheckpointService checkpoints, AuditLogQueries log,
                                                   LedgerProperties properties, LedgerMetrics metrics) {
        return new CheckpointScheduler(checkpoints, log, properties.audit().checkpointEvents(),
                properties.audit().checkpointInterval(), clock, metrics);
    }

    @Bean
    public AuditExport auditExport(CheckpointService checkpoints, AuditExportReader reader, MerkleNodeStore nodes,
                                   PlatformTransactionManager transactions) {
        TransactionTemplate readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        // Not a bean: an Executor bean would replace Spring Boot's task executor, which MVC's async requests use.
        AtomicInteger threads = new AtomicInteger();
        ExecutorService readers = Executors.newCachedThreadPool(task -> {
            Thread t = new Thread(task, "audit-export-read-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        return new AuditExport(checkpoints, reader, nodes, readOnly, clock, readers);
    }

    /** Exports stream asynchronously (StreamingResponseBody); the container's 30 s default would cut them. */
    @Bean
    public WebMvcConfigurer auditExportTimeout() {
        return new WebMvcConfigurer() {
            @Override
            public void configureAsyncSupport(AsyncSupportConfigurer configurer) {
                configurer.setDefaultTimeout(EXPORT_TIMEOUT.toMillis());
            }
        };
    }
}
