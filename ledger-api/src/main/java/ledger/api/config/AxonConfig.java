package ledger.api.config;

import ledger.api.command.GroupCommitCommandBus;
import ledger.api.metrics.LedgerMetrics;
import ledger.api.command.NewStreamProbe;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import ledger.domain.account.Account;
import ledger.domain.book.ScopedBook;
import ledger.projections.BookStore;
import ledger.projections.TransactionWrites;
import org.axonframework.common.lock.NullLockFactory;
import ledger.domain.seal.AuditKeys;
import org.axonframework.messaging.correlation.CorrelationDataProvider;
import org.axonframework.messaging.correlation.SimpleCorrelationDataProvider;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.CommandBusSpanFactory;
import org.axonframework.commandhandling.DuplicateCommandHandlerResolver;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.interceptors.CorrelationDataInterceptor;
import ledger.domain.seal.LedgerJson;
import ledger.domain.seal.SealedEventIdentity;
import ledger.domain.transfer.LedgerCommandHandler;
import ledger.domain.transfer.Transfer;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.serialization.json.JacksonSerializer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * Axon wiring: one JSON mapping for everything stored (so a stored payload is the payload that
 * was hashed), cached event-sourced aggregates, the cross-aggregate ledger command handler, and
 * the seal's identity interceptor on the event store.
 */
@Configuration(proxyBeanMethods = false)
public class AxonConfig {
    /** The longest a command waits for an account lock it asks for out of order (then it is retried). */
    static final long BOOK_LOCK_WAIT_MS = 2_000;
    /** Expiry cancels waiting for the one thread that sends them ({@link #expiryCancels()}). */
    static final int EXPIRY_CANCELS_WAITING_MAX = 10_000;

    @Bean
    @Primary
    public Serializer serializer() {
        return jackson();
    }

    @Bean
    @Qualifier("eventSerializer")
    public Serializer eventSerializer() {
        return jackson();
    }

    @Bean
    @Qualifier("messageSerializer")
    public Serializer messageSerializer() {
        return jackson();
    }

    private static Serializer jackson() {
        return JacksonSerializer.builder().objectMapper(LedgerJson.mapper()).build();
    }

