package ledger.domain.seal;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import ledger.audit.Envelope;
import ledger.audit.Ts6;
import ledger.domain.event.EventType;
import ledger.domain.model.Invariants;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.Message;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * Seals an event into its aggregate's hash chain at the moment it is applied (AUDIT-CHAIN.md §1):
 * builds the envelope, hashes it once, and returns the metadata the event is stored with. The
 * hash is never recomputed from a re-serialised object afterwards.
 */
public final class EventSeal {
    /** Actor recorded for events caused by the ledger itself (deadlines), not by an API key. */
    public static final String SYSTEM_ACTOR = "system";

    private EventSeal() {
    }

    public static MetaData seal(String tenant, String aggregateType, String aggregateId, long seq,
                                String prevHash, Object payload) {
        Invariants.check(prevHash != null && prevHash.length() == 64, "prevHash of " + aggregateId + " is known");
        String eventType = eventTypeOf(payload);
        String eventId = randomUuid().toString();
        Instant now = GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
        String occurredAt = Ts6.format(now);
        Map<String, String> meta = causeOf(currentMessage());
        JsonNode payloadJson = LedgerJson.shared().valueToTree(payload);
        Envelope envelope = new Envelope(tenant, aggregateType, aggregateId, seq, eventId, eventType,
                occurredAt, meta, payloadJson, prevHash);
        Map<String, String> metaData = new HashMap<>(meta);
        metaData.put(AuditKeys.TENANT, tenant);
        metaData.put(AuditKeys.EVENT_TYPE, eventType);
        metaData.put(AuditKeys.EVENT_ID, eventId);
        metaData.put(AuditKeys.OCCURRED_AT, occurredAt);
        metaData.put(AuditKeys.PREV_HASH, prevHash);
        metaData.put(AuditKeys.HASH, envelope.hash());
        return MetaData.from(metaData);
    }

    /**
     * A version 4 UUID from the thread's own generator: event ids must be unique, not secret, and
     * {@link UUID#randomUUID()} would make every command thread queue on one SecureRandom.
     */
    static UUID randomUuid() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }

    public static String eventTypeOf(Object payload) {
        EventType type = payload.getClass().getAnnotation(EventType.class);
        Invariants.check(type != null, payload.getClass().getName() + " declares its @EventType");
        return type.value();
    }

    private static Message<?> currentMessage() {
        return CurrentUnitOfWork.isStarted() ? CurrentUnitOfWork.get().getMessage() : null;
    }

    /**
     * {@code actor} and {@code correlationId} of the message being handled: who caused this event.
     * A deadline acts as the ledger itself ({@code system:<deadline>}) but keeps the correlation id
     * of the request that set it.
     */
    static Map<String, String> causeOf(Message<?> cause) {
        if (cause == null) {
            return Map.of(AuditKeys.ACTOR, SYSTEM_ACTOR, AuditKeys.CORRELATION_ID, UUID.randomUUID().toString());
        }
        Object actor = cause instanceof DeadlineMessage<?> deadline ? SYSTEM_ACTOR + ":" + deadline.getDeadlineName()
                : cause.getMetaData().get(AuditKeys.ACTOR);
        Object correlation = cause.getMetaData().get(AuditKeys.CORRELATION_ID);
        if (actor == null) {
            actor = SYSTEM_ACTOR;
        }
        if (correlation == null) {
            correlation = cause.getIdentifier();
        }
        return Map.of(AuditKeys.ACTOR, actor.toString(), AuditKeys.CORRELATION_ID, correlation.toString());
    }
}
