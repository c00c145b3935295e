package ledger.api.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.domain.book.AccountState;
import ledger.domain.model.AccountKind;
import ledger.projections.LedgerQueries;
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
    private final LedgerQueries ledgerQueries;

    public ReconciliationViews(ReconQueries queries, ObjectMapper json, LedgerQueries ledgerQueries) {
        this.queries = queries;
        this.json = json;
        this.ledgerQueries = ledgerQueries;
    }

    /**
     * A statement's opening and closing balances against the ledger balance of its mapped account:
     * the opening balance dated D is the account's balance at the start of D (UTC), the closing balance
     * dated D its balance at the end of D. {@code balanceCheck}: AGREE, DIFFER, or UNCHECKED (no mapped
     * account, no balance, or another currency).
     */
    public ObjectNode balanceCheck(String tenant, ReconQueries.StatementRow s) {
        ObjectNode node = json.createObjectNode();
        java.util.Optional<LedgerQueries.AccountRow> account = s.ledgerAccount() == null
                ? java.util.Optional.empty() : ledgerQueries.account(tenant, s.ledgerAccount());
        if (account.isEmpty() || s.currency() == null || !account.get().currency().equals(s.currency())
                || s.openingBalance() == null || s.closingBalance() == null || s.openingDate() == null
                || s.closingDate() == null) {
            node.put("balanceCheck", "UNCHECKED");
            return node;
        }
        java.math.BigDecimal opening = balanceAt(tenant, account.get(), s.openingDate().atStartOfDay()
                .atOffset(java.time.ZoneOffset.UTC).minusNanos(1000));
        java.math.BigDecimal closing = balanceAt(tenant, account.get(), s.closingDate().plusDays(1).atStartOfDay()
                .atOffset(java.time.ZoneOffset.UTC).minusNanos(1000));
        node.put("ledgerOpeningBalance", opening.toPlainString());
        node.put("ledgerClosingBalance", closing.toPlainString());
        boolean agree = opening.compareTo(s.openingBalance()) == 0 && closing.compareTo(s.closingBalance()) == 0;
        node.put("balanceCheck", agree ? "AGREE" : "DIFFER");
        return node;
    }

    private java.math.BigDecimal balanceAt(String tenant, LedgerQueries.AccountRow account,
                                           java.time.OffsetDateTime asOf) {
        long minor = ledgerQueries.postedAsOf(tenant, account.accountId(), asOf)
                .map(t -> AccountState.balance(AccountKind.valueOf(account.kind()),
                        t.debitsPosted(), t.creditsPosted()))
                .orElse(0L);
        return java.math.BigDecimal.valueOf(minor, account.scale());
    }

    /** An upload's items by statement, side and status: counts and amounts, with matched and unmatched totals. */
    public ObjectNode uploadSummary(String tenant, String uploadId) {
        queries.upload(tenant, uploadId).orElseThrow(() ->
                Refusal.notFound(Codes.UPLOAD_NOT_FOUND, "upload " + uploadId + " does not exist"));
        ObjectNode node = json.createObjectNode();
        node.put("uploadId", uploadId);
        node.set("tallies", tallies(queries.uploadTallies(tenant, uploadId), "statementId"));
        return node;
    }

    /** One day's items of one reconciled account (or all): counts and amounts by side and status. */
    public ObjectNode daySummary(String tenant, String date, String account) {
        try {
            java.time.LocalDate.parse(date == null ? "" : date);
        } catch (java.time.format.DateTimeParseException e) {
            throw Refusal.validation("date is a day such as 2026-03-02");
        }
        ObjectNode node = json.createObjectNode();
        node.put("date", date);
        node.put("account", account);
        node.set("tallies", tallies(queries.dayTallies(tenant, date, account), "account"));
        return node;
    }

    private ArrayNode tallies(List<ReconQueries.Tally> rows, String groupName) {
        ArrayNode out = json.createArrayNode();
        for (ReconQueries.Tally t : rows) {
            ObjectNode row = out.addObject();
            row.put(groupName, t.group());
            row.put("side", t.side());
            row.put("status", "MATCHED".equals(t.status()) ? "MATCHED" : "UNMATCHED");
            row.put("state", t.status());
            row.put("currency", t.currency());
            row.put("items", t.items());
            row.put("amount", t.amount().toPlainString());
        }
        return out;
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
