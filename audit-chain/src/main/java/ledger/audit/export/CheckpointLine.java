package ledger.audit.export;

import com.fasterxml.jackson.databind.node.ObjectNode;
import ledger.audit.Json;
import ledger.audit.checkpoint.SignedCheckpoint;

/** {@code {"type":"checkpoint","checkpoint":{…},"signature":"base64"}}. */
public record CheckpointLine(SignedCheckpoint signed) implements ExportLine {

    public static final String TYPE = "checkpoint";

    @Override
    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("type", TYPE);
        o.setAll(signed.toJson());
        return o;
    }
}
