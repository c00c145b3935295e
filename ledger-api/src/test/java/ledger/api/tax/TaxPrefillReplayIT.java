package ledger.api.tax;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.LedgerServiceIT;
import ledger.domain.event.TransferEvents.TransferPosted;
import org.axonframework.common.stream.BlockingStream;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.TrackedEventMessage;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The pre-fill read model is safe to replay (docs/tax-prefill.md, "Read model"): an event delivered again
 * adds nothing (its identity is recorded with its sums), and a reset of the processor's token rebuilds the
 * same figures from the whole event store.
 */
class TaxPrefillReplayIT extends LedgerServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PROCESSOR_WAIT = Duration.ofSeconds(30);

    @Autowired
    EventStore eventStore;
    @Autowired
    TaxPrefillProjection projection;
    @Autowired
    TransactionTemplate transactions;
    @Autowired
    EventProcessingConfiguration processing;

    @Test
    void anEventDeliveredAgainAddsNothing() throws Exception {
        LedgerClient c = newTenant("tax-redeliver");
        book(c);
        post(c, "pay-1", "wang", "2026-05", "20000.00");
        JsonNode before = awaitPrefill(c, "wang", "2026", "5", p -> true);
        assertThat(before.at("/inputs/cumulative_income/amount").asText()).isEqualTo("20000.00");

        TrackedEventMessage<?> event = find(c.tenant() + "/transfer/pay-1");
        transactions.executeWithoutResult(status -> projection.on((TransferPosted) event.getPayload(), event,
                event.trackingToken()));
        transactions.executeWithoutResult(status -> projection.on((TransferPosted) event.getPayload(), event,
                event.trackingToken()));

        JsonNode after = awaitPrefill(c, "wang", "2026", "5", p -> true);
        assertThat(after.at("/inputs/cumulative_income/amount").asText()).isEqualTo("20000.00");
        assertThat(after.get("months")).isEqualTo(before.get("months"));
        assertThat(after.get("withholding")).isEqualTo(before.get("withholding"));
    }

    @Test
    void aResetRebuildsTheSameFiguresFromTheEventStore() {
        LedgerClient c = newTenant("tax-reset");
        book(c);
        post(c, "pay-1", "zhao", "2026-01", "12000.00");
        post(c, "pay-2", "zhao", "2026-02", "12000.00");
        JsonNode before = awaitPrefill(c, "zhao", "2026", "2", p -> p.get("months").size() == 2);

        TrackingEventProcessor processor = processing
                .eventProcessor(TaxPrefillProjection.PROCESSING_GROUP, TrackingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        JsonNode after = awaitPrefill(c, "zhao", "2026", "2", p -> p.get("months").size() == 2);
        assertThat(after.get("inputs")).isEqualTo(before.get("inputs"));
        assertThat(after.get("withholding")).isEqualTo(before.get("withholding"));
        assertThat(after.at("/inputs/cumulative_income/amount").asText()).isEqualTo("24000.00");
    }

    private static void book(LedgerClient c) {
        assertThat(c.openAccount("salary-expense", "CNY", "EXPENSE", null).status()).isEqualTo(201);
        assertThat(c.openAccount("wages-payable", "CNY", "LIABILITY", null).status()).isEqualTo(201);
    }

    private static void post(LedgerClient c, String id, String payee, String period, String gross) {
        try {
            String body = JSON.writeValueAsString(Map.of("id", id, "debitAccount", "salary-expense",
                    "creditAccount", "wages-payable", "amount", gross, "currency", "CNY", "metadata",
                    Map.of("payroll.payee", payee, "payroll.period", period, "payroll.category", "gross_wage")));
            Response posted = c.post("/v1/transfers", "k-" + id + "-" + System.nanoTime(), body);
            assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The stored event of an aggregate, as the tracking processor receives it (with its token). */
    private TrackedEventMessage<?> find(String aggregateId) throws InterruptedException {
        try (BlockingStream<TrackedEventMessage<?>> stream = eventStore.openStream(null)) {
            while (stream.hasNextAvailable()) {
                TrackedEventMessage<?> next = stream.nextAvailable();
                if (next instanceof org.axonframework.eventhandling.DomainEventMessage<?> domain
                        && aggregateId.equals(domain.getAggregateIdentifier())) {
                    return next;
                }
            }
        }
        throw new AssertionError("no event of " + aggregateId + " in the event store");
    }

    private static JsonNode awaitPrefill(LedgerClient c, String payee, String year, String month,
                                         Predicate<JsonNode> caughtUp) {
        long deadline = System.nanoTime() + PROCESSOR_WAIT.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = c.get("/v1/tax/prefill?jurisdiction=CN&year=" + year + "&month=" + month + "&payee=" + payee);
            if (last.status() == 200 && caughtUp.test(last.json())) {
                return last.json();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("the tax-prefill processor did not reach the postings of " + payee + " within "
                + PROCESSOR_WAIT.toSeconds() + " s; last answer: " + last);
    }

}
