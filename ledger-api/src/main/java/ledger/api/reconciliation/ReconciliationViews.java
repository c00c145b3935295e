package ledger.api.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.app.Results;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.ReconQueries.ItemRow;
import ledger.sagas.reconciliation.ReconQueries.OutcomeView;

/**
 * The reconciliation views as JSON (docs/reconciliation.md, "Views"): breaks with their items, and
 * a ledger transfer's match status on each side. Amounts are decimal strings.
 */
public class ReconciliationViews {
    static final int PAGE_DEFAULT = 50;
    private static final java.util.regex.Pattern CURSOR = java.util.regex.Pattern.compile("[bm]-[0-9a-f]{20}");

    private final ReconQueries queries;
    private final ObjectMapper json;

    public ReconciliationViews(ReconQueries queries, ObjectMapper json) {
        this.queries = queries;
        this.json = json;
    }

    /** {@code level} L1..L3 or null, {@code status} open, resolved or null, {@code cursor} the last id seen. */
    public ObjectNode breaks(String tenant, String level, String status, String cursor, Integer limit) {
        if (level != null && !level.matches("L[123]")) {
            throw Refusal.validation("level is L1, L2 or L3, not \"" + level + '"');
        }
        Boolean resolved = status == null ? null : switch (status) {
            case "open" -> false;
            case "resolved" -> true;
            default -> throw Refusal.validation("status is open or resolved, not \"" + status + '"');
        };
        if (cursor != null && !CURSOR.matcher(cursor).matches()) {
            throw Refusal.validation("cursor is the id of the last break of the previous page");
        }
        int size = limit == null ? PAGE_DEFAULT : limit;
        if (size < 1 || size > ReconQueries.PAGE_MAX) {
            throw Refusal.validation("limit is 1 to " + ReconQueries.PAGE_MAX);
        }
        List<OutcomeView> page = queries.breaks(tenant, level, resolved, cursor, size);
        ObjectNode answer = json.createObjectNode();
        ArrayNode breaks = answer.putArray("breaks");
        for (OutcomeView o : page) {
            breaks.add(outcome(tenant, o));
        }
        answer.put("next", page.size() == size ? page.get(page.size() - 1).outcomeId() : null);
        return answer;
    }

    public ObjectNode outcome(String tenant, String id) {
        Optional<OutcomeView> found = CURSOR.matcher(id).matches() ? queries.outcome(tenant, id) : Optional.empty();
        return outcome(tenant, found.orElseThrow(() ->
                Refusal.notFound(Codes.BREAK_NOT_FOUND, "break or match " + id + " does not exist")));
    }

    ObjectNode outcome(String tenant, OutcomeView o) {
        ObjectNode node = json.createObjectNode();
        node.put("id", o.outcomeId());
        node.put("status", "BREAK".equals(o.status()) ? (o.resolution() == null ? "OPEN" : "RESOLVED") : o.status());
        node.put("level", o.level());
        node.put("reason", o.reason());
        node.put("kind", o.kind());
        node.put("detail", o.detail());
        ArrayNode items = node.putArray("items");
        for (ItemRow item : queries.outcomeItems(tenant, o.outcomeId())) {
            items.add(item(item));
        }
        node.set("fixes", parse(o.fixes()));
        node.put("frozenAccount", o.frozenAccount());
        if (o.resolution() != null) {
            ObjectNode r = node.putObject("resolution");
            r.put("action", o.resolution());
            r.put("note", o.note());
            r.put("transferId", o.resolutionTransferId());
            r.put("resolvedAt", Results.ts(o.resolvedAt()));
        }
        node.put("openedAt", Results.ts(o.openedAt()));
        node.put("updatedAt", Results.ts(o.updatedAt()));
        return node;
    }

    /** A ledger transfer's items and, for each, the status of the match on every side. */
    public ObjectNode transfer(String tenant, String transferId) {
        List<ItemRow> mine = queries.transferItems(tenant, transferId);
        if (mine.isEmpty()) {
            throw Refusal.notFound(Codes.NOT_FOUND, "transfer " + transferId
                    + " has no posting on a reconciled account (or the matcher has not taken it yet)");
        }
        ObjectNode node = json.createObjectNode();
        node.put("transferId", transferId);
        ArrayNode postings = node.putArray("postings");
        for (ItemRow item : mine) {
            ObjectNode posting = item(item);
            ObjectNode sides = posting.putObject("sides");
            sides.put("LEDGER", item.status());
            sides.put("PROCESSOR", "UNMATCHED");
            sides.put("BANK", "UNMATCHED");
            if (item.outcomeId() != null) {
                for (ItemRow other : queries.outcomeItems(tenant, item.outcomeId())) {
                    if (!"LEDGER".equals(other.side())) {
                        sides.put(other.side(), other.status());
                    }
                }
            }
            postings.add(posting);
        }
        return node;
    }

    private ObjectNode item(ItemRow i) {
        ObjectNode node = json.createObjectNode();
        node.put("side", i.side());
        node.put("id", i.itemId());
        node.put("reference", i.reference());
        node.put("payout", i.groupKey());
        node.put("amount", i.amount().toPlainString());
        node.put("currency", i.currency());
        node.put("valueDate", i.valueDate());
        node.put("account", i.ledgerAccount());
        node.put("status", i.status());
        node.put("match", i.outcomeId());
        node.put("level", i.level());
        node.put("reason", i.reason());
        node.put("transferId", i.transferId());
        node.put("uploadId", i.uploadId());
        node.set("fixes", i.fixes() == null ? json.createArrayNode() : parse(i.fixes()));
        return node;
    }

    private JsonNode parse(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored JSON", e);
        }
    }
}
