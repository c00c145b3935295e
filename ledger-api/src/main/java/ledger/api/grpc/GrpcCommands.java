package ledger.api.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Context;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import ledger.api.command.Conflicts;
import ledger.api.command.NewStreamProbe;
import ledger.api.idempotency.IdempotencyInterceptor;
import ledger.api.idempotency.IdempotencyStore;
import ledger.api.idempotency.IdempotencyStore.Stored;
import ledger.api.idempotency.LedgerCommands;
import ledger.api.security.Caller;
import ledger.api.web.ApiProblem;
import ledger.api.web.Problems;
import ledger.audit.Sha256;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
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
import org.springframework.http.HttpStatus;

/**
 * Sends commands for gRPC calls, asynchronously, with REST's idempotency rules (see
 * {@link LedgerCommands}): a stored answer with the same request hash is replayed, with another hash
 * it is {@code idempotency_conflict} and nothing is sent; a success is stored by
 * {@link IdempotencyInterceptor} in the command's own transaction; a refusal is stored after it, as
 * on REST. Answers are stored in REST's form (HTTP status and JSON body), so a key is one key
 * whichever API used it first.
 *
 * <p>A command is sent only while the call is alive (deadline not passed, not cancelled); once
 * sent it is always finished and its answer stored, whatever happens to the call. Work after a
 * command completes (storing a refusal, rendering) runs on {@code executor}, never on the
 * command bus's threads.
 */
public final class GrpcCommands {
    public static final int KEY_LENGTH_MAX = LedgerCommands.KEY_LENGTH_MAX;
    private static final Pattern KEY_FORM = Pattern.compile("[\\x21-\\x7E]{1," + KEY_LENGTH_MAX + "}");

    private final CommandGateway gateway;
    private final IdempotencyStore store;
    private final Problems problems;
    private final ObjectMapper json;
    private final Executor executor;
    /** Keys (per tenant) with a command in flight from this JVM's gRPC calls. */
    private final ConcurrentHashMap<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public GrpcCommands(CommandGateway gateway, IdempotencyStore store, Problems problems, ObjectMapper json,
                        Executor executor) {
        this.gateway = gateway;
        this.store = store;
        this.problems = problems;
        this.json = json;
        this.executor = executor;
    }

    // ---------------------------------------------------------------- answers

    /** The answer to one command, or to one transfer of a batch. */
    public sealed interface Reply permits Ok, OkStored, Refused, NotSent {
    }

    /** Done now: the command and what its handler returned. */
    public record Ok(Object command, Object result) implements Reply {
    }

    /** Done by an earlier request with the same key and request: the stored JSON answer. */
    public record OkStored(String body) implements Reply {
    }

    /** Refused with a REST code; {@code replayed}: the refusal stored by an earlier request. */
    public record Refused(String code, String detail, boolean replayed) implements Reply {
    }

    /** Not sent: the call's deadline had passed or the call was cancelled ({@code code} says which). */
    public record NotSent(String code, String detail) implements Reply {
    }

    /** What a call sends on behalf of: who, its correlation id and the gRPC context (deadline, cancellation). */
    public record Call(Caller caller, String correlationId, Context context) {
        public static Call current() {
            String correlation = GrpcAuth.CORRELATION.get();
            return new Call(GrpcAuth.CALLER.get(), correlation != null ? correlation : UUID.randomUUID().toString(),
                    Context.current());
        }

        /** Why nothing more may be sent for this call, or null while it may. */
        NotSent stopped() {
            if (context.getDeadline() != null && context.getDeadline().isExpired()) {
                return new NotSent(GrpcErrors.DEADLINE_EXCEEDED, "the call's deadline passed before this was sent");
            }
            if (context.isCancelled()) {
                return new NotSent(GrpcErrors.CANCELLED, "the call was cancelled before this was sent");
            }
            return null;
        }
    }

    /** An idempotency key with the hash of the request it was sent with. */
    public record Keyed(String key, byte[] requestHash) {
        String hashHex() {
            return Sha256.hex(requestHash);
        }
    }

    // ---------------------------------------------------------------- keys and hashes

    /**
     * Checks a key as REST does: absent is allowed only where nothing moves money.
     *
     * @return the key, or null when absent
     */
    public static String checkKey(String key, boolean required, String field) {
        if (key == null || key.isEmpty()) {
            if (required) {
                throw ApiProblem.validation(field + " is required for requests that move money");
            }
            return null;
        }
        if (!KEY_FORM.matcher(key).matches()) {
            throw ApiProblem.validation(field + " has 1 to " + KEY_LENGTH_MAX + " visible ASCII characters");
        }
        return key;
    }

