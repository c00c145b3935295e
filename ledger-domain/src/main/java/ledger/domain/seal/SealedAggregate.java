package ledger.domain.seal;

import ledger.audit.Envelope;
import org.axonframework.modelling.command.AggregateLifecycle;

/**
 * Base of every aggregate: each event it applies is sealed into its hash chain. Subclasses record
 * the chain's head in their event-sourcing handlers through {@link #chained(String)}.
 */
public abstract class SealedAggregate {
    /** Hash of the last event of this aggregate; the all-zero hash before its first event. */
    protected String lastHash = Envelope.ZERO_HASH;

    protected abstract String aggregateType();

    protected final void applySealed(String tenant, String aggregateId, Object event) {
        Long version = AggregateLifecycle.getVersion();
        long seq = version == null ? 0 : version + 1;
        AggregateLifecycle.apply(event, EventSeal.seal(tenant, aggregateType(), aggregateId, seq, lastHash, event));
    }

    /** Called from every event-sourcing handler with the event's stored hash. */
    protected final void chained(String hash) {
        this.lastHash = hash;
    }
}
