package ledger.sagas.settlement;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Supplier;
import ledger.domain.command.TransferCommands;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the {@link SettlementSaga} needs besides its state, handed to its handlers as a parameter (a
 * saga keeps only serializable state): a way to send commands, a look at a transfer's status, and
 * the clock.
 *
 * <p>A step of a settlement is sent with {@link #sendThen}: the saga's handler returns at once and
 * the command's answer is handed, on a thread of this runtime, to a continuation. (A step's command
 * carries its own record, so the continuation records only what the pair could not: a refusal, or
 * a step the ledger had done before; the record's event drives the saga's next step.) So the
 * saga's threads never wait for the ledger, and many settlements' commands meet in one group
 * commit. This runtime counts, per settlement, the commands it has sent and not yet seen through
 * ({@link #inFlight}): the saga does not compensate while one of its steps may still post.
 *
 * <p>Commands are sent from a thread of this runtime, never from the event processor's: the
 * processor's unit of work is open on its thread, and a command sent from there would run nested in
 * it (its transaction and commit tied to the saga's). Each command is its own transaction or shares
 * a group commit, so a crash between a command and the record of its outcome leaves the command
 * done and the settlement waiting for its deadline, whose handler reads what was done from the
 * ledger: every command the saga sends is safe to send twice (docs/settlement.md, "Restarts").
 */
public final class SettlementRuntime implements AutoCloseable {
    /** The longest the saga waits for one command's answer (then its handler fails and is retried). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** A reservation outlives its settlement's deadline by this much, so only the saga ends it. */
    public static final Duration RESERVATION_GRACE = Duration.ofHours(1);

    /** House accounts remembered as existing, at most this many (beyond, they are opened again: duplicate_id). */
    static final int KNOWN_ACCOUNTS_MAX = 100_000;

    /**
     * How long a step's command that failed for a reason other than a refusal (no database, a
     * timeout) waits before it is sent again, attempt by attempt; past the last, the settlement is
     * left to its deadline.
     */
    static final List<Duration> RETRY_DELAYS = List.of(Duration.ofMillis(250), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(8));

    private static final Logger LOG = LoggerFactory.getLogger(SettlementRuntime.class);

    private final ScheduledExecutorService executor;
    /** Where continuations run: the executor, or the sender's thread (tests). */
    private final Executor continuations;
    private final java.util.Set<String> knownAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final BiFunction<String, String, Optional<String>> transferStatus;
    private final Supplier<Instant> clock;
    private volatile Requoter requoter;

    /**
     * @param transferStatus the status (POSTED, PENDING, VOIDED, EXPIRED) of a tenant's transfer, empty if none
     * @param clock          now, for the deadline check before each step
     * @param threads        threads that send commands and run their continuations
     */
    public SettlementRuntime(BiFunction<String, String, Optional<String>> transferStatus, Supplier<Instant> clock,
                             int threads) {
        this(transferStatus, clock, threads, false);
    }

    private SettlementRuntime(BiFunction<String, String, Optional<String>> transferStatus, Supplier<Instant> clock,
                              int threads, boolean direct) {
        this.transferStatus = transferStatus;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newScheduledThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "settlement-commands-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.continuations = direct ? Runnable::run : executor;
    }

    /**
     * A runtime whose sends and continuations run on the caller's thread (retries still wait on a
     * thread of its own): for Axon's saga test fixture, which checks what a handler dispatched as
     * soon as it returns.
     */
    public static SettlementRuntime direct(BiFunction<String, String, Optional<String>> transferStatus,
                                           Supplier<Instant> clock) {
        return new SettlementRuntime(transferStatus, clock, 1, true);
    }

    /** A command's answer: done (with its result) or refused with a stable code. */
    public sealed interface Answer permits Done, Refused {
        default boolean refusedWith(RejectionCode code) {
            return this instanceof Refused refused && refused.code().equals(code.code());
        }
    }

    public record Done(Object result) implements Answer {
    }

    public record Refused(String code, String detail) implements Answer {
    }

    /**
     * Sends {@code command} with {@code metaData} and waits for its answer. A business refusal is an
     * answer; anything else (a timeout, the database gone) is thrown, so the saga's handler fails
     * and its event processor delivers the event again later.
     */
    public Answer send(CommandGateway gateway, Object command, Map<String, ?> metaData) {
        Future<Object> sent = executor.submit(() -> gateway.sendAndWait(
                GenericCommandMessage.asCommandMessage(command).andMetaData(metaData),
                COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
        try {
            return new Done(sent.get(COMMAND_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending " + command.getClass().getSimpleName(), e);
        } catch (TimeoutException e) {
            sent.cancel(true);
            throw new IllegalStateException("no answer to " + command.getClass().getSimpleName() + " within "
                    + COMMAND_TIMEOUT, e);
        } catch (ExecutionException e) {
            return answerOf(e.getCause());
        }
    }

    /** A business refusal as an answer; anything else thrown. */
    private static Answer answerOf(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException || cause instanceof ExecutionException) {
            cause = cause.getCause();
        }
        if (cause instanceof CommandExecutionException remote && remote.getCause() != null) {
            cause = remote.getCause();
        }
        if (cause instanceof LedgerRejection rejection) {
            return new Refused(rejection.code().code(), rejection.getMessage());
        }
        if (cause instanceof AggregateNotFoundException) {
            return new Refused(RejectionCode.ACCOUNT_NOT_FOUND.code(), "account does not exist");
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        throw new IllegalStateException(cause);
    }

    /**
     * Sends {@code command} for settlement {@code settlementId} of {@code tenant} without waiting,
     * and hands its answer to {@code then} (a refusal is an answer). A failure that is not an answer
     * (a timeout, the database gone) sends the command again after {@link #RETRY_DELAYS}; past the
     * last, the settlement is left to its deadline. The settlement counts as {@link #inFlight} from
     * now until {@code then} has returned, so a continuation that sends the next command keeps it so.
     */
    public void sendThen(String tenant, String settlementId, CommandGateway gateway, Object command,
                         Map<String, ?> metaData, Consumer<Answer> then) {
        String key = tenant + '\n' + settlementId;
        inFlight.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        continuations.execute(() -> attempt(key, gateway, command, metaData, then, 0));
    }

    private void attempt(String key, CommandGateway gateway, Object command, Map<String, ?> metaData,
                         Consumer<Answer> then, int retried) {
        CompletableFuture<Object> sent;
        try {
            sent = gateway.send(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (RuntimeException failed) {
            sent = CompletableFuture.failedFuture(failed);
        }
        sent.whenCompleteAsync((result, failure) -> {
            Answer answer;
            try {
                answer = failure == null ? new Done(result) : answerOf(failure);
            } catch (RuntimeException notAnAnswer) {
                if (retried < RETRY_DELAYS.size() && !executor.isShutdown()) {
                    LOG.debug("{} of a settlement failed; sending it again", command.getClass().getSimpleName(),
                            notAnAnswer);
                    // careful: a transfer it creates may exist already (sent before a restart, or its commit
                    // failed after the append); the ledger then refuses it duplicate_id, an answer, not a conflict
                    Map<String, Object> careful = new java.util.HashMap<String, Object>(metaData);
                    careful.put(TransferCommands.CAREFUL, "true");
                    executor.schedule(() -> continuations.execute(() -> attempt(key, gateway, command, careful, then,
                            retried + 1)), RETRY_DELAYS.get(retried).toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
                LOG.warn("{} of settlement {} failed {} times; the settlement is left to its deadline",
                        command.getClass().getSimpleName(), key.replace('\n', '/'), retried + 1, notAnAnswer);
                done(key);
                return;
            }
            try {
                then.accept(answer);
            } catch (RuntimeException failed) {
                LOG.warn("the continuation of {} for settlement {} failed; the settlement is left to its deadline",
                        command.getClass().getSimpleName(), key.replace('\n', '/'), failed);
            } finally {
                done(key);
            }
        }, continuations);
    }

    private void done(String key) {
        inFlight.computeIfPresent(key, (k, count) -> count.decrementAndGet() == 0 ? null : count);
    }

    /** Whether a command this runtime sent for the settlement is not yet answered and seen through. */
    public boolean inFlight(String tenant, String settlementId) {
        return inFlight.containsKey(tenant + '\n' + settlementId);
    }

    /**
     * Prices a settlement again on a new quote when its quote expired before its destination side
     * (docs/settlement.md, "Re-quote").
     */
    @FunctionalInterface
    public interface Requoter {
        /** The settlement re-decided on a new quote; throws (its message saying why) when none can be had. */
        SettlementEvents.SettlementRequoted requote(SettlementEvents.SettlementStarted settlement);
    }

    /** Re-quote expired quotes with {@code requoter} (null: an expired quote fails or compensates the settlement). */
    public SettlementRuntime requoteWith(Requoter requoter) {
        this.requoter = requoter;
        return this;
    }

    public Optional<Requoter> requoter() {
        return Optional.ofNullable(requoter);
    }

    /** Whether this JVM saw {@code account} of {@code tenant} exist (house accounts are opened once). */
    public boolean knownAccount(String tenant, String account) {
        return knownAccounts.contains(tenant + '\n' + account);
    }

    public void rememberAccount(String tenant, String account) {
        if (knownAccounts.size() < KNOWN_ACCOUNTS_MAX) {
            knownAccounts.add(tenant + '\n' + account);
        }
    }

    public Instant now() {
        return clock.get();
    }

    public Optional<String> transferStatus(String tenant, String transferId) {
        return transferStatus.apply(tenant, transferId);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
