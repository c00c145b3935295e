package ledger.api.reconciliation;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ledger.api.app.Codes;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Refusal;
import ledger.api.app.Requests;
import ledger.api.app.Requests.TransferRequest;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.transfer.TransferSnapshot;
import ledger.projections.LedgerQueries;
import ledger.sagas.reconciliation.ContinuousMatching;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.ReconQueries.ItemRow;
import ledger.sagas.reconciliation.ReconQueries.OutcomeView;
import ledger.sagas.reconciliation.ReconciliationCommands.ResolveBreak;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved;

/**
 * Resolves a break of the review queue (docs/reconciliation.md, "Resolving a break"): {@code accept}
 * records the decision; {@code adjust} first posts a correcting entry between the reconciled account
 * and the counter-account of the break's ledger posting, {@code write_off} one between the
 * reconciled account and the configured write-off account, each for the difference between what the
 * external side says and what the ledger booked. Transfers go through the one command path
 * ({@link Commands}) with the id {@code recon-<break id>}, so a resolution sent again after a failure
 * posts once; the resolution itself is an event of the break.
 */
public class BreakResolution {
    public static final Set<String> ACTIONS = Set.of("accept", "adjust", "write_off");
    static final int NOTE_LENGTH_MAX = 2_000;

    private final Commands commands;
    private final Requests requests;
    private final ReconQueries queries;
    private final LedgerQueries ledger;
    private final String writeOffAccount;

    public BreakResolution(Commands commands, Requests requests, ReconQueries queries, LedgerQueries ledger,
                           String writeOffAccount) {
        this.commands = commands;
        this.requests = requests;
        this.queries = queries;
        this.ledger = ledger;
        this.writeOffAccount = writeOffAccount;
    }

    public record ResolveRequest(
            @io.swagger.v3.oas.annotations.media.Schema(
                    requiredMode = io.swagger.v3.oas.annotations.media.Schema.RequiredMode.REQUIRED,
                    description = "accept, adjust or write_off", example = "write_off") String action,
            @io.swagger.v3.oas.annotations.media.Schema(description = "at most 2000 characters",
                    example = "bank fee, agreed with treasury") String note) {
    }

    public void resolve(Origin origin, String breakId, ResolveRequest request) {
        Requests.body(request);
        if (request.action() == null || !ACTIONS.contains(request.action())) {
            throw Refusal.validation("action is accept, adjust or write_off, not "
                    + (request.action() == null ? "nothing" : '"' + request.action() + '"'));
        }
        if (request.note() != null && request.note().length() > NOTE_LENGTH_MAX) {
            throw Refusal.validation("note has at most " + NOTE_LENGTH_MAX + " characters");
        }
        String tenant = origin.caller().tenant();
        OutcomeView found = queries.outcome(tenant, breakId).filter(o -> "BREAK".equals(o.status()))
                .orElseThrow(() -> Refusal.notFound(Codes.BREAK_NOT_FOUND, "break " + breakId + " does not exist"));
        if (found.resolution() != null) {
            throw new Refusal(Codes.BREAK_ALREADY_RESOLVED, "break " + breakId + " was resolved by "
                    + found.resolution() + " at " + found.resolvedAt());
        }
        releaseAccount(origin, found); // a correction on the account must not be refused by the break's own freeze
        String transferId = "accept".equals(request.action()) ? null : post(origin, found, request.action());
        Outcome done = commands.send(origin, null, new ResolveBreak(new ReconciliationBreakResolved(tenant, breakId,
                request.action(), request.note(), transferId, origin.caller().keyId())));
        if (!(done instanceof Outcome.Done)) {
            throw new IllegalStateException("resolving " + breakId + ": " + done);
        }
    }

    /**
     * The account circuit breaker's release: the account this L3 break froze is unfrozen, unless
     * another open L3 break holds it frozen too.
     */
    private void releaseAccount(Origin origin, OutcomeView found) {
        String tenant = origin.caller().tenant();
        java.util.Optional<String> frozen = queries.frozenAccount(tenant, found.outcomeId());
        if (frozen.isEmpty() || queries.otherOpenBreakFreezes(tenant, frozen.get(), found.outcomeId())) {
            return;
        }
        Outcome released = commands.send(origin, null, new UnfreezeAccount(
                TenantId.of(tenant), AccountId.of(frozen.get())));
        if (released instanceof Outcome.Refused refused
                && !RejectionCode.ACCOUNT_CLOSED.code().equals(refused.code())) {
            throw new IllegalStateException("unfreezing " + frozen.get() + " for " + found.outcomeId() + ": "
                    + refused.detail());
        }
    }

