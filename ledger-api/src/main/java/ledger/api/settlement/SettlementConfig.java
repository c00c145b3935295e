package ledger.api.settlement;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ledger.api.config.AggregateCache;
import ledger.api.config.EventFeeds;
import ledger.api.config.LedgerProperties;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxSettings;
import ledger.fx.convert.Conversion;
import ledger.fx.convert.RoundingRule;
import ledger.fx.quote.Quote;
import ledger.fx.quote.QuoteBook;
import ledger.fx.route.AmountTiers;
import ledger.fx.route.BreakerSettings;
import ledger.fx.route.ProviderSlot;
import ledger.fx.route.RateRouter;
import ledger.fx.route.RoutingPolicy;
import ledger.projections.LedgerQueries;
import ledger.sagas.settlement.Settlement;
import ledger.sagas.settlement.SettlementProjection;
import ledger.sagas.settlement.SettlementQueries;
import ledger.sagas.settlement.SettlementRuntime;
import ledger.sagas.settlement.SettlementSaga;
import ledger.sagas.settlement.Settlements;
import org.axonframework.config.AggregateConfigurer;
import org.axonframework.config.ConfigurerModule;
import org.axonframework.messaging.StreamableMessageSource;
import org.jooq.DSLContext;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires FX and the settlement saga into the service (docs/settlement.md, "Configuration"): the
 * rates file as the router's provider, the quote book, the Settlement aggregate, the saga on a
 * tracking processor of its own (its state in Axon's JDBC saga store, its deadlines in the
 * service's deadline manager) and the settlement view on a subscribing processor (written in the
 * transaction of each settlement event).
 */
@Configuration(proxyBeanMethods = false)
public class SettlementConfig {
    /** The saga's processor (Axon names a saga's processing group after the saga class). */
    public static final String SAGA_PROCESSOR = "SettlementSagaProcessor";
    static final int SAGA_BATCH_EVENTS_MAX = 32;
    /** The aggregate type of the settlements' events (Axon's default: the class's simple name). */
    static final String SETTLEMENT_AGGREGATE = Settlement.class.getSimpleName();
    /**
     * Segments of the saga's pooled processor in a new database, each worked by a thread of its own.
     * A saga belongs to a segment by its id, not by the event, so every segment's worker looks up the
     * sagas of every settlement event (a query of the saga store's associations) and keeps those of
     * its own: 8 segments cost 40 such queries a settlement (pg_stat_statements), 2 cost 10 (1 did as
     * well as 2 in A/B runs; 2 let two nodes share the work). A step's
     * handler sends its command and returns (SettlementRuntime), so a worker is busy only with the
     * saga store, batched per unit of work, and with a compensation, which waits for its commands.
     */
    public static final int SAGA_SEGMENTS = 2;
    /**
     * Segments one node works at most, and its worker threads: a database made with more segments
     * (8 before) keeps them, and they are all worked. Each busy worker holds a database connection
     * (the saga store's transaction), so this stays well below the pool.
     */
    static final int SAGA_THREADS = 8;
    /** Threads that send the saga's commands and run their continuations (and a compensation's waits). */
    static final int SAGA_COMMAND_THREADS = 16;
    static final int QUOTES_MAX = 100_000;
    /** Settlement aggregates kept in memory at most (those in flight are the ones loaded again). */
    static final int SETTLEMENTS_CACHED_MAX = 10_000;
    static final Duration RATE_TIMEOUT = Duration.ofSeconds(2);
    /** A rate older than this is stale (the rates file's rates are never old: they are the operator's price now). */
    static final Duration RATE_AGE_MAX = Duration.ofMinutes(5);

    @Bean
    public FxSettings fxSettings(@Value("${LEDGER_FX_RATES_FILE:}") String ratesFile,
                                 @Value("${LEDGER_FX_QUOTE_TTL:}") String quoteTtl) {
        return FxSettings.fromEnvironment(Map.of(FxSettings.RATES_FILE, ratesFile, FxSettings.QUOTE_TTL, quoteTtl));
    }

    @Bean(destroyMethod = "close")
    public RateRouter fxRouter(FxSettings settings, LedgerProperties properties, Currencies currencies) {
        Path file = settings.ratesFile().orElse(properties.dataDir().resolve("fx-rates.csv"));
        RatesFile rates = new RatesFile(file, currencies, Clock.systemUTC());
        return new RateRouter(List.of(ProviderSlot.of(rates)), AmountTiers.single(List.of(RatesFile.NAME)),
                RoutingPolicy.of(RATE_TIMEOUT, RATE_AGE_MAX), BreakerSettings.defaults(), Clock.systemUTC());
    }

    @Bean
    public QuoteBook quoteBook(RateRouter router, FxSettings settings) {
        return new QuoteBook(router, settings.quoteTtl(), Clock.systemUTC(), UUID::randomUUID, QUOTES_MAX);
    }

