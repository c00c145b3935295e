package ledger.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.sagas.settlement.SettlementEvents;
import ledger.sagas.settlement.SettlementEvents.SettlementCompleted;
import ledger.sagas.settlement.SettlementEvents.SettlementFailed;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.messaging.SubscribableMessageSource;
import org.junit.jupiter.api.Test;

class EventsOfTest {
    /** A source that hands each published batch to its one subscriber. */
    private static final class Published implements SubscribableMessageSource<EventMessage<?>> {
        Consumer<List<? extends EventMessage<?>>> subscriber;

        @Override
        public Registration subscribe(Consumer<List<? extends EventMessage<?>>> processor) {
            subscriber = processor;
            return () -> true;
        }

        void publish(EventMessage<?>... events) {
            subscriber.accept(List.of(events));
        }
    }

    private final Published store = new Published();
    private final List<List<? extends EventMessage<?>>> received = new ArrayList<>();

    EventsOfTest() {
        new EventsOf(store, SettlementEvents.class).subscribe(received::add);
    }

    private static EventMessage<?> posted() {
        return GenericEventMessage.asEventMessage(new TransferPosted("t", "x", "transfer", List.of(), Map.of()));
    }

    private static EventMessage<?> completed(String id) {
        return GenericEventMessage.asEventMessage(new SettlementCompleted("t", id));
    }

    private static EventMessage<?> failed(String id) {
        return GenericEventMessage.asEventMessage(new SettlementFailed("t", id, "insufficient_funds", "no"));
    }

    @Test
    void aBatchOfLedgerEventsAloneReachesNoProcessor() {
        store.publish(posted(), posted());

        assertThat(received).isEmpty();
    }

    @Test
    void theCatalogueEventsOfAMixedBatchArePassedOnInTheirOrder() {
        EventMessage<?> first = completed("s1");
        EventMessage<?> second = failed("s2");
        store.publish(posted(), first, posted(), second);

        assertThat(received).hasSize(1);
        assertThat(new ArrayList<Object>(received.get(0))).containsExactly(first, second);
    }

    @Test
    void aBatchOfCatalogueEventsOnlyIsPassedOnWhole() {
        EventMessage<?> first = completed("s1");
        EventMessage<?> second = failed("s2");
        store.publish(first, second);

        assertThat(received).containsExactly(List.of(first, second));
    }

    @Test
    void aCatalogueEventBeforeALedgerEventIsKept() {
        EventMessage<?> first = completed("s1");
        store.publish(first, posted());

        assertThat(received).hasSize(1);
        assertThat(new ArrayList<Object>(received.get(0))).containsExactly(first);
    }
}
