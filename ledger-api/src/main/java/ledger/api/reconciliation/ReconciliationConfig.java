package ledger.api.reconciliation;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import ledger.api.app.Commands;
import ledger.api.config.EventFeeds;
import ledger.reconciliation.matching.RuleSet;
import ledger.sagas.reconciliation.ContinuousMatching;
import ledger.sagas.reconciliation.OutcomeProjection;
import ledger.sagas.reconciliation.ReconciliationOutcome;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.springframework.beans.factory.annotation.Value;
import ledger.api.config.LedgerProperties;
import ledger.projections.LedgerQueries;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.StatementProjection;
import ledger.sagas.reconciliation.StatementUpload;
import org.axonframework.common.caching.WeakReferenceCache;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reconciliation wiring (docs/reconciliation.md, "Service"): the StatementUpload aggregate, its view
 * on a subscribing processor (written in the transaction of each event), the upload service.
 */
@Configuration(proxyBeanMethods = false)
public class ReconciliationConfig {
    /**
     * Events the matcher's processor handles in one transaction. A chunk event carries 500 records and
     * its handling stages an event of up to 500 outcomes until the batch commits: 20 bound that to about
     * 10,000 of each (200 ran a 100 MB upload out of a 256 MB heap) and keep the transaction, which
     * holds the tenant's audit log while it appends, short.
     */
    static final int MATCHER_BATCH_SIZE = 20;

    /**
     * The tenants' rule set: exact amounts, value dates at most {@code LEDGER_RECON_DATE_WINDOW_DAYS}
     * (3) apart, a settlement window of {@code LEDGER_RECON_SETTLEMENT_WINDOW} (ISO 8601, P5D), breaks
     * kept open for a late counterpart {@code LEDGER_RECON_LATE_MATCH_WINDOW} (P30D) after it. Each
     * tenant's known counterparties are added to it (V19).
     */
    @Bean
    public RuleSet reconciliationRules(@Value("${LEDGER_RECON_DATE_WINDOW_DAYS:3}") int dateWindowDays,
                                       @Value("${LEDGER_RECON_SETTLEMENT_WINDOW:P5D}") String settlementWindow,
                                       @Value("${LEDGER_RECON_LATE_MATCH_WINDOW:P30D}") String lateMatchWindow) {
        return RuleSet.defaults().withWindows(dateWindowDays, Duration.parse(settlementWindow))
                .withLateMatching(Duration.parse(lateMatchWindow));
    }

    /** A bean with event handlers: Axon's Spring support registers it (processing group reconciliation-matcher). */
    @Bean
    public ContinuousMatching continuousMatching(DSLContext dsl, CommandGateway gateway,
                                                 TransactionManager transactions, LedgerQueries ledger,
                                                 RuleSet reconciliationRules, ReconAlerts alerts) {
        return new ContinuousMatching(dsl, gateway, transactions, new LedgerPostings(ledger), reconciliationRules,
                Clock.systemUTC()::instant, alerts);
    }

    @Bean
    public WebhookDelivery webhookDelivery(ReconQueries queries) {
        return new WebhookDelivery(queries);
    }

