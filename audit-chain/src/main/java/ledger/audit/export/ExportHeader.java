package ledger.audit.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import ledger.audit.Json;

/**
 * {@code {"type":"header","v":1,"ledgerId","tenant","publicKey","keyId","fromPosition","toPosition","exportedAt"}}.
 * Not signed: the verifier trusts its own copy of the public key, not this one.
 */
public record ExportHeader(String ledgerId, String tenant, String publicKey, String keyId, long fromPosition,
        long toPosition, String exportedAt) implements ExportLine {

    public static final String TYPE = "header";
    public static final int VERSION = 1;

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("type", TYPE);
        o.put("v", VERSION);
        o.put("ledgerId", ledgerId);
        o.put("tenant", tenant);
        o.put("publicKey", publicKey);
        o.put("keyId", keyId);
        o.put("fromPosition", fromPosition);
        o.put("toPosition", toPosition);
        o.put("exportedAt", exportedAt);
        return o;
    }

    /** toPosition - fromPosition + 1. */
    public long eventCount() {
        return toPosition - fromPosition + 1;
    }
}
