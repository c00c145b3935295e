package ledger.api.tax;

import ledger.domain.money.Currencies;
import ledger.tax.rules.RuleLibrary;
import org.axonframework.config.ConfigurerModule;
import ledger.api.config.EventFeeds;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.messaging.StreamableMessageSource;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Tax pre-fill wiring (docs/tax-prefill.md): the shipped rule packs, the read model and its tracking
 * processor, set explicitly rather than left to Axon's defaults.
 */
@Configuration(proxyBeanMethods = false)
public class TaxConfig {
    /** Events the processor handles in one transaction (Axon's default of 1 cannot keep up with group commit). */
    static final int PROCESSOR_BATCH_SIZE = 200;

    @Bean
    public RuleLibrary taxRuleLibrary() {
        return RuleLibrary.fromClasspath();
    }

    @Bean
    TaxPrefillStore taxPrefillStore(DSLContext dsl) {
        return new TaxPrefillStore(dsl);
    }

    @Bean
    public TaxPrefillProjection taxPrefillProjection(TaxPrefillStore store, Currencies currencies) {
        return new TaxPrefillProjection(store, currencies);
    }

    @Bean
    public TaxPrefill taxPrefill(RuleLibrary taxRuleLibrary, TaxPrefillStore store, Currencies currencies) {
        return new TaxPrefill(taxRuleLibrary, store, currencies);
    }

    /**
     * One segment, one thread, batches of {@value #PROCESSOR_BATCH_SIZE}, from the first event ever
     * stored (a new installation or a reset rebuilds the model from the whole history).
     */
    @Bean
    public ConfigurerModule taxPrefillProcessor(EventFeeds feeds) {
        return configurer -> configurer.eventProcessing(processing -> processing.registerTrackingEventProcessor(
                TaxPrefillProjection.PROCESSING_GROUP,
                c -> feeds.source(c.eventStore(), TaxConfig::concernsPayroll),
                c -> TrackingEventProcessorConfiguration.forSingleThreadedProcessing()
                        .andBatchSize(PROCESSOR_BATCH_SIZE)
                        .andInitialSegmentsCount(1)
                        .andInitialTrackingToken(StreamableMessageSource::createTailToken)));
    }

    /**
     * The events the pre-fill reads: postings and holds that name a payee, and the ends of holds (a
     * payroll hold is recognised by what was remembered of it). Other events are passed over in the
     * stream (EventFeeds), which reads again at once only when one of them is committed: the processor does not store its token for each of them.
     */
    static boolean concernsPayroll(org.axonframework.eventhandling.EventMessage<?> event) {
        Class<?> type = event.getPayloadType();
        if (type == ledger.domain.event.TransferEvents.TransferPosted.class) {
            return PayrollPosting.isPayroll(((ledger.domain.event.TransferEvents.TransferPosted) event.getPayload())
                    .metadata());
        }
        if (type == ledger.domain.event.TransferEvents.TransferPending.class) {
            return PayrollPosting.isPayroll(((ledger.domain.event.TransferEvents.TransferPending) event.getPayload())
                    .metadata());
        }
        return type == ledger.domain.event.TransferEvents.PendingTransferPosted.class
                || type == ledger.domain.event.TransferEvents.PendingTransferVoided.class
                || type == ledger.domain.event.TransferEvents.PendingTransferExpired.class;
    }
}