    /**
     * {@code ledger_settlements{status}}: settlements by status, over every tenant and node (counted
     * in the settlement view, at most every 5 s; NaN while the database cannot be read).
     */
    @Bean
    public io.micrometer.core.instrument.binder.MeterBinder settlementMeters(SettlementQueries queries) {
        return registry -> {
            java.util.concurrent.atomic.AtomicReference<Map<ledger.sagas.settlement.SettlementStatus, Long>> last =
                    new java.util.concurrent.atomic.AtomicReference<>();
            java.util.concurrent.atomic.AtomicLong readAt = new java.util.concurrent.atomic.AtomicLong();
            java.util.function.Supplier<Map<ledger.sagas.settlement.SettlementStatus, Long>> counts = () -> {
                long now = System.nanoTime();
                if (last.get() == null || now - readAt.get() > Duration.ofSeconds(5).toNanos()) {
                    try {
                        last.set(queries.countsByStatus());
                    } catch (RuntimeException unavailable) {
                        last.set(null);
                    }
                    readAt.set(now);
                }
                return last.get();
            };
            for (ledger.sagas.settlement.SettlementStatus status : ledger.sagas.settlement.SettlementStatus.values()) {
                io.micrometer.core.instrument.Gauge.builder("ledger.settlements", counts, c -> {
                            Map<ledger.sagas.settlement.SettlementStatus, Long> now = c.get();
                            return now == null ? Double.NaN : now.getOrDefault(status, 0L);
                        })
                        .tag("status", status.name()).description("settlements in each status").register(registry);
            }
        };
    }

    @Bean
    public SettlementQueries settlementQueries(DSLContext dsl) {
        return new SettlementQueries(dsl);
    }

    /** A bean with event handlers: Axon's Spring support registers it (processing group settlement-view). */
    @Bean
    public SettlementProjection settlementProjection(DSLContext dsl, ledger.api.app.SettlementFinals finals) {
        return new SettlementProjection(dsl, finals::ended);
    }

    @Bean(destroyMethod = "close")
    public SettlementRuntime settlementRuntime(LedgerQueries queries, QuoteBook quotes, Currencies currencies,
                                               @Value("${LEDGER_SETTLEMENT_QUOTE_EXPIRY:fail}") String onExpiry) {
        SettlementRuntime runtime = new SettlementRuntime((tenant, transferId) -> queries.transfer(tenant, transferId)
                .map(snapshot -> snapshot.status().name()), Clock.systemUTC()::instant, SAGA_COMMAND_THREADS);
        return switch (onExpiry.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "fail" -> runtime;
            case "requote" -> runtime.requoteWith(requoter(quotes, currencies));
            default -> {
                runtime.close();
                throw new IllegalArgumentException("LEDGER_SETTLEMENT_QUOTE_EXPIRY is fail or requote, not \""
                        + onExpiry + "\"");
            }
        };
    }

    /**
     * A re-quote prices the settlement as it was asked: a sale (rule DESTINATION_HALF_EVEN) sells the
     * same source amount, a purchase buys the same destination amount, on a new quote from the router.
     */
    static SettlementRuntime.Requoter requoter(QuoteBook quotes, Currencies currencies) {
        return settlement -> {
            CurrencyCode from = currencies.resolve(settlement.sourceCurrency());
            CurrencyCode to = currencies.resolve(settlement.destinationCurrency());
            boolean sale = RoundingRule.DESTINATION_HALF_EVEN.name().equals(settlement.rule());
            Money amount = sale ? Money.parsePositive(settlement.sourceAmount(), from)
                    : Money.parsePositive(settlement.destinationAmount(), to);
            Quote quote = quotes.issue(from, to, amount);
            Conversion conversion = sale ? quotes.sell(quote.id(), amount) : quotes.buy(quote.id(), amount);
            return Settlements.requoted(settlement, quote, conversion);
        };
    }

    /**
     * The saga's records (steps, outcome) load the settlement's aggregate three or four times while
     * it runs: cached, as accounts are (AxonConfig), so each load after the first reads no events. A
     * stale one (another node wrote the settlement) fails its append and is evicted.
     */
    @Bean
    public ConfigurerModule settlementModule(EventFeeds feeds, LedgerProperties properties) {
        AggregateConfigurer<Settlement> settlements = AggregateConfigurer.defaultConfiguration(Settlement.class);
        if (properties.aggregateCacheSize() > 0) {
            AggregateCache cache = new AggregateCache(Math.min(properties.aggregateCacheSize(), SETTLEMENTS_CACHED_MAX));
            settlements.configureCache(c -> cache);
        }
        return configurer -> {
            configurer.configureAggregate(settlements);
            configurer.eventProcessing()
                    .registerSaga(SettlementSaga.class)
                    // the saga reads its settlements' events only; the ledger's are passed over in the stream,
                    // read once by the processor's coordinator and handed to one worker per segment
                    .registerPooledStreamingEventProcessor(SAGA_PROCESSOR, c -> feeds.source(c.eventStore(),
                                    event -> event instanceof org.axonframework.eventhandling.DomainEventMessage<?> d
                                            && SETTLEMENT_AGGREGATE.equals(d.getType())),
                            (c, builder) -> builder.initialSegmentCount(SAGA_SEGMENTS)
                                    .maxClaimedSegments(SAGA_THREADS)
                                    .batchSize(SAGA_BATCH_EVENTS_MAX)
                                    .workerExecutor(name -> java.util.concurrent.Executors.newScheduledThreadPool(
                                            SAGA_THREADS, new org.axonframework.common.AxonThreadFactory(name)))
                                    .initialToken(StreamableMessageSource::createHeadToken))
                    .registerSubscribingEventProcessor(SettlementProjection.GROUP,
                            ledger.api.config.EventsOf.declaredIn(ledger.sagas.settlement.SettlementEvents.class));
        };
    }
}
