package ledger.domain.seal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ledger.audit.Envelope;
import ledger.audit.Ts6;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * Recomputes stored hash chains from nothing but what the event store holds (AUDIT-CHAIN.md §1):
 * the envelope is rebuilt from the event's metadata, its aggregate coordinates and its payload,
 * hashed, and compared with the stored hash; chains must start at seq 0 with the zero hash and
 * link without gaps.
 */
public final class ChainCheck {
    /** The payload mapping of the event store ({@link LedgerJson#mapper()} is a fresh copy each call). */
    private static final ObjectMapper PAYLOAD_JSON = LedgerJson.mapper();

    private ChainCheck() {
    }

    /** The envelope of a stored event, rebuilt independently of {@link EventSeal}. */
    public static Envelope envelopeOf(DomainEventMessage<?> event) {
        Map<String, ?> md = event.getMetaData();
        return new Envelope(
                text(md, AuditKeys.TENANT),
                event.getType(),
                event.getAggregateIdentifier(),
                event.getSequenceNumber(),
                text(md, AuditKeys.EVENT_ID),
                text(md, AuditKeys.EVENT_TYPE),
                text(md, AuditKeys.OCCURRED_AT),
                Map.of(AuditKeys.ACTOR, text(md, AuditKeys.ACTOR),
                        AuditKeys.CORRELATION_ID, text(md, AuditKeys.CORRELATION_ID)),
                PAYLOAD_JSON.valueToTree(event.getPayload()),
                text(md, AuditKeys.PREV_HASH));
    }

    /** Checks every aggregate's chain among {@code events}, which must hold whole chains. */
    public static void verifyAll(List<DomainEventMessage<?>> events) {
        byAggregate(events).forEach(ChainCheck::verifyChain);
    }

    public static Map<String, List<DomainEventMessage<?>>> byAggregate(List<DomainEventMessage<?>> events) {
        return events.stream().collect(Collectors.groupingBy(DomainEventMessage::getAggregateIdentifier,
                LinkedHashMap::new, Collectors.toList()));
    }

    /** Checks one aggregate's whole chain, in sequence order. */
    public static void verifyChain(String aggregateId, List<DomainEventMessage<?>> chain) {
        assertThat(chain).as("chain of %s", aggregateId).isNotEmpty();
        String previousHash = Envelope.ZERO_HASH;
        for (int i = 0; i < chain.size(); i++) {
            DomainEventMessage<?> event = chain.get(i);
            String where = aggregateId + " seq " + event.getSequenceNumber();
            assertThat(event.getSequenceNumber()).as("seq of event %d of %s", i, aggregateId).isEqualTo(i);
            assertThat(event.getMetaData().get(AuditKeys.PREV_HASH)).as("prevHash of %s", where)
                    .isEqualTo(previousHash);
            String stored = text(event.getMetaData(), AuditKeys.HASH);
            assertThat(envelopeOf(event).hash()).as("recomputed hash of %s", where).isEqualTo(stored);
            assertThat(event.getMetaData().get(AuditKeys.EVENT_TYPE)).as("eventType of %s", where)
                    .isEqualTo(EventSeal.eventTypeOf(event.getPayload()));
            assertThat(event.getIdentifier()).as("stored event id of %s", where)
                    .isEqualTo(event.getMetaData().get(AuditKeys.EVENT_ID));
            assertThat(Ts6.format(event.getTimestamp())).as("stored timestamp of %s", where)
                    .isEqualTo(event.getMetaData().get(AuditKeys.OCCURRED_AT));
            previousHash = stored;
        }
    }

    private static String text(Map<String, ?> metaData, String key) {
        Object value = metaData.get(key);
        assertThat(value).as("metadata %s", key).isInstanceOf(String.class);
        return (String) value;
    }
}
