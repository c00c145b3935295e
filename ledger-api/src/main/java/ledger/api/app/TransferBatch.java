package ledger.api.app;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import ledger.api.app.Commands.ChainCreated;
import ledger.api.app.Commands.ChainNotSent;
import ledger.api.app.Commands.ChainOutcome;
import ledger.api.app.Commands.ChainRaced;
import ledger.api.app.Commands.ChainRefused;
import ledger.api.app.Commands.Keyed;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome.Refused;
import ledger.api.app.Requests.Fields;
import ledger.api.app.Requests.TransferRequest;
import ledger.api.idempotency.IdempotencyStore.Stored;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.TenantId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A batch of up to 8,190 transfers, each answered on its own: gRPC's {@code SubmitTransfers} and
 * REST's {@code POST /v1/transfers/batch} alike.
 *
 * <p>The batch is cut into units: a transfer on its own, or a linked chain (consecutive transfers
 * with {@code linked: true}, ended by the first with {@code linked: false}). Units are independent
 * requests: they are all sent at once, so the command bus group-commits them, and they are applied
 * in no guaranteed order among themselves. The exception is a unit that shares an idempotency key
 * or a transfer id with an earlier unit of the batch: it waits for that unit and then runs, so the
 * earlier one wins (a repeated key replays its answer or is idempotency_conflict; a repeated id is
 * duplicate_id). A chain is sent as one command and applied in order in one transaction.
 *
 * <p>Each transfer is the request REST takes as a {@code POST /v1/transfers} body ({@link Requests}),
 * checked there, and its request hash is REST's for that body (plus a marker for {@code linked:
 * true}), so a key is shared with REST.
 */
public final class TransferBatch {
    public static final int TRANSFERS_MAX = 8_190;
    static final String PATH = "/v1/transfers";
    private static final Logger LOG = LoggerFactory.getLogger(TransferBatch.class);
    private static final int RACE_ATTEMPTS_MAX = 3;

    private final Commands commands;
    private final Requests requests;
    private final Executor executor;
    private final Origin origin;
    private final Fields fields;
    private final Item[] items;
    private final Outcome[] replies;

    /**
     * One transfer of a batch as sent: the request REST takes for {@code POST /v1/transfers}, its
     * idempotency key, and whether it is linked to the next one ({@code linked: true} starts or
     * continues a chain that ends at the first transfer with {@code linked: false}).
     */
    public record Entry(TransferRequest request, String idempotencyKey, boolean linked) {
    }

    /** One transfer of the batch, as parsed: a command and its key, or why it is malformed. */
    private static final class Item {
        final int index;
        final Entry request;
        CreateTransfer command;
        Keyed keyed;
        Refused malformed;

        Item(int index, Entry request) {
            this.index = index;
            this.request = request;
        }
    }

    /** Transfers [from, to) of the batch: one transfer, or a chain; open: the batch ended inside the chain. */
    private record Unit(int from, int to, boolean open) {
        int size() {
            return to - from;
        }
    }

    public TransferBatch(Commands commands, Requests requests, Origin origin, Fields fields, List<Entry> transfers) {
        if (transfers.size() > TRANSFERS_MAX) {
            throw Refusal.validation("a batch has at most " + TRANSFERS_MAX + " transfers, not " + transfers.size());
        }
        this.commands = commands;
        this.requests = requests;
        this.executor = commands.executor();
        this.origin = origin;
        this.fields = fields;
        this.items = new Item[transfers.size()];
        this.replies = new Outcome[transfers.size()];
        TenantId tenant = TenantId.of(origin.caller().tenant());
        for (int i = 0; i < items.length; i++) {
            items[i] = parse(tenant, i, transfers.get(i));
        }
    }

