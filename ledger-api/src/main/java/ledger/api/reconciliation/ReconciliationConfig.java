package ledger.api.reconciliation;

import ledger.api.app.Commands;
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
    public ConfigurerModule reconciliationModule() {
        return configurer -> {
            AggregateConfigurer<StatementUpload> uploads = AggregateConfigurer.defaultConfiguration(StatementUpload.class);
            WeakReferenceCache cache = new WeakReferenceCache();
            uploads.configureCache(c -> cache);
            configurer.configureAggregate(uploads);
            configurer.eventProcessing().registerSubscribingEventProcessor(StatementProjection.GROUP);
        };
    }
}
