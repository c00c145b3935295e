package ledger.api.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import ledger.api.app.Outcome.Done;
import ledger.api.app.Outcome.NotSent;
import ledger.api.app.Outcome.Refused;
import ledger.api.command.Conflicts;
import ledger.api.command.NewStreamProbe;
import ledger.api.command.Outage;
import ledger.api.idempotency.IdempotencyInterceptor;
import ledger.api.metrics.LedgerMetrics;
import ledger.api.idempotency.IdempotencyStore;
import ledger.api.idempotency.IdempotencyStore.Stored;
import ledger.api.security.Caller;
import ledger.audit.Sha256;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.projections.LedgerQueries;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.transfer.LedgerCommandHandler.ChainRejection;
import ledger.domain.transfer.TransferSnapshot;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The one command path below REST and gRPC: sends a checked command ({@link Requests}) on behalf of
 * a caller and returns its {@link Outcome}, applying idempotency once for both APIs.
 *
 * <p>Idempotency: a request with a key is answered once. Its answer is stored under the key in a
 * neutral form (the {@link Views view} of a success as JSON, or a refusal's code and detail) with the
 * request's hash; the same key with the same request gets the stored answer again ({@code
 * replayed}), also across restarts, APIs and nodes; with another request it is {@code
 * idempotency_conflict} and nothing is sent. A success is stored by {@link IdempotencyInterceptor} in
 * the command's own transaction (posted and remembered commit together); a refusal is stored right
 * after it. Two requests with one key in this JVM never run at once: the second waits for the first
 * and replays its answer (they must not meet in one group-committed transaction).
 *
 * <p>Conflicts (another writer of the same accounts, another node, a key answered meanwhile) are
 * retried here ({@link Conflicts}), the retry marked careful; a conflict is never the caller's answer.
 *
 * <p>A command is sent only while its {@link Origin} may still send (a gRPC call's deadline, a
 * cancelled call); once sent it is always finished and its answer stored.
 */
@Component
public class Commands implements DisposableBean {
    public static final int KEY_LENGTH_MAX = 255;
    private static final Pattern KEY_FORM = Pattern.compile("[\\x21-\\x7E]{1," + KEY_LENGTH_MAX + "}");
    /** Threads that finish failed commands (store refusals, retry) and run linked chains. */
    static final int COMPLETION_THREADS = 8;

    private final CommandGateway gateway;
    private final IdempotencyStore store;
    private final Results results;
    private final ObjectMapper json;
    private final ExecutorService executor;
    private final LedgerMetrics metrics;
    private final LedgerQueries queries;
    /** Keys (per tenant) with a command in flight from this JVM. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public Commands(CommandGateway gateway, IdempotencyStore store, Results results, ObjectMapper json,
                    LedgerMetrics metrics, LedgerQueries queries) {
        this.queries = queries;
        this.metrics = metrics;
        this.gateway = gateway;
        this.store = store;
        this.results = results;
        this.json = json;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(COMPLETION_THREADS, runnable -> {
            Thread thread = new Thread(runnable, "command-completion-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public void destroy() {
        executor.shutdown();
    }

    /** Where work after a command continues (never the command bus's threads). */
    public ExecutorService executor() {
        return executor;
    }

    // ---------------------------------------------------------------- who sends, with which key

    /**
     * On whose behalf a command is sent: the caller, a correlation id for the audit log, and whether
     * the request may still send ({@code stopped} returns why not, or null while it may).
     */
    public record Origin(Caller caller, String correlationId, Supplier<NotSent> stopped) {
        /** A request that can always send (REST: the servlet request waits for its answer). */
        public static Origin of(Caller caller, String correlationId) {
            return new Origin(caller, correlationId, () -> null);
        }

        TenantId tenant() {
            return TenantId.of(caller.tenant());
        }
    }

    /** An idempotency key with the hash of the request it came with. */
    public record Keyed(String key, byte[] requestHash) {
        String hashHex() {
            return Sha256.hex(requestHash);
        }
    }