    /** Sends every unit; completes with one reply per transfer, in request order, once every sent unit is answered. */
    public CompletableFuture<List<Outcome>> run() {
        List<Unit> units = units();
        Map<String, Integer> lastUnitByKey = new HashMap<>();
        Map<String, Integer> lastUnitById = new HashMap<>();
        List<Set<Integer>> dependencies = new ArrayList<>(units.size());
        Set<String> firstKeys = new LinkedHashSet<>();
        for (int u = 0; u < units.size(); u++) {
            Set<Integer> after = new HashSet<>();
            for (int i = units.get(u).from(); i < units.get(u).to(); i++) {
                Item item = items[i];
                if (item.malformed != null) {
                    continue;
                }
                Integer byKey = lastUnitByKey.put(item.keyed.key(), u);
                Integer byId = lastUnitById.put(item.command.transferId().value(), u);
                if (byKey != null && byKey != u) {
                    after.add(byKey);
                } else if (byKey == null) {
                    firstKeys.add(item.keyed.key());
                }
                if (byId != null && byId != u) {
                    after.add(byId);
                }
            }
            dependencies.add(after);
        }
        // One query for every key's stored answer; a unit that waits for another looks again then.
        // Many transfers keep it, so re-sending a cut-short batch costs one query, not a refusal per
        // transfer; a lone posted transfer goes without (see Commands#needsLookUp).
        boolean lone = items.length == 1 && items[0].command != null && !Commands.needsLookUp(items[0].command);
        Map<String, Stored> known = lone ? Map.of() : commands.storedAnswers(origin.caller().tenant(), firstKeys);
        List<CompletableFuture<Void>> done = new ArrayList<>(units.size());
        for (int u = 0; u < units.size(); u++) {
            Unit unit = units.get(u);
            Set<Integer> after = dependencies.get(u);
            CompletableFuture<Void> answered;
            if (after.isEmpty()) {
                answered = guarded(unit, () -> runUnit(unit, known, 1));
            } else {
                CompletableFuture<?>[] earlier = after.stream().map(done::get).toArray(CompletableFuture[]::new);
                answered = CompletableFuture.allOf(earlier).thenComposeAsync(ignored ->
                        guarded(unit, () -> runUnit(unit, lookUp(unit), 1)), executor);
            }
            done.add(answered);
        }
        return CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).thenApply(ignored -> List.of(replies));
    }

    // ---------------------------------------------------------------- parsing

    private Item parse(TenantId tenant, int index, Entry t) {
        Item item = new Item(index, t);
        try {
            if (t == null || t.request() == null) {
                throw Refusal.validation("transfers[" + index + "] must be an object");
            }
            item.command = requests.transfer(tenant, t.request(), fields);
            String key = Commands.checkKey(t.idempotencyKey(), true, fields.name("idempotencyKey"));
            item.keyed = new Keyed(key, commands.requestHash(PATH, t.request(), t.linked() ? "\nlinked" : ""));
        } catch (Refusal refusal) {
            item.malformed = new Refused(refusal.code(), refusal.getMessage(), false);
        } catch (LedgerRejection rejection) {
            item.malformed = new Refused(rejection.code().code(), rejection.getMessage(), false);
        }
        return item;
    }

    private List<Unit> units() {
        List<Unit> units = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < items.length; i++) {
            boolean linked = items[i].request != null && items[i].request.linked();
            if (!linked || i == items.length - 1) {
                units.add(new Unit(from, i + 1, linked));
                from = i + 1;
            }
        }
        return units;
    }

    // ---------------------------------------------------------------- running a unit

    /** Runs a unit; an unexpected failure answers its transfers with internal_error, not the whole batch. */
    private CompletableFuture<Void> guarded(Unit unit, java.util.function.Supplier<CompletableFuture<Void>> run) {
        CompletableFuture<Void> running;
        try {
            running = run.get();
        } catch (RuntimeException e) {
            running = CompletableFuture.failedFuture(e);
        }
        return running.exceptionally(failure -> {
            LOG.error("transfers {} to {} of a gRPC batch failed unexpectedly", unit.from(), unit.to() - 1,
                    Commands.unwrap(failure));
            for (int i = unit.from(); i < unit.to(); i++) {
                if (replies[i] == null) {
                    replies[i] = new Refused(Codes.INTERNAL_ERROR, "the transfer failed unexpectedly; "
                            + "it may be retried with the same idempotency_key", false);
                }
            }
            return null;
        });
    }

    private Map<String, Stored> lookUp(Unit unit) {
        Set<String> keys = new HashSet<>();
        for (int i = unit.from(); i < unit.to(); i++) {
            if (items[i].keyed != null) {
                keys.add(items[i].keyed.key());
            }
        }
        return commands.storedAnswers(origin.caller().tenant(), keys);
    }

    private CompletableFuture<Void> runUnit(Unit unit, Map<String, Stored> known, int attempt) {
        if (unit.open()) {
            Item last = items[unit.to() - 1];
            failChain(unit, last.index, new Refused(Codes.VALIDATION_FAILED, "transfers[" + last.index
                    + "] has linked: true but ends the batch: a linked chain ends with a transfer whose linked is false",
                    false));
            return CompletableFuture.completedFuture(null);
        }
        for (int i = unit.from(); i < unit.to(); i++) {
            if (items[i].malformed != null) {
                failChain(unit, i, items[i].malformed);
                return CompletableFuture.completedFuture(null);
            }
        }
        Set<String> chainKeys = new HashSet<>();
        for (int i = unit.from(); i < unit.to(); i++) {
            if (!chainKeys.add(items[i].keyed.key())) {
                failChain(unit, i, new Refused(Codes.VALIDATION_FAILED, "idempotency_key \"" + items[i].keyed.key()
                        + "\" appears twice in one linked chain", false));
                return CompletableFuture.completedFuture(null);
            }
        }
        if (unit.size() == 1) {
            Item item = items[unit.from()];
            Stored stored = known.get(item.keyed.key());
            if (stored != null) {
                replies[item.index] = commands.replay(stored, item.keyed, item.command);
                return CompletableFuture.completedFuture(null);
            }
            return commands.submit(origin, item.keyed, Optional.empty(), item.command)
                    .thenAccept(reply -> replies[item.index] = reply);
        }
        return runChain(unit, known, attempt);
    }

    /**
     * A chain: transfers answered before (same key, same request) keep their answers and are not run
     * again; if one of them was refused, or a key was used for another request, the chain fails;
     * otherwise the others run as one chain.
     */
    private CompletableFuture<Void> runChain(Unit unit, Map<String, Stored> known, int attempt) {
        List<Item> pending = new ArrayList<>();
        Integer failed = null;
        for (int i = unit.from(); i < unit.to(); i++) {
            Item item = items[i];
            Stored stored = known.get(item.keyed.key());
            if (stored == null) {
                pending.add(item);
                continue;
            }
            Outcome reply = commands.replay(stored, item.keyed, item.command);
            replies[i] = reply;
            if (reply instanceof Refused && failed == null) {
                failed = i;
            }
        }
        if (failed != null) {
            linkedFailed(unit, failed);
            return CompletableFuture.completedFuture(null);
        }
        if (pending.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (pending.size() == 1) {
            Item item = pending.get(0);
            return commands.submit(origin, item.keyed, Optional.empty(), item.command)
                    .thenAccept(reply -> replies[item.index] = reply);
        }
        List<CreateTransfer> transfers = pending.stream().map(item -> item.command).toList();
        List<Keyed> keys = pending.stream().map(item -> item.keyed).toList();
        return commands.sendChain(origin, transfers, keys,
                        (refusedAt, code) -> linkedDetail(pending.get(refusedAt).index, code))
                .thenComposeAsync(outcome -> chainAnswered(unit, pending, outcome, attempt), executor);
    }

    private CompletableFuture<Void> chainAnswered(Unit unit, List<Item> pending, ChainOutcome outcome, int attempt) {
        if (outcome instanceof ChainCreated created) {
            for (int p = 0; p < pending.size(); p++) {
                replies[pending.get(p).index] = created.transfers().get(p);
            }
        } else if (outcome instanceof ChainRefused refused) {
            for (int p = 0; p < pending.size(); p++) {
                replies[pending.get(p).index] = refused.outcomes().get(p);
            }
        } else if (outcome instanceof ChainRaced raced) {
            int next = raced.waited() ? attempt : attempt + 1;
            if (next > RACE_ATTEMPTS_MAX) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "the chain's idempotency keys kept being answered concurrently"));
            }
            for (int i = unit.from(); i < unit.to(); i++) {
                replies[i] = null;
            }
            return runUnit(unit, lookUp(unit), next);
        } else if (outcome instanceof ChainNotSent notSent) {
            for (Item item : pending) {
                replies[item.index] = notSent.why();
            }
        }
        return CompletableFuture.completedFuture(null);
    }

    /** A chain that was not sent: the transfer at {@code failed} has {@code reason}, the others linked_event_failed. */
    private void failChain(Unit unit, int failed, Refused reason) {
        for (int i = unit.from(); i < unit.to(); i++) {
            replies[i] = i == failed ? reason
                    : new Refused(Codes.LINKED_EVENT_FAILED, linkedDetail(failed, reason.code()), false);
        }
    }

    /** Answers every transfer of the chain not answered yet with linked_event_failed, because of {@code failed}. */
    private void linkedFailed(Unit unit, int failed) {
        String code = ((Refused) replies[failed]).code();
        for (int i = unit.from(); i < unit.to(); i++) {
            if (replies[i] == null) {
                replies[i] = new Refused(Codes.LINKED_EVENT_FAILED, linkedDetail(failed, code), false);
            }
        }
    }

    private String linkedDetail(int failed, String code) {
        TransferRequest request = items[failed].request == null ? null : items[failed].request.request();
        String id = request == null ? null : request.id();
        return "linked with transfers[" + failed + "] (" + (id == null || id.isEmpty() ? "no id" : "id " + id)
                + "), which was refused: " + code + "; nothing of the chain was applied";
    }
}