    /**
     * The request hash, computed as REST computes it for the same request ({@code "POST <path>\n"} and
     * the request body's JSON), so a key used on either API recognises the same request on the other.
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

    /**
     * Sends one command: replays {@code known} (the key's stored answer, looked up by the caller) or
     * sends it, storing its answer under the key.
     *
     * @param keyed    the key and request hash, or null for a command sent without a key
     * @param instance the REST path of the same request, for stored problem documents
     */
    public CompletableFuture<Reply> send(Call call, Keyed keyed, Optional<Stored> known, String instance,
                                         Object command) {
        if (keyed != null && known.isPresent()) {
            return CompletableFuture.completedFuture(replay(known.get(), keyed, true));
        }
        return attempt(call, keyed, instance, command, 1);
    }

    /** {@link #send} for a unary call: looks the key up first, waits for the answer. */
    public Reply sendAndWait(Call call, Keyed keyed, String instance, Object command) {
        Optional<Stored> known = keyed == null ? Optional.empty() : store.find(call.caller().tenant(), keyed.key());
        try {
            return send(call, keyed, known, instance, command).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a command", e);
        } catch (ExecutionException e) {
            throw propagate(e.getCause());
        }
    }

    /**
     * Sends once this JVM has no other command with the same key in flight: two commands with one key
     * must not meet in one group-committed transaction (the second would be refused only after its
     * changes were applied). With the key busy, waits for that command and then replays its answer.
     */
    private CompletableFuture<Reply> attempt(Call call, Keyed keyed, String instance, Object command, int attempt) {
        NotSent stopped = call.stopped();
        if (stopped != null) {
            return CompletableFuture.completedFuture(stopped);
        }
        if (keyed == null) {
            return run(call, null, instance, command, attempt);
        }
        String slot = slot(call, keyed.key());
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> busy = inFlight.putIfAbsent(slot, mine);
        if (busy != null) {
            return busy.thenComposeAsync(ignored -> {
                Optional<Stored> stored = store.find(call.caller().tenant(), keyed.key());
                return stored.isPresent() ? CompletableFuture.completedFuture(replay(stored.get(), keyed, true))
                        : attempt(call, keyed, instance, command, attempt);
            }, executor);
        }
        return run(call, keyed, instance, command, attempt).whenComplete((reply, failure) -> release(slot, mine));
    }

    private CompletableFuture<Reply> run(Call call, Keyed keyed, String instance, Object command, int attempt) {
        NotSent stopped = call.stopped();
        if (stopped != null) {
            return CompletableFuture.completedFuture(stopped);
        }
        Map<String, String> metaData = metaData(call);
        if (attempt > 1) {
            metaData.put(NewStreamProbe.CAREFUL, "true"); // it failed on a conflict before
        }
        if (keyed != null) {
            metaData.put(IdempotencyInterceptor.KEY, keyed.key());
            metaData.put(IdempotencyInterceptor.REQUEST_HASH, keyed.hashHex());
        }
        // A success is answered where it completes (the group commit's thread, right after the commit):
        // one thread hand-off less per call. Anything else (storing a refusal, a retry) runs on the executor.
        return dispatch(command, metaData).handle((result, failure) -> failure == null
                ? CompletableFuture.<Reply>completedFuture(new Ok(command, result))
                : CompletableFuture.supplyAsync(() -> failed(call, keyed, instance, command, attempt, failure), executor)
                        .thenCompose(Function.identity()))
                .thenCompose(Function.identity());
    }

