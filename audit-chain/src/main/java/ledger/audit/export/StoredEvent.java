package ledger.audit.export;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An event as stored in a tenant's audit log: its position, its stored hash (hex) and its
 * envelope exactly as stored (never re-serialised from a Java object).
 */
public record StoredEvent(long position, String hash, JsonNode envelope) {
}
