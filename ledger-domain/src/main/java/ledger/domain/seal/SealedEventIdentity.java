package ledger.domain.seal;

import java.util.List;
import java.util.function.BiFunction;
import ledger.audit.Ts6;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MessageDispatchInterceptor;

/**
 * Gives each sealed event the identifier and timestamp its envelope was hashed with, so the event
 * store's {@code event_identifier} and {@code time_stamp} are the envelope's {@code eventId} and
 * {@code occurredAt}. Register it on the event store (dispatch interceptor).
 */
public final class SealedEventIdentity implements MessageDispatchInterceptor<EventMessage<?>> {

    @Override
    public BiFunction<Integer, EventMessage<?>, EventMessage<?>> handle(List<? extends EventMessage<?>> messages) {
        return (index, message) -> relabel(message);
    }

    static EventMessage<?> relabel(EventMessage<?> message) {
        Object eventId = message.getMetaData().get(AuditKeys.EVENT_ID);
        if (!(message instanceof DomainEventMessage<?> domain) || eventId == null
                || eventId.equals(message.getIdentifier())) {
            return message;
        }
        return relabelDomain(domain, eventId.toString());
    }

    private static <T> EventMessage<T> relabelDomain(DomainEventMessage<T> domain, String eventId) {
        String occurredAt = (String) domain.getMetaData().get(AuditKeys.OCCURRED_AT);
        return new GenericDomainEventMessage<>(domain.getType(), domain.getAggregateIdentifier(),
                domain.getSequenceNumber(), domain.getPayload(), domain.getMetaData(), eventId,
                Ts6.parse(occurredAt));
    }
}
