package ledger.sagas.settlement;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.domain.command.TransferCommands;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.sagas.settlement.SettlementRuntime.Answer;
import ledger.sagas.settlement.SettlementRuntime.Done;
import ledger.sagas.settlement.SettlementRuntime.Refused;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.Registration;
import org.axonframework.messaging.MessageDispatchInterceptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The runtime's sends without waiting: answers, refusals, retries and what counts as in flight. */
class SettlementRuntimeTest {
    private final SettlementRuntime runtime = new SettlementRuntime((tenant, id) -> Optional.empty(), Instant::now, 2);

    @AfterEach
    void close() {
        runtime.close();
    }

    /** A gateway answering each command with the next of {@code answers} (a Throwable fails it, a future is the answer to come). */
    private static final class ScriptedGateway implements CommandGateway {
        final List<Object> answers;
        final AtomicInteger sent = new AtomicInteger();
        /** The metadata of each command sent, in order. */
        final List<Map<String, Object>> metaData = new java.util.concurrent.CopyOnWriteArrayList<>();

        ScriptedGateway(Object... answers) {
            this.answers = new ArrayList<>(List.of(answers));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> send(Object command) {
            if (command instanceof CommandMessage<?> message) {
                metaData.add(new java.util.HashMap<String, Object>(message.getMetaData()));
            }
            Object answer = answers.get(Math.min(sent.getAndIncrement(), answers.size() - 1));
            if (answer instanceof CompletableFuture<?> later) {
                return (CompletableFuture<R>) later;
            }
            return answer instanceof Throwable failure ? CompletableFuture.failedFuture(failure)
                    : (CompletableFuture<R>) CompletableFuture.completedFuture(answer);
        }

        @Override
        public <C, R> void send(C command, CommandCallback<? super C, ? super R> callback) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R sendAndWait(Object command) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> R sendAndWait(Object command, long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Registration registerDispatchInterceptor(
                MessageDispatchInterceptor<? super CommandMessage<?>> interceptor) {
            throw new UnsupportedOperationException();
        }
    }

    private Answer sendAndTake(CommandGateway gateway) throws InterruptedException {
        BlockingQueue<Answer> answers = new LinkedBlockingQueue<>();
        runtime.sendThen("t1", "s-1", gateway, "command", Map.of(), answers::add);
        Answer answer = answers.poll(30, TimeUnit.SECONDS);
        assertThat(answer).as("answered").isNotNull();
        return answer;
    }

    @Test
    void handsTheAnswerToTheContinuation() throws Exception {
        assertThat(sendAndTake(new ScriptedGateway("ok"))).isEqualTo(new Done("ok"));
    }

    @Test
    void aRefusalIsAnAnswerAndIsNotSentAgain() throws Exception {
        ScriptedGateway gateway = new ScriptedGateway(new LedgerRejection(RejectionCode.ACCOUNT_FROZEN, "frozen"));
        Answer answer = sendAndTake(gateway);
        assertThat(answer).isInstanceOf(Refused.class);
        assertThat(answer.refusedWith(RejectionCode.ACCOUNT_FROZEN)).isTrue();
        assertThat(gateway.sent).hasValue(1);
    }

    @Test
    void aFailureThatIsNotAnAnswerIsSentAgain() throws Exception {
        ScriptedGateway gateway = new ScriptedGateway(new IllegalStateException("no database"),
                new IllegalStateException("no database"), "ok");
        assertThat(sendAndTake(gateway)).isEqualTo(new Done("ok"));
        assertThat(gateway.sent).hasValue(3);
        // sent again careful: a transfer it created before its failure is then refused duplicate_id, an answer
        assertThat(gateway.metaData.get(0)).doesNotContainKey(TransferCommands.CAREFUL);
        assertThat(gateway.metaData.get(1)).containsEntry(TransferCommands.CAREFUL, "true");
        assertThat(gateway.metaData.get(2)).containsEntry(TransferCommands.CAREFUL, "true");
    }

    @Test
    void aSettlementIsInFlightUntilItsContinuationHasReturned() throws Exception {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        ScriptedGateway gateway = new ScriptedGateway(answer);
        CompletableFuture<Void> continued = new CompletableFuture<>();
        CompletableFuture<Void> release = new CompletableFuture<>();
        runtime.sendThen("t1", "s-1", gateway, "command", Map.of(), a -> {
            continued.complete(null);
            release.join();
        });
        assertThat(runtime.inFlight("t1", "s-1")).isTrue();
        assertThat(runtime.inFlight("t1", "s-2")).isFalse();
        answer.complete("ok");
        continued.get(30, TimeUnit.SECONDS);
        assertThat(runtime.inFlight("t1", "s-1")).as("while its continuation runs").isTrue();
        release.complete(null);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (runtime.inFlight("t1", "s-1") && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(runtime.inFlight("t1", "s-1")).isFalse();
    }
}
