package ledger.projections.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import ledger.audit.Envelope;
import ledger.audit.Json;
import ledger.domain.seal.AuditKeys;

/**
 * Rebuilds an event's envelope (AUDIT-CHAIN.md section 1) from what the event store holds: the
 * seal's metadata, the row's aggregate type, id and sequence number, and the payload bytes exactly
 * as first stored, parsed (never re-serialised from a Java object). The envelope's {@code meta}
 * is the seal's {@code actor} and {@code correlationId}; other metadata (Axon's traceId, the seal's
 * own keys) is not part of it.
 */
public final class StoredEnvelopes {
    private StoredEnvelopes() {
    }

    /** A row of {@code domain_event_entry}, as far as the envelope needs it. */
    public record StoredRow(String eventIdentifier, String type, String aggregateIdentifier, long sequenceNumber,
                            byte[] metaData, byte[] payload) {
    }

    /** The envelope and the hash the seal stored beside it. */
    public record Rebuilt(Envelope envelope, String sealedHash) {
    }

    public static Rebuilt rebuild(StoredRow row) {
        JsonNode meta = parse(row.metaData(), "meta_data", row);
        JsonNode payload = parse(row.payload(), "payload", row);
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

    private static JsonNode parse(byte[] bytes, String column, StoredRow row) {
        if (bytes == null) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " has no " + column);
        }
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new IllegalStateException("event " + row.eventIdentifier() + ": " + column + " is not JSON", e);
        }
    }

    private static String text(JsonNode meta, String key, StoredRow row) {
        JsonNode value = meta.get(key);
        if (value == null || !value.isTextual()) {
            throw new IllegalStateException("event " + row.eventIdentifier() + " lacks sealed metadata \"" + key + "\"");
        }
        return value.textValue();
    }
}
