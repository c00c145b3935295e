package ledger.sagas.settlement;

import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.annotation.MessageHandlingMember;
import org.axonframework.modelling.saga.AssociationResolver;

/**
 * Associates a settlement's events with its saga by the aggregate id ({@code tenant/settlement/id}):
 * a settlement id alone is unique only within its tenant.
 */
public final class BySettlement implements AssociationResolver {
    public static final String KEY = "settlement";

    @Override
    public <T> void validate(String associationPropertyName, MessageHandlingMember<T> handler) {
        if (!KEY.equals(associationPropertyName)) {
            throw new IllegalArgumentException("settlement sagas associate by \"" + KEY + "\", not by "
                    + associationPropertyName);
        }
    }

    @Override
    public <T> Object resolve(String associationPropertyName, EventMessage<?> message,
                              MessageHandlingMember<T> handler) {
        if (message instanceof DomainEventMessage<?> domain) {
            return domain.getAggregateIdentifier();
        }
        throw new IllegalArgumentException("a settlement event comes from its aggregate: " + message.getPayloadType());
    }
}
