package ledger.audit.export;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One line of an export file (AUDIT-CHAIN.md section 4). */
public sealed interface ExportLine permits ExportHeader, EventLine, CheckpointLine, ConsistencyLine {

    /** The line as a JSON object, {@code "type"} included. */
    ObjectNode toJson();
}
