package ledger.api.tax;

import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.money.Currencies;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingToken;

/**
 * Keeps the tax pre-fill read model: every posted transfer or entry whose metadata names a payroll
 * payee is summed per tenant, payee, period and category (docs/tax-prefill.md). It runs in the
 * tracking event processor {@value #PROCESSING_GROUP}, reading the event store after the fact, so the
 * model lags the ledger by design. Its writes share the processor's transaction with the token, and
 * each event's identity is recorded with its sums: an event delivered again adds nothing.
 */
@ProcessingGroup(TaxPrefillProjection.PROCESSING_GROUP)
public class TaxPrefillProjection {
    public static final String PROCESSING_GROUP = "tax-prefill";

    private final TaxPrefillStore store;
    private final Currencies currencies;

    TaxPrefillProjection(TaxPrefillStore store, Currencies currencies) {
        this.store = store;
        this.currencies = currencies;
    }

    @EventHandler
    void on(TransferPosted event, EventMessage<?> message, TrackingToken token) {
        PayrollPosting posting = PayrollPosting.of(event, currencies);
        if (posting == null) {
            return;
        }
        store.apply(message.getIdentifier(), position(message, token), posting);
    }

    /** The event's place in the store (its global index): a later input replaces an earlier one. */
    private static long position(EventMessage<?> message, TrackingToken token) {
        TrackingToken at = message instanceof TrackedEventMessage<?> tracked ? tracked.trackingToken() : token;
        return at.position().orElseThrow(() -> new IllegalStateException("event " + message.getIdentifier()
                + " has no position in the event store"));
    }

    @ResetHandler
    void reset() {
        store.clear();
    }
}