    /** Posts the correcting or write-off entry; answers its id. */
    private String post(Origin origin, OutcomeView found, String action) {
        String tenant = origin.caller().tenant();
        List<ItemRow> items = queries.outcomeItems(tenant, found.outcomeId());
        if ("AMBIGUOUS".equals(found.reason()) || "CURRENCY_MISMATCH".equals(found.reason())) {
            throw new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, found.reason() + " break " + found.outcomeId()
                    + " has no single difference to " + action + "; accept it and post what is needed");
        }
        List<ItemRow> ledgerItems = items.stream().filter(i -> "LEDGER".equals(i.side())).toList();
        List<ItemRow> external = items.stream().filter(i -> !"LEDGER".equals(i.side())).toList();
        String account = items.stream().map(ItemRow::ledgerAccount).filter(a -> a != null).findFirst()
                .orElseThrow(() -> new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, "break " + found.outcomeId()
                        + " names no ledger account (upload its statement with account=)"));
        String currency = items.get(0).currency();
        // the bank's side when it is there, else the processor's: what actually reached the account
        List<ItemRow> reached = external.stream().anyMatch(i -> "BANK".equals(i.side()))
                ? external.stream().filter(i -> "BANK".equals(i.side())).toList() : external;
        BigDecimal difference = sum(reached).subtract(sum(ledgerItems));
        if (difference.signum() == 0) {
            throw new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, "break " + found.outcomeId()
                    + " has no difference to post");
        }
        String counter;
        if ("write_off".equals(action)) {
            counter = writeOffAccount;
        } else {
            if (ledgerItems.size() != 1) {
                throw new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, "adjust needs exactly one ledger posting in break "
                        + found.outcomeId() + " (it has " + ledgerItems.size() + "); write it off instead");
            }
            counter = counterAccount(tenant, ledgerItems.get(0), account);
        }
        String id = "recon-" + found.outcomeId();
        // money came in beyond what was booked: debit the reconciled account; less came: credit it
        String debit = difference.signum() > 0 ? account : counter;
        String credit = difference.signum() > 0 ? counter : account;
        TransferRequest transfer = new TransferRequest(id, debit, credit, difference.abs().toPlainString(), currency,
                false, null, Map.of(ContinuousMatching.RESOLVES_BREAK, found.outcomeId(), "reconciliation.action",
                action));
        Outcome outcome = commands.send(origin, null, requests.transfer(TenantId.of(tenant), transfer,
                Requests.Fields.JSON));
        if (outcome instanceof Outcome.Refused refused
                && !RejectionCode.DUPLICATE_ID.code().equals(refused.code())) { // posted by an earlier attempt
            throw new LedgerRejection(Codes.rejection(refused.code()).orElse(RejectionCode.VALIDATION_FAILED),
                    action + " of break " + found.outcomeId() + " could not post " + difference.abs().toPlainString()
                            + " " + currency + " between " + debit + " and " + credit + ": " + refused.detail());
        }
        return id;
    }

    private String counterAccount(String tenant, ItemRow posting, String account) {
        TransferSnapshot transfer = ledger.transfer(tenant, posting.transferId()).orElseThrow(() ->
                new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, "transfer " + posting.transferId() + " is not found"));
        List<String> others = transfer.legs().stream().map(Leg::accountId).filter(a -> !a.equals(account))
                .distinct().toList();
        if (others.size() != 1) {
            throw new Refusal(Codes.RESOLUTION_NOT_APPLICABLE, "transfer " + posting.transferId()
                    + " has no single counter-account to adjust against; write it off instead");
        }
        return others.get(0);
    }

    private static BigDecimal sum(List<ItemRow> items) {
        BigDecimal total = BigDecimal.ZERO;
        for (ItemRow i : items) {
            total = total.add(i.amount());
        }
        return total;
    }
}
