package ledger.audit.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import ledger.audit.Json;

/**
 * {@code {"type":"event","position":p,"hash":"hex","envelope":{…}}}, plus
 * {@code "inclusionProof":[hex…]} when the export starts after position 0. The envelope is kept
 * as the JSON read or stored, never re-serialised from an object.
 *
 * @param inclusionProof null when the line has none (exports from position 0)
 */
public record EventLine(long position, String hash, JsonNode envelope, List<String> inclusionProof)
        implements ExportLine {

    public static final String TYPE = "event";

    public EventLine {
        inclusionProof = inclusionProof == null ? null : List.copyOf(inclusionProof);
    }

    public boolean hasInclusionProof() {
        return inclusionProof != null;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("type", TYPE);
        o.put("position", position);
        o.put("hash", hash);
        o.set("envelope", envelope);
        if (inclusionProof != null) {
            ArrayNode proof = o.putArray("inclusionProof");
            inclusionProof.forEach(proof::add);
        }
        return o;
    }
}
