package ledger.api.audit;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.config.LedgerProperties;
import ledger.audit.checkpoint.SigningKey;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.audit.AuditLogProjection;
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
 * The audit log processor, checkpoints and their signing key, and the export. The clock is the
 * system's UTC clock, passed explicitly to everything that stamps time.
 */
@Configuration(proxyBeanMethods = false)
public class AuditConfig {
    /** Events per audit-log transaction (also in application.yml, where operators see it). */
    public static final int AUDIT_LOG_BATCH_SIZE = 500;
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

    /** Axon finds its {@code audit-log} event handler on this bean. */
    @Bean
    public AuditLogProjection auditLogProjection(DSLContext dsl, MerkleNodeStore nodes, AuditLogQueries log) {
        return new AuditLogProjection(dsl, nodes, log);
    }

    /**
     * One segment, so positions follow the event store's order; from the first event on a fresh
     * database; and a failing batch is retried, never skipped (a skipped event would be missing
     * from the log for good).
     */
    @Bean
    public ConfigurerModule auditLogProcessor() {
        return configurer -> configurer.eventProcessing(processing -> processing
                .registerPooledStreamingEventProcessorConfiguration(AuditLogProjection.PROCESSING_GROUP,
                        (axon, builder) -> builder
                                .initialToken(StreamableMessageSource::createTailToken)
                                .initialSegmentCount(1)
                                .maxClaimedSegments(1)
                                .batchSize(AUDIT_LOG_BATCH_SIZE))
                .registerListenerInvocationErrorHandler(AuditLogProjection.PROCESSING_GROUP,
                        axon -> PropagatingErrorHandler.instance())
                .registerErrorHandler(AuditLogProjection.PROCESSING_GROUP, axon -> PropagatingErrorHandler.instance()));
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
                                                   LedgerProperties properties) {
        return new CheckpointScheduler(checkpoints, log, properties.audit().checkpointEvents(),
                properties.audit().checkpointInterval(), clock);
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