    /**
     * Checks a key: absent is allowed only where nothing moves money; {@code named} says how the
     * transport calls it ("the Idempotency-Key header", "idempotency_key").
     *
     * @return the key, or null when absent
     */
    public static String checkKey(String key, boolean required, String named) {
        if (key == null || key.isEmpty()) {
            if (required) {
                throw Refusal.validation(named + " is required for requests that move money");
            }
            return null;
        }
        if (!KEY_FORM.matcher(key).matches()) {
            throw Refusal.validation(named + " has 1 to " + KEY_LENGTH_MAX + " visible ASCII characters");
        }
        return key;
    }

    /** The key (checked already) with the hash of {@code request} sent to {@code path}; null without a key. */
    public Keyed keyed(String key, String path, Object request) {
        return key == null ? null : new Keyed(key, requestHash(path, request, ""));
    }

    /**
     * The hash that recognises a request: {@code "POST <path>\n"}, the request's JSON ({@link
     * Requests}) and {@code suffix}; both APIs compute it alike, so a key is one key on either.
     */
    public byte[] requestHash(String path, Object request, String suffix) {
        try {
            String canonical = "POST " + path + "\n" + json.writeValueAsString(request) + suffix;
            return Sha256.digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- one command

    /** Sends one command and waits for its outcome (the key's stored answer looked up first where it pays). */
    public Outcome send(Origin origin, Keyed keyed, Object command) {
        Optional<Stored> known;
        try {
            known = keyed == null || !needsLookUp(command) ? Optional.empty()
                    : store.find(origin.caller().tenant(), keyed.key());
        } catch (RuntimeException e) {
            throw Outage.isDatabaseUnavailable(e) ? Refusal.databaseUnavailable() : e;
        }
        return await(submit(origin, keyed, known, command));
    }

    /**
     * Sends one command whose key the caller has just looked up and found unanswered (a race with
     * another request under the same key is settled when the answer is stored, as in {@link #send}).
     */
    public Outcome sendUnanswered(Origin origin, Keyed keyed, Object command) {
        return await(submit(origin, keyed, Optional.empty(), command));
    }

    private Outcome await(CompletableFuture<Outcome> outcome) {
        try {
            return outcome.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a command", e);
        } catch (ExecutionException e) {
            throw propagate(e.getCause());
        }
    }

    /**
     * Sends one command: replays {@code known} (the key's stored answer, looked up by the caller) or
     * sends it, storing its answer under the key.
     */
    public CompletableFuture<Outcome> submit(Origin origin, Keyed keyed, Optional<Stored> known, Object command) {
        CompletableFuture<Outcome> outcome = keyed != null && known.isPresent()
                ? CompletableFuture.completedFuture(replay(known.get(), keyed, command))
                : attempt(origin, keyed, command, 1);
        String type = command.getClass().getSimpleName();
        return outcome.whenComplete((answer, failure) -> count(type, answer, failure));
    }

    /** Counts what became of a command ({@link LedgerMetrics}: by type and outcome, refusals by code). */
    private void count(String type, Outcome answer, Throwable failure) {
        if (answer instanceof Done done) {
            metrics.command(type, done.replayed() ? "replayed" : done.existed() ? "existed" : "done");
        } else if (answer instanceof Refused refused) {
            metrics.command(type, refused.replayed() ? "replayed" : "refused");
            if (!refused.replayed()) {
                metrics.refusal(refused.code());
            }
        } else if (answer instanceof NotSent) {
            metrics.command(type, "not_sent");
        } else if (failure != null) {
            Throwable cause = unwrap(failure);
            boolean unavailable = cause instanceof Refusal r && Codes.DATABASE_UNAVAILABLE.equals(r.code())
                    || Outage.isDatabaseUnavailable(cause);
            metrics.command(type, unavailable ? "unavailable" : "failed");
        }
    }

    /**
     * Whether a keyed command's stored answer is looked up before it is sent. A posted transfer
     * (the high-volume command) is sent without it, saving a query per transfer: if its key was
     * answered before, the transfer is refused (same request: its id is taken) or rolled back (its
     * key is stored in the same transaction as its events, and is taken), and either way what is
     * stored is the answer. Other commands keep the look-up: a pending transfer may schedule its
     * expiry, which should not be done and undone for a retry.
     */
    public static boolean needsLookUp(Object command) {
        return !(command instanceof CreateTransfer transfer) || transfer.pending();
    }

    /** Sends once this JVM has no other command with the same key in flight; else waits and replays. */
    private CompletableFuture<Outcome> attempt(Origin origin, Keyed keyed, Object command, int attempt) {
        NotSent stopped = origin.stopped().get();
        if (stopped != null) {
            return CompletableFuture.completedFuture(stopped);
        }
        if (keyed == null) {
            return run(origin, null, command, attempt);
        }
        String slot = slot(origin, keyed.key());
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> busy = inFlight.putIfAbsent(slot, mine);
        if (busy != null) {
            return busy.thenComposeAsync(ignored -> {
                Optional<Stored> stored = store.find(origin.caller().tenant(), keyed.key());
                return stored.isPresent() ? CompletableFuture.completedFuture(replay(stored.get(), keyed, command))
                        : attempt(origin, keyed, command, attempt);
            }, executor);
        }
        return run(origin, keyed, command, attempt).whenComplete((outcome, failure) -> release(slot, mine));
    }

    private CompletableFuture<Outcome> run(Origin origin, Keyed keyed, Object command, int attempt) {
        NotSent stopped = origin.stopped().get();
        if (stopped != null) {
            return CompletableFuture.completedFuture(stopped);
        }
        Map<String, String> metaData = metaData(origin);
        if (attempt > 1) {
            metaData.put(NewStreamProbe.CAREFUL, "true"); // it failed on a conflict before
        }
        if (keyed != null) {
            metaData.put(IdempotencyInterceptor.KEY, keyed.key());
            metaData.put(IdempotencyInterceptor.REQUEST_HASH, keyed.hashHex());
        }
        // A success is answered where it completes (the group commit's thread, right after the commit):
        // one thread hand-off less. Anything else (storing a refusal, a retry) runs on the executor.
        return dispatch(command, metaData).handle((result, failure) -> failure == null
                        ? CompletableFuture.<Outcome>completedFuture(done(command, result))
                        : CompletableFuture.supplyAsync(() -> failed(origin, keyed, command, attempt, failure), executor)
                        .thenCompose(Function.identity()))
                .thenCompose(Function.identity());
    }

    private Done done(Object command, Object result) {
        return new Done(results.view(command, result), Results.creates(command), false);
    }

    private CompletableFuture<Outcome> failed(Origin origin, Keyed keyed, Object command, int attempt,
                                              Throwable failure) {
        Throwable cause = unwrap(failure);
        if (Outage.isDatabaseUnavailable(cause)) {
            return CompletableFuture.failedFuture(Refusal.databaseUnavailable()); // not decided: nothing stored
        }
        if (cause instanceof LedgerRejection rejection && isRetryById(command, rejection)) {
            return retriedById(origin, keyed, command, rejection, attempt);
        }
        if (cause instanceof LedgerRejection rejection && mayBeRetryById(command, rejection, attempt)) {
            Optional<TransferSnapshot> existing = queries.transfer(origin.caller().tenant(), transferId(command));
            if (existing.isPresent()) {
                return CompletableFuture.completedFuture(storedOr(origin, keyed, command,
                        () -> sameOrConflict(origin, keyed, command, existing.get())));
            }
        }
        if (cause instanceof LedgerRejection rejection) {
            return CompletableFuture.completedFuture(refused(origin, keyed, command, rejection.code().code(),
                    rejection.getMessage()));
        }
        if (Conflicts.isConflict(cause)) {
            // another request with this key, or another writer of the same accounts, got there first
            Optional<Stored> winner = keyed == null ? Optional.empty()
                    : store.find(origin.caller().tenant(), keyed.key());
            if (winner.isPresent()) {
                return CompletableFuture.completedFuture(replay(winner.get(), keyed, command));
            }
            if (attempt < Conflicts.ATTEMPTS_MAX) {
                Conflicts.pause(attempt + 1);
                return run(origin, keyed, command, attempt + 1);
            }
        }
        return CompletableFuture.failedFuture(cause);
    }

    private static String slot(Origin origin, String key) {
        return origin.caller().tenant() + '\n' + key;
    }

    private void release(String slot, CompletableFuture<Void> mine) {
        inFlight.remove(slot, mine);
        mine.complete(null);
    }

    // ---------------------------------------------------------------- linked chains

    /** The outcome of sending a linked chain once. */
    public sealed interface ChainOutcome permits ChainCreated, ChainRefused, ChainRaced, ChainNotSent {
    }

    /** Every transfer of the chain was created (and its answer stored under its key). */
    public record ChainCreated(List<Done> transfers) implements ChainOutcome {
    }

    /**
     * The transfer at {@code index} of the chain was refused; nothing of the chain was applied. Its
     * answers (that transfer's refusal, linked_event_failed for the others) are stored under the keys.
     */
    public record ChainRefused(int index, RejectionCode code, String detail, List<Outcome> outcomes)
            implements ChainOutcome {
    }

    /**
     * One of the chain's keys was answered by another request meanwhile, or was busy in this JVM
     * ({@code waited}: the chain waited for it and was not sent); nothing was applied.
     */
    public record ChainRaced(boolean waited) implements ChainOutcome {
    }

    public record ChainNotSent(NotSent why) implements ChainOutcome {
    }

    /**
     * Sends a linked chain as one command ({@link CreateTransferChain}: one unit of work), with every
     * key and request hash, so the transfers and their stored answers commit together. If the chain
     * is refused, the refusal of each transfer is stored under its key: the refused one's own code,
     * linked_event_failed (detail from {@code linkedDetail}, given the refused index and code) for the
     * others. A chain is not group-committed: it runs on {@link #executor()}.
     */
    public CompletableFuture<ChainOutcome> sendChain(Origin origin, List<CreateTransfer> transfers, List<Keyed> keys,
                                                     BiFunction<Integer, String, String> linkedDetail) {
        NotSent stopped = origin.stopped().get();
        if (stopped != null) {
            return CompletableFuture.completedFuture(new ChainNotSent(stopped));
        }
        Map<String, CompletableFuture<Void>> held = new LinkedHashMap<>();
        for (Keyed keyed : keys) {
            String slot = slot(origin, keyed.key());
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> busy = inFlight.putIfAbsent(slot, mine);
            if (busy != null) {
                held.forEach(this::release);
                return busy.thenApplyAsync(ignored -> new ChainRaced(true), executor);
            }
            held.put(slot, mine);
        }
        Map<String, String> metaData = metaData(origin);
        metaData.put(IdempotencyInterceptor.CHAIN_KEYS, IdempotencyInterceptor.encodeChainKeys(
                keys.stream().map(Keyed::key).toList(), keys.stream().map(Keyed::hashHex).toList()));
        CreateTransferChain chain = new CreateTransferChain(origin.tenant(), transfers);
        return CompletableFuture.supplyAsync(() -> dispatch(chain, metaData), executor)
                .thenCompose(Function.identity())
                .handleAsync((result, failure) -> {
                    if (failure == null) {
                        @SuppressWarnings("unchecked")
                        List<TransferSnapshot> created = (List<TransferSnapshot>) result;
                        List<Done> done = new ArrayList<>(created.size());
                        for (int i = 0; i < created.size(); i++) {
                            done.add(done(transfers.get(i), created.get(i)));
                        }
                        return (ChainOutcome) new ChainCreated(done);
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof LedgerRejection refused) {
                        int index = cause instanceof ChainRejection indexed ? indexed.index() : indexOf(refused);
                        String detail = cause instanceof ChainRejection indexed ? indexed.detail() : refused.getMessage();
                        int failed = Math.min(Math.max(index, 0), transfers.size() - 1);
                        List<Outcome> outcomes = new ArrayList<>(transfers.size());
                        for (int i = 0; i < transfers.size(); i++) {
                            outcomes.add(i == failed
                                    ? refused(origin, keys.get(i), transfers.get(i), refused.code().code(), detail)
                                    : refused(origin, keys.get(i), transfers.get(i), Codes.LINKED_EVENT_FAILED,
                                    linkedDetail.apply(failed, refused.code().code())));
                        }
                        return new ChainRefused(failed, refused.code(), detail, outcomes);
                    }
                    if (Conflicts.isConflict(cause)) {
                        return new ChainRaced(false);
                    }
                    throw new CompletionException(cause);
                }, executor)
                .whenComplete((outcome, failure) -> {
                    held.forEach(this::release);
                    if (outcome instanceof ChainCreated created) {
                        created.transfers().forEach(done -> count("CreateTransfer", done, null));
                    } else if (outcome instanceof ChainRefused refused) {
                        refused.outcomes().forEach(answer -> count("CreateTransfer", answer, null));
                    }
                });
    }

    /** The index of a refusal that lost its type on the way (a remote bus keeps the message); 0 if none. */
    private static int indexOf(LedgerRejection refused) {
        String message = refused.getMessage() == null ? "" : refused.getMessage();
        int end = message.indexOf("]: ");
        if (message.startsWith(ChainRejection.DETAIL_PREFIX) && end > 0) {
            try {
                return Integer.parseInt(message.substring(ChainRejection.DETAIL_PREFIX.length(), end));
            } catch (NumberFormatException ignored) {
                // no index: the first transfer stands for the chain
            }
        }
        return 0;
    }

    // ---------------------------------------------------------------- retries by id (docs/retries.md)

    /** A command that creates a transfer or entry, refused because its id is taken. */
    private static boolean isRetryById(Object command, LedgerRejection rejection) {
        return rejection.code() == RejectionCode.DUPLICATE_ID && !(rejection instanceof ChainRejection)
                && (command instanceof CreateTransfer || command instanceof PostEntry);
    }

    /**
     * A command that creates a transfer or entry, refused for another reason on its first, optimistic
     * attempt: its id was taken as new without asking ({@link NewStreamProbe}), so a retry of a
     * transfer that exists can meet a rule the existing transfer changed (the funds it moved). Such a
     * refusal costs one look-up of the id; if it exists, the answer is about that transfer.
     */
    private static boolean mayBeRetryById(Object command, LedgerRejection rejection, int attempt) {
        return attempt == 1 && !(rejection instanceof ChainRejection)
                && (command instanceof CreateTransfer || command instanceof PostEntry);
    }

    private static String transferId(Object command) {
        return command instanceof CreateTransfer t ? t.transferId().value() : ((PostEntry) command).transferId().value();
    }

    /** The key's stored answer (a retry of the same request, or idempotency_conflict), else {@code answer}. */
    private Outcome storedOr(Origin origin, Keyed keyed, Object command, Supplier<Outcome> answer) {
        if (keyed != null) {
            Optional<Stored> stored = store.find(origin.caller().tenant(), keyed.key());
            if (stored.isPresent()) {
                return replay(stored.get(), keyed, command);
            }
        }
        return answer.get();
    }

    /**
     * The answer to a transfer whose id is taken: the key's stored answer if it has one (the same
     * request sent again, or the key used for another: idempotency_conflict); else the existing
     * transfer, marked as existing, when the content is the same, or transfer_id_conflict naming the
     * fields that differ. Stored under the key like any answer. The id may be taken by a transfer
     * not committed yet (one sent at the same time): a conflict, so the command runs again and finds it
     * committed or rolled back. Blocking: off the bus's threads.
     */
    private CompletableFuture<Outcome> retriedById(Origin origin, Keyed keyed, Object command,
                                                   LedgerRejection rejection, int attempt) {
        String tenant = origin.caller().tenant();
        if (keyed != null) {
            Optional<Stored> stored = store.find(tenant, keyed.key());
            if (stored.isPresent()) {
                return CompletableFuture.completedFuture(replay(stored.get(), keyed, command));
            }
        }
        Optional<TransferSnapshot> existing = queries.transfer(tenant, transferId(command));
        if (existing.isEmpty()) {
            if (attempt < Conflicts.ATTEMPTS_MAX) {
                Conflicts.pause(attempt + 1);
                return run(origin, keyed, command, attempt + 1);
            }
            return CompletableFuture.completedFuture(refused(origin, keyed, command, rejection.code().code(),
                    rejection.getMessage()));
        }
        return CompletableFuture.completedFuture(sameOrConflict(origin, keyed, command, existing.get()));
    }

    private Outcome sameOrConflict(Origin origin, Keyed keyed, Object command, TransferSnapshot existing) {
        String tenant = origin.caller().tenant();
        String transferId = existing.transferId();
        List<String> differ = SameTransfer.differences(command, existing);
        Outcome answer = differ.isEmpty()
                ? new Done(results.transfer(existing), false, false, true)
                : new Refused(Codes.TRANSFER_ID_CONFLICT, SameTransfer.detail(transferId, differ), false, differ);
        if (keyed == null) {
            return answer;
        }
        IdempotencyStore.Answer row = answer instanceof Done done
                ? new IdempotencyStore.Answer(tenant, keyed.key(), keyed.requestHash(), null, null,
                results.write(done.view()))
                : new IdempotencyStore.Answer(tenant, keyed.key(), keyed.requestHash(), Codes.TRANSFER_ID_CONFLICT,
                ((Refused) answer).detail(), null);
        if (store.insertMarked(row, differ.isEmpty(), differ)) {
            return answer;
        }
        return replay(store.find(tenant, keyed.key()).orElseThrow(), keyed, command);
    }

    // ---------------------------------------------------------------- refusals and replays

    /**
     * Stores a refusal under the key (unless the key was answered meanwhile; then that answer counts)
     * and returns it. Blocking: call it off the command bus's threads.
     */
    public Outcome refused(Origin origin, Keyed keyed, Object command, String code, String detail) {
        if (keyed == null) {
            return new Refused(code, detail, false);
        }
        if (store.insert(new IdempotencyStore.Answer(origin.caller().tenant(), keyed.key(), keyed.requestHash(),
                code, detail, null))) {
            return new Refused(code, detail, false);
        }
        return replay(store.find(origin.caller().tenant(), keyed.key()).orElseThrow(), keyed, command);
    }

    /** The answer stored under a key for {@code command}, or idempotency_conflict when it was stored for another request. */
    public Outcome replay(Stored stored, Keyed keyed, Object command) {
        if (!Arrays.equals(stored.requestHash(), keyed.requestHash())) {
            return conflict(keyed.key());
        }
        if (stored.refusalCode() != null) {
            return new Refused(stored.refusalCode(), stored.refusalDetail(), true, stored.refusalFields());
        }
        return new Done(results.read(stored.result(), Results.viewType(command)),
                Results.creates(command) && !stored.existed(), true, stored.existed());
    }

    /** The stored answers among {@code keys}, by key: one query for a whole batch. */
    public Map<String, Stored> storedAnswers(String tenant, java.util.Collection<String> keys) {
        return store.findAll(tenant, keys);
    }

    public static Refused conflict(String key) {
        return new Refused(Codes.IDEMPOTENCY_CONFLICT, "idempotency key \"" + key
                + "\" was used for a different request; nothing was changed", false);
    }

    // ---------------------------------------------------------------- sending

    private static Map<String, String> metaData(Origin origin) {
        Map<String, String> metaData = new HashMap<>();
        metaData.put(IdempotencyInterceptor.TENANT, origin.caller().tenant());
        metaData.put(AuditKeys.ACTOR, origin.caller().keyId());
        metaData.put(AuditKeys.CORRELATION_ID, origin.correlationId());
        return metaData;
    }

    private CompletableFuture<Object> dispatch(Object command, Map<String, String> metaData) {
        try {
            return gateway.send(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The failure as the handler threw it: without future wrappers, a remote bus's wrapper or Axon's not-found. */
    public static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandExecutionException remote && remote.getCause() instanceof LedgerRejection rejection) {
            return rejection;
        }
        if (cause instanceof AggregateNotFoundException) {
            return new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND, "account does not exist");
        }
        return cause;
    }

    private static RuntimeException propagate(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (Outage.isDatabaseUnavailable(cause)) {
            return Refusal.databaseUnavailable();
        }
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
