package ledger.audit.export;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import ledger.audit.Json;

/** {@code {"type":"consistency","fromTreeSize":m,"toTreeSize":n,"proof":[hex…]}}. */
public record ConsistencyLine(long fromTreeSize, long toTreeSize, List<String> proof) implements ExportLine {

    public static final String TYPE = "consistency";

    public ConsistencyLine {
        proof = List.copyOf(proof);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("type", TYPE);
        o.put("fromTreeSize", fromTreeSize);
        o.put("toTreeSize", toTreeSize);
        ArrayNode p = o.putArray("proof");
        proof.forEach(p::add);
        return o;
    }
}
