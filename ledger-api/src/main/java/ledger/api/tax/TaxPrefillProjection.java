package ledger.api.tax;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
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
 * payee is summed per tenant, payee, period and category (docs/tax-prefill.md); a pending one when it
 * is posted, with the amount posted. It runs in the
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

    /** A pending transfer counts only once posted, and then with the amount posted: keep its metadata till then. */
    @EventHandler
    void on(TransferPending event, EventMessage<?> message, TrackingToken token) {
        if (PayrollPosting.isPayroll(event.metadata())) {
            store.rememberPending(event.tenant(), event.transferId(), event.metadata(), position(message, token));
        }
    }

    @EventHandler
    void on(PendingTransferPosted event, EventMessage<?> message, TrackingToken token) {
        Optional<Map<String, String>> metadata = store.pending(event.tenant(), event.transferId());
        if (metadata.isEmpty()) {
            return; // not payroll, or delivered again after it was applied
        }
        List<Leg> legs = List.of(new Leg(event.debitAccount(), "debit", event.amount(), event.currency()),
                new Leg(event.creditAccount(), "credit", event.amount(), event.currency()));
        PayrollPosting posting = PayrollPosting.of(event.tenant(), event.transferId(), legs, metadata.get(), currencies);
        store.apply(message.getIdentifier(), position(message, token), posting);
        store.forgetPending(event.tenant(), event.transferId());
    }

    @EventHandler
    void on(PendingTransferVoided event) {
        store.forgetPending(event.tenant(), event.transferId());
    }

    @EventHandler
    void on(PendingTransferExpired event) {
        store.forgetPending(event.tenant(), event.transferId());
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
