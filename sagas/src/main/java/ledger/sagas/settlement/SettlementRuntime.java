package ledger.sagas.settlement;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;

/**
 * What the {@link SettlementSaga} needs besides its state, handed to its handlers as a parameter (a
 * saga keeps only serializable state): a way to send a command and wait for its answer, and a look
 * at a transfer's status.
 *
 * <p>Commands are sent from a thread of this runtime, never from the event processor's: the
 * processor's unit of work is open on its thread, and a command sent from there would run nested in
 * it (its transaction and commit tied to the saga's). Each command is its own transaction, so a
 * crash between a command and the saga's next state leaves the command done and the event that
 * caused it to be delivered again: every command the saga sends is safe to send twice
 * (docs/settlement.md, "Restarts").
 */
public final class SettlementRuntime implements AutoCloseable {
    /** The longest the saga waits for one command's answer (then its handler fails and is retried). */
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** A reservation outlives its settlement's deadline by this much, so only the saga ends it. */
    public static final Duration RESERVATION_GRACE = Duration.ofHours(1);

    /** House accounts remembered as existing, at most this many (beyond, they are opened again: duplicate_id). */
    static final int KNOWN_ACCOUNTS_MAX = 100_000;

    private final ExecutorService executor;
    private final java.util.Set<String> knownAccounts = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final BiFunction<String, String, Optional<String>> transferStatus;
    private final Supplier<Instant> clock;

    /**
     * @param transferStatus the status (POSTED, PENDING, VOIDED, EXPIRED) of a tenant's transfer, empty if none
     * @param clock          now, for the deadline check before each step
     * @param threads        commands in flight at once from sagas
     */
    public SettlementRuntime(BiFunction<String, String, Optional<String>> transferStatus, Supplier<Instant> clock,
                             int threads) {
        this.transferStatus = transferStatus;
        this.clock = clock;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "settlement-commands-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
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
            Throwable cause = e.getCause();
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
