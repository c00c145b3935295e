package ledger.api.idempotency;

import ledger.api.web.Responses;
import ledger.api.web.Responses.Rendered;
import ledger.audit.Sha256;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.messaging.InterceptorChain;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.springframework.stereotype.Component;

/**
 * Stores the answer to an idempotent command in the same database transaction as its events, so
 * "posted" and "answer remembered" commit together or not at all. If the key was taken meanwhile
 * by a concurrent request, the unit of work rolls back and the caller replays the stored answer.
 */
@Component
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>> {
    public static final String KEY = "idempotencyKey";
    public static final String REQUEST_HASH = "requestHash";
    public static final String TENANT = "tenant";

    private final IdempotencyStore store;
    private final Responses responses;

    public IdempotencyInterceptor(IdempotencyStore store, Responses responses) {
        this.store = store;
        this.responses = responses;
    }

    /** The key was answered by another request while this one ran. */
    public static final class KeyTaken extends RuntimeException {
        KeyTaken() {
            super("idempotency key taken concurrently", null, false, false);
        }
    }

    @Override
    public Object handle(UnitOfWork<? extends CommandMessage<?>> unitOfWork, InterceptorChain chain) throws Exception {
        Object result = chain.proceed();
        CommandMessage<?> command = unitOfWork.getMessage();
        MetaData metaData = command.getMetaData();
        Object key = metaData.get(KEY);
        if (key != null) {
            Rendered answer = responses.render(command.getPayload(), result);
            boolean stored = store.insert((String) metaData.get(TENANT), (String) key,
                    Sha256.unhex((String) metaData.get(REQUEST_HASH)), answer.status().value(), answer.body());
            if (!stored) {
                throw new KeyTaken();
            }
        }
        return result;
    }
}
