package ledger.projections.audit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import ledger.audit.Envelope;
import ledger.audit.Json;
import ledger.domain.seal.AuditKeys;

/**
 * Rebuilds an event's envelope (AUDIT-CHAIN.md section 1) from what the event store holds: the
 * seal's metadata, the row's aggregate type, id and sequence number, and the payload exactly as first
 * stored, parsed (never re-serialised from a Java object). The envelope's {@code meta}
 * is the seal's {@code actor} and {@code correlationId}; other metadata (Axon's traceId, the seal's
 * own keys) is not part of it.
 */
public final class StoredEnvelopes {
    private static final ObjectReader TREE = Json.mapper().readerFor(JsonNode.class);

    private StoredEnvelopes() {
    }

    /** A row of {@code domain_event_entry}, as far as the envelope needs it. */
    public record StoredRow(String eventIdentifier, String type, String aggregateIdentifier, long sequenceNumber,
                            String metaData, String payload) {
    }

    /** The envelope and the hash the seal stored beside it. */
    public record Rebuilt(Envelope envelope, String sealedHash) {
    }

    public static Rebuilt rebuild(StoredRow row) {
        Map<String, String> meta = stringMembers(row);
        JsonNode payload = payload(row);
        String eventId = text(meta, AuditKeys.EVENT_ID, row);
        if (!eventId.equals(row.eventIdentifier())) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " was sealed as " + eventId);
        }
        Envelope envelope = new Envelope(text(meta, AuditKeys.TENANT, row), row.type(), row.aggregateIdentifier(),
                row.sequenceNumber(), eventId, text(meta, AuditKeys.EVENT_TYPE, row),
                text(meta, AuditKeys.OCCURRED_AT, row),
                Map.of(AuditKeys.ACTOR, text(meta, AuditKeys.ACTOR, row),
                        AuditKeys.CORRELATION_ID, text(meta, AuditKeys.CORRELATION_ID, row)),
                payload, text(meta, AuditKeys.PREV_HASH, row));
        return new Rebuilt(envelope, text(meta, AuditKeys.HASH, row));
    }

    /**
     * The string-valued top-level members of the stored metadata, read as a token stream: every
     * sealed key is a string, and whatever else Axon keeps there is skipped without building it.
     */
    private static Map<String, String> stringMembers(StoredRow row) {
        if (row.metaData() == null) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " has no meta_data");
        }
        Map<String, String> members = new HashMap<>(16);
        try (JsonParser p = Json.mapper().getFactory().createParser(row.metaData())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalStateException("event " + row.eventIdentifier() + ": meta_data is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() == JsonToken.VALUE_STRING) {
                    members.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("event " + row.eventIdentifier() + ": meta_data is not JSON", e);
        }
        return members;
    }

    private static JsonNode payload(StoredRow row) {
        if (row.payload() == null) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " has no payload");
        }
        try {
            return TREE.readTree(row.payload());
        } catch (IOException e) {
            throw new IllegalStateException("event " + row.eventIdentifier() + ": payload is not JSON", e);
        }
    }

    private static String text(Map<String, String> meta, String key, StoredRow row) {
        String value = meta.get(key);
        if (value == null) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " lacks sealed metadata \"" + key + "\"");
        }
        return value;
    }
}