    /**
     * The JDBC event store as Axon's auto-configuration builds it, except that its reads run without
     * a transaction of their own ({@link EventStoreTransactions}) and every append also writes the
     * events' audit-log positions ({@link LoggedEventStorageEngine}). Not with Axon Server, which
     * stores the events then.
     */
    @Bean
    @ConditionalOnProperty(name = "axon.axonserver.enabled", havingValue = "false")
    public EventStorageEngine eventStorageEngine(Serializer serializer,
                                                 @Qualifier("eventSerializer") Serializer eventSerializer,
                                                 PersistenceExceptionResolver persistenceExceptionResolver,
                                                 org.axonframework.config.Configuration axon,
                                                 ConnectionProvider connectionProvider,
                                                 TransactionManager transactionManager,
                                                 EventSchema eventSchema,
                                                 TransactionWrites writes, LedgerMetrics metrics,
                                                 EventFeeds feeds) {
        return new LoggedEventStorageEngine(metrics, JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(eventSerializer)
                .upcasterChain(axon.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .snapshotFilter(axon.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(new EventStoreTransactions(transactionManager))
                .schema(eventSchema), writes, feeds);
    }

    /**
     * Paced event streams for the processors that handle a few of the ledger's events (the
     * settlement saga, the tax pre-fill): read from this storage engine, not through Axon's
     * embedded event store, whose producer reads without pause while transfers are committed.
     */
    @Bean
    public EventFeeds eventFeeds(org.springframework.beans.factory.ObjectProvider<EventStorageEngine> engine) {
        return new EventFeeds(engine::getIfAvailable, EventFeeds.IDLE_READ);
    }

    /**
     * Accounts are cached (their aggregates change only when opened, frozen, unfrozen or closed; a
     * stale one on another node fails its append and is evicted). Transfers are neither cached nor
     * locked by Axon: a new one is created once, and a pending one is changed under the book's locks
     * on its accounts, with the event store's unique (aggregate, sequence) refusing a second writer.
     */
    @Bean
    public ConfigurerModule ledgerAggregates(LedgerProperties properties) {
        int cacheSize = properties.aggregateCacheSize();
        AggregateConfigurer<Account> accounts = AggregateConfigurer.defaultConfiguration(Account.class);
        AggregateConfigurer<Transfer> transfers = AggregateConfigurer.defaultConfiguration(Transfer.class)
                .configureLockFactory(c -> NullLockFactory.INSTANCE);
        if (cacheSize > 0) {
            AggregateCache accountCache = new AggregateCache(cacheSize);
            accounts.configureCache(c -> accountCache);
        }
        return configurer -> configurer.configureAggregate(accounts).configureAggregate(transfers);
    }

    /**
     * The accounts' states that commands decide on: cached, read from and written to the book's
     * tables in each command's transaction.
     */
    @Bean
    public ScopedBook book(DSLContext dsl, TransactionWrites writes, LedgerProperties properties) {
        return new ScopedBook(new BookStore(dsl, writes), properties.aggregateCacheSize(), BOOK_LOCK_WAIT_MS);
    }

    /**
     * The command bus: transfers and entries arriving together share one transaction (group
     * commit); everything else runs as on Axon's SimpleCommandBus. In the axonserver profile it is
     * the local segment behind Axon Server's routing.
     */
    @Bean
    @Qualifier("localSegment")
    public GroupCommitCommandBus commandBus(TransactionManager transactionManager,
                                            org.axonframework.config.Configuration axon, ScopedBook book,
                                            TransactionWrites writes,
                                            DuplicateCommandHandlerResolver duplicates,
                                            LedgerProperties properties, LedgerMetrics metrics) {
        GroupCommitCommandBus bus = new GroupCommitCommandBus(SimpleCommandBus.builder()
                .duplicateCommandHandlerResolver(duplicates)
                .spanFactory(axon.getComponent(CommandBusSpanFactory.class))
                .messageMonitor(axon.messageMonitor(CommandBus.class, "commandBus")),
                transactionManager, book, writes,
                properties.groupCommit().batchCommandsMax(), properties.groupCommit().workers(),
                properties.groupCommit().queueCapacity());
        bus.registerHandlerInterceptor(new CorrelationDataInterceptor<>(axon.correlationDataProviders()));
        bus.metrics(metrics);
        return bus;
    }

    /**
     * What a message passes on to the messages it causes: who acted and the client's correlation
     * id. Replaces Axon's default provider, which would put its own message ids under the same
     * {@code correlationId} key (so an expiry would not carry the client's id).
     */
    @Bean
    public CorrelationDataProvider auditCorrelation() {
        return new SimpleCorrelationDataProvider(AuditKeys.ACTOR, AuditKeys.CORRELATION_ID);
    }

    /** Whether a new transfer's id is taken: asked of the event store for careful (re-sent) commands only. */
    @Bean
    public NewStreamProbe newStreamProbe(org.axonframework.config.Configuration axon) {
        return new NewStreamProbe(axon.eventStore());
    }

    /** A Spring bean so the pending-expiry deadline handler in {@link Transfer} can take it as a parameter. */
    @Bean
    public LedgerCommandHandler ledgerCommandHandler(org.axonframework.config.Configuration axon, ScopedBook book,
                                                     NewStreamProbe probe,
                                                     @Qualifier("expiryCancels") java.util.concurrent.Executor cancels) {
        return new LedgerCommandHandler(axon.repository(Account.class), axon.repository(Transfer.class), book,
                axon.deadlineManager(), probe, cancels);
    }

    /**
     * Cancels the expiry deadlines of holds posted or voided on this node, after their commit: one
     * thread, at most {@value #EXPIRY_CANCELS_WAITING_MAX} waiting; past that a deadline is left to
     * fire and find its hold ended, as every deadline did before.
     */
    @Bean(destroyMethod = "shutdownNow")
    @Qualifier("expiryCancels")
    public java.util.concurrent.ExecutorService expiryCancels() {
        return new java.util.concurrent.ThreadPoolExecutor(1, 1, 0, java.util.concurrent.TimeUnit.MILLISECONDS,
                new java.util.concurrent.ArrayBlockingQueue<>(EXPIRY_CANCELS_WAITING_MAX),
                new org.axonframework.common.AxonThreadFactory("expiry-cancels"));
    }

    /**
     * Registers {@link SealedEventIdentity} on the event bus itself: aggregates publish there, not
     * through the event gateway.
     */
    @Bean
    public static BeanPostProcessor sealedEventIdentityRegistrar() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof EventBus bus) {
                    bus.registerDispatchInterceptor(new SealedEventIdentity());
                }
                return bean;
            }
        };
    }
}