    /**
     * The webhook task: an attempt that fails is run again after 1 s, 2 s, 4 s … (doubling) up to
     * {@code LEDGER_RECON_WEBHOOK_ATTEMPTS} (default 10) attempts; db-scheduler keeps it in its table, so a
     * delivery outlives a restart.
     */
    @Bean
    public com.github.kagkarlsson.scheduler.task.helper.OneTimeTask<WebhookDelivery.Delivery> reconciliationWebhookTask(
            WebhookDelivery delivery, @Value("${LEDGER_RECON_WEBHOOK_ATTEMPTS:10}") int attempts) {
        return com.github.kagkarlsson.scheduler.task.helper.Tasks
                .oneTime(WebhookDelivery.TASK, WebhookDelivery.Delivery.class)
                .onFailure(new com.github.kagkarlsson.scheduler.task.FailureHandler.MaxRetriesFailureHandler<>(
                        attempts - 1, new com.github.kagkarlsson.scheduler.task.FailureHandler
                        .ExponentialBackoffFailureHandler<>(Duration.ofSeconds(1), 2.0)))
                .execute((instance, context) -> {
                    try {
                        delivery.deliver(instance.getData());
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    @Bean
    public ReconAlerts reconAlerts(CommandGateway gateway, ReconQueries queries, LedgerQueries ledger,
                                   com.github.kagkarlsson.scheduler.SchedulerClient scheduler,
                                   com.github.kagkarlsson.scheduler.task.helper.OneTimeTask<WebhookDelivery.Delivery> task,
                                   com.fasterxml.jackson.databind.ObjectMapper json,
                                   io.micrometer.core.instrument.MeterRegistry registry) {
        return new ReconAlerts(gateway, queries, new LedgerPostings(ledger), scheduler, task, json, registry,
                Clock.systemUTC());
    }

    /** Moves the matchers' clocks every {@code LEDGER_RECON_TICK} (ISO 8601, PT5S): windows that end become breaks. */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService reconciliationTicker(ContinuousMatching matching,
                                                         @Value("${LEDGER_RECON_TICK:PT5S}") String tick) {
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "reconciliation-tick");
            thread.setDaemon(true);
            return thread;
        });
        long ms = Duration.parse(tick).toMillis();
        ticker.scheduleWithFixedDelay(() -> {
            try {
                matching.tick();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(ReconciliationConfig.class).warn("reconciliation tick failed", e);
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
        return ticker;
    }

    @Bean
    public ReconciliationViews reconciliationViews(ReconQueries queries,
                                                   com.fasterxml.jackson.databind.ObjectMapper json,
                                                   LedgerQueries ledger) {
        return new ReconciliationViews(queries, json, ledger);
    }

    /** Write-offs post against {@code LEDGER_RECON_WRITE_OFF_ACCOUNT} (default reconciliation-write-off) of the tenant. */
    @Bean
    public BreakResolution breakResolution(Commands commands, ledger.api.app.Requests requests, ReconQueries queries,
                                           LedgerQueries ledger,
                                           @Value("${LEDGER_RECON_WRITE_OFF_ACCOUNT:reconciliation-write-off}")
                                           String writeOffAccount) {
        return new BreakResolution(commands, requests, queries, ledger, writeOffAccount);
    }

    @Bean
    public OutcomeProjection outcomeProjection(DSLContext dsl) {
        return new OutcomeProjection(dsl);
    }
    @Bean
    public ReconQueries reconQueries(DSLContext dsl) {
        return new ReconQueries(dsl);
    }

    /** A bean with event handlers: Axon's Spring support registers it (processing group reconciliation-uploads). */
    @Bean
    public StatementProjection statementProjection(DSLContext dsl) {
        return new StatementProjection(dsl);
    }

    @Bean
    public StatementIngest statementIngest(Commands commands, ReconQueries queries, LedgerQueries ledger,
                                           LedgerProperties properties) {
        return new StatementIngest(commands, queries, ledger, properties.dataDir().resolve("uploads"));
    }

    /**
     * The upload aggregate is cached: a large file is hundreds of chunk events on one aggregate, which
     * would otherwise be read back from the event store for every next chunk.
     */
    @Bean
    public ConfigurerModule reconciliationModule(
            org.springframework.beans.factory.ObjectProvider<ContinuousMatching> matching, EventFeeds feeds) {
        // the matcher sends commands, so it is looked up only once Axon is configured (no cycle)
        return configurer -> {
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(ReconciliationOutcome.class));
            configurer.configureAggregate(AggregateConfigurer.defaultConfiguration(
                    ledger.sagas.reconciliation.ReconciliationOutcomeBatch.class));
            configurer.eventProcessing().registerSubscribingEventProcessor(OutcomeProjection.GROUP,
                            ledger.api.config.EventsOf.declaredIn(ledger.sagas.reconciliation.ReconciliationEvents.class))
                    // one thread and segment (one matcher per tenant), from the first event ever stored; the
                    // source (a paced feed, EventFeeds) passes over every ledger posting that is not on a reconciled account
                    .registerTrackingEventProcessor(ContinuousMatching.GROUP,
                            c -> feeds.source(c.eventStore(), ReconciliationConfig.concerns(matching)),
                            c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                                    .andBatchSize(MATCHER_BATCH_SIZE)
                                    .andInitialSegmentsCount(1)
                                    .andInitialTrackingToken(StreamableMessageSource::createTailToken));
            AggregateConfigurer<StatementUpload> uploads = AggregateConfigurer.defaultConfiguration(StatementUpload.class);
            WeakReferenceCache cache = new WeakReferenceCache();
            uploads.configureCache(c -> cache);
            configurer.configureAggregate(uploads);
            configurer.eventProcessing().registerSubscribingEventProcessor(StatementProjection.GROUP,
                    ledger.api.config.EventsOf.declaredIn(ledger.sagas.reconciliation.ReconciliationEvents.class));
        };
    }

    /**
     * The matcher's events; a ledger posting (posted at once or a pending one posted) only when it is
     * on a reconciled account, and read (deserialized) only once some account is reconciled.
     */
    static java.util.function.Predicate<org.axonframework.eventhandling.EventMessage<?>> concerns(
            org.springframework.beans.factory.ObjectProvider<ContinuousMatching> matching) {
        // looked up at the first posting, then kept: a bean lookup per event was 5 % of the group commit's CPU
        java.util.function.Supplier<ContinuousMatching> found =
                org.springframework.util.function.SingletonSupplier.of(matching::getObject);
        return event -> {
            Class<?> type = event.getPayloadType();
            if (type == ledger.domain.event.TransferEvents.TransferPosted.class
                    || type == ledger.domain.event.TransferEvents.PendingTransferPosted.class) {
                ContinuousMatching matcher = found.get();
                return matcher.reconcilesAny() && matcher.concerns(event.getPayload());
            }
            return type == ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted.class
                    || type == ledger.sagas.reconciliation.ReconciliationEvents.StatementRecordsIngested.class
                    || type == ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved.class;
        };
    }
}
