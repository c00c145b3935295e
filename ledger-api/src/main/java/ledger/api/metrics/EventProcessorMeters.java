package ledger.api.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collection;
import java.util.OptionalLong;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.EventTrackerStatus;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Where the asynchronous read side is: for each streaming event processor (the tax pre-fill, the
 * reconciliation matcher, the settlement saga), {@code ledger.event_processor.position}
 * [{@code ledger_event_processor_position}] by {@code processor}, the global index of the last event
 * it handled (the lowest over the segments this node processes; NaN before the first or while this
 * node holds none), and {@code ledger.event_processor.caught_up} [{@code
 * ledger_event_processor_caught_up}]: 1 when every such segment has reached the end of the event
 * stream, 0 while one is behind, replaying or failing (NaN while this node holds none). The
 * ledger's own read models have no position of their own: they are written in the events'
 * transaction ({@code ledger_audit_log_size} per tenant). Read from the processors' state in
 * memory, so a scrape costs no query.
 */
@Component
class EventProcessorMeters {
    private final EventProcessingConfiguration processing;
    private final MeterRegistry registry;

    EventProcessorMeters(EventProcessingConfiguration processing, MeterRegistry registry) {
        this.processing = processing;
        this.registry = registry;
    }

    /** Once Axon has built its processors (they do not exist while the context is being created). */
    @EventListener(ApplicationReadyEvent.class)
    void register() {
        processing.eventProcessors().forEach((name, processor) -> {
            if (processor instanceof StreamingEventProcessor streaming) {
                Gauge.builder("ledger.event_processor.position", streaming, EventProcessorMeters::position)
                        .tag("processor", name)
                        .description("global index of the last event the processor handled (lowest segment)")
                        .register(registry);
                Gauge.builder("ledger.event_processor.caught_up", streaming, EventProcessorMeters::caughtUp)
                        .tag("processor", name)
                        .description("1 when every segment of the processor on this node reached the stream's end")
                        .register(registry);
            }
        });
    }

    static double position(StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        long lowest = Long.MAX_VALUE;
        for (EventTrackerStatus segment : segments) {
            OptionalLong at = segment.getCurrentPosition();
            if (at.isEmpty()) {
                return Double.NaN; // a segment that has handled nothing yet: no position to show
            }
            lowest = Math.min(lowest, at.getAsLong());
        }
        return segments.isEmpty() ? Double.NaN : lowest;
    }

    static double caughtUp(StreamingEventProcessor processor) {
        Collection<EventTrackerStatus> segments = processor.processingStatus().values();
        if (segments.isEmpty()) {
            return Double.NaN; // another node processes it
        }
        for (EventTrackerStatus segment : segments) {
            if (!segment.isCaughtUp() || segment.isReplaying() || segment.isErrorState()) {
                return 0;
            }
        }
        return 1;
    }
}