    private CompletableFuture<Reply> failed(Call call, Keyed keyed, String instance, Object command, int attempt,
                                        Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof LedgerRejection rejection) {
            return CompletableFuture.completedFuture(refused(call, keyed, instance, rejection.code().code(),
                    Problems.statusOf(rejection.code()), rejection.getMessage()));
        }
        if (isRace(cause)) {
            Optional<Stored> winner = keyed == null ? Optional.empty()
                    : store.find(call.caller().tenant(), keyed.key());
            if (winner.isPresent()) {
                return CompletableFuture.completedFuture(replay(winner.get(), keyed, true));
            }
            if (attempt < Conflicts.ATTEMPTS_MAX) {
                Conflicts.pause(attempt + 1);
                return run(call, keyed, instance, command, attempt + 1);
            }
        }
        return CompletableFuture.<Reply>failedFuture(cause);
    }

    private static String slot(Call call, String key) {
        return call.caller().tenant() + '\n' + key;
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
    public record ChainCreated(List<TransferSnapshot> transfers) implements ChainOutcome {
    }

    /**
     * The transfer at {@code index} of the chain was refused; nothing of the chain was applied. Its
     * answers (that transfer's refusal, linked_event_failed for the others) are stored under the keys.
     */
    public record ChainRefused(int index, RejectionCode code, String detail, List<Reply> replies)
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
     * others.
     * The chain runs on {@code executor}: a chain is not group-committed, it runs in the sending thread.
     */
    public CompletableFuture<ChainOutcome> sendChain(Call call, List<CreateTransfer> transfers, List<Keyed> keys,
                                                     String instance,
                                                     BiFunction<Integer, String, String> linkedDetail) {
        NotSent stopped = call.stopped();
        if (stopped != null) {
            return CompletableFuture.completedFuture(new ChainNotSent(stopped));
        }
        Map<String, CompletableFuture<Void>> held = new LinkedHashMap<>();
        for (Keyed keyed : keys) {
            String slot = slot(call, keyed.key());
            CompletableFuture<Void> mine = new CompletableFuture<>();
            CompletableFuture<Void> busy = inFlight.putIfAbsent(slot, mine);
            if (busy != null) {
                held.forEach(this::release);
                return busy.thenApplyAsync(ignored -> new ChainRaced(true), executor);
            }
            held.put(slot, mine);
        }
        Map<String, String> metaData = metaData(call);
        metaData.put(IdempotencyInterceptor.CHAIN_KEYS, IdempotencyInterceptor.encodeChainKeys(
                keys.stream().map(Keyed::key).toList(), keys.stream().map(Keyed::hashHex).toList()));
        CreateTransferChain chain = new CreateTransferChain(TenantId.of(call.caller().tenant()), transfers);
        return CompletableFuture.supplyAsync(() -> dispatch(chain, metaData), executor)
                .thenCompose(Function.identity())
                .handleAsync((result, failure) -> {
                    if (failure == null) {
                        @SuppressWarnings("unchecked")
                        List<TransferSnapshot> created = (List<TransferSnapshot>) result;
                        return (ChainOutcome) new ChainCreated(created);
                    }
                    Throwable cause = unwrap(failure);
                    if (cause instanceof LedgerRejection refused) {
                        int index = cause instanceof ChainRejection indexed ? indexed.index() : indexOf(refused);
                        String detail = cause instanceof ChainRejection indexed ? indexed.detail() : refused.getMessage();
                        int failed = Math.min(Math.max(index, 0), transfers.size() - 1);
                        List<Reply> replies = new ArrayList<>(transfers.size());
                        for (int i = 0; i < transfers.size(); i++) {
                            replies.add(i == failed
                                    ? refused(call, keys.get(i), instance, refused.code().code(),
                                    Problems.statusOf(refused.code()), detail)
                                    : refused(call, keys.get(i), instance, GrpcErrors.LINKED_EVENT_FAILED,
                                    HttpStatus.UNPROCESSABLE_ENTITY, linkedDetail.apply(failed, refused.code().code())));
                        }
                        return new ChainRefused(failed, refused.code(), detail, replies);
                    }
                    if (isRace(cause)) {
                        return new ChainRaced(false);
                    }
                    throw new CompletionException(cause);
                }, executor)
                .whenComplete((outcome, failure) -> held.forEach(this::release));
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

    // ---------------------------------------------------------------- refusals and replays

    /**
     * Stores a refusal under the key (unless the key was answered meanwhile; then that answer counts)
     * and answers it. Blocking: call it off the command bus's threads.
     */
    public Reply refused(Call call, Keyed keyed, String instance, String code, HttpStatus status, String detail) {
        if (keyed == null) {
            return new Refused(code, detail, false);
        }
        boolean ours = store.insert(call.caller().tenant(), keyed.key(), keyed.requestHash(), status.value(),
                problems.body(status, code, detail, instance));
        if (ours) {
            return new Refused(code, detail, false);
        }
        return replay(store.find(call.caller().tenant(), keyed.key()).orElseThrow(), keyed, true);
    }

    /** The answer stored under a key, or idempotency_conflict when it was stored for another request. */
    public Reply replay(Stored stored, Keyed keyed, boolean replayed) {
        if (!Arrays.equals(stored.requestHash(), keyed.requestHash())) {
            return conflict(keyed.key());
        }
        if (stored.status() >= 400) {
            try {
                JsonNode problem = json.readTree(stored.body());
                return new Refused(problem.path("code").asText(GrpcErrors.INTERNAL_ERROR),
                        problem.path("detail").asText(""), replayed);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("unreadable stored answer for key " + keyed.key(), e);
            }
        }
        return new OkStored(stored.body());
    }

    public static Refused conflict(String key) {
        return new Refused(GrpcErrors.IDEMPOTENCY_CONFLICT, "idempotency_key \"" + key
                + "\" was used for a different request; nothing was changed", false);
    }

    // ---------------------------------------------------------------- sending

    private static Map<String, String> metaData(Call call) {
        Map<String, String> metaData = new HashMap<>();
        metaData.put(IdempotencyInterceptor.TENANT, call.caller().tenant());
        metaData.put(AuditKeys.ACTOR, call.caller().keyId());
        metaData.put(AuditKeys.CORRELATION_ID, call.correlationId());
        return metaData;
    }

    private CompletableFuture<Object> dispatch(Object command, Map<String, String> metaData) {
        try {
            return gateway.send(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isRace(Throwable cause) {
        return Conflicts.isConflict(cause);
    }

    /** The failure as the handler threw it: without future wrappers, a remote bus's wrapper or Axon's not-found. */
    static Throwable unwrap(Throwable failure) {
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
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }
}
