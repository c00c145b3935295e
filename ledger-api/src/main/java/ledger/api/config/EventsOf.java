package ledger.api.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.annotation.Nonnull;
import org.axonframework.common.Registration;
import org.axonframework.config.Configuration;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.SubscribableMessageSource;

/**
 * The events the event store publishes as they are committed, narrowed to those whose payload type
 * is declared in one class (a module's catalogue of events, such as {@code SettlementEvents}): the
 * source of a subscribing processor whose handlers take nothing else. Axon's subscribing processor
 * asks each of its handlers whether it can handle every event published; for the three projections
 * of settlements and reconciliation that was about 7 % of the group-commit threads' CPU (JFR, 8 gRPC
 * clients posting transfers), spent on ledger events none of them handles. One class check (cached
 * per type) per event replaces it; the events kept reach the processor in the same call, so they are
 * still handled in the transaction that appends them.
 */
public final class EventsOf implements SubscribableMessageSource<EventMessage<?>> {
    private final SubscribableMessageSource<EventMessage<?>> source;
    private final ClassValue<Boolean> declared;

    EventsOf(SubscribableMessageSource<EventMessage<?>> source, Class<?> catalogue) {
        this.source = source;
        this.declared = new ClassValue<>() {
            @Override
            protected Boolean computeValue(Class<?> type) {
                return type.getDeclaringClass() == catalogue;
            }
        };
    }

    /** For {@code registerSubscribingEventProcessor}: the event store's events declared in {@code catalogue}. */
    public static Function<Configuration, SubscribableMessageSource<? extends EventMessage<?>>> declaredIn(
            Class<?> catalogue) {
        return c -> new EventsOf(c.eventStore(), catalogue);
    }

    /** Whether an event passes: its payload type is declared in the catalogue. */
    boolean keeps(EventMessage<?> event) {
        return declared.get(event.getPayloadType());
    }

    @Override
    public Registration subscribe(@Nonnull Consumer<List<? extends EventMessage<?>>> processor) {
        return source.subscribe(events -> {
            List<EventMessage<?>> kept = null;
            for (int i = 0; i < events.size(); i++) {
                EventMessage<?> event = events.get(i);
                if (keeps(event)) {
                    if (kept != null) {
                        kept.add(event);
                    }
                } else if (kept == null) {
                    kept = new ArrayList<>(events.subList(0, i));
                }
            }
            if (kept == null) {
                processor.accept(events);
            } else if (!kept.isEmpty()) {
                processor.accept(kept);
            }
        });
    }
}
