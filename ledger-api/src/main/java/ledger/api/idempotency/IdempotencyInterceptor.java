package ledger.api.idempotency;

import java.util.ArrayList;
import java.util.List;
import ledger.api.command.BatchParticipant;
import ledger.api.app.Results;
import ledger.audit.Sha256;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.PostsToAccounts;
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
public class IdempotencyInterceptor implements MessageHandlerInterceptor<CommandMessage<?>>, BatchParticipant {
    private static final String DEFERRED = IdempotencyInterceptor.class.getName() + ".deferred";
    public static final String KEY = "idempotencyKey";
    public static final String REQUEST_HASH = "requestHash";
    public static final String TENANT = "tenant";
    /**
     * A linked chain's keys: one line per transfer of the chain, in order, {@code "<key> <request hash
     * hex>"} (keys have no spaces), or an empty line for a transfer without a key. All are stored in
     * the chain's transaction: the chain and every answer of it commit together or not at all.
     */
    public static final String CHAIN_KEYS = "idempotencyChainKeys";

    private final IdempotencyStore store;
    private final Results results;

    public IdempotencyInterceptor(IdempotencyStore store, Results results) {
        this.store = store;
        this.results = results;
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
            IdempotencyStore.Answer row = new IdempotencyStore.Answer((String) metaData.get(TENANT), (String) key,
                    Sha256.unhex((String) metaData.get(REQUEST_HASH)), null, null,
                    results.write(results.view(command.getPayload(), result)));
            @SuppressWarnings("unchecked")
            List<IdempotencyStore.Answer> deferred =
                    (List<IdempotencyStore.Answer>) unitOfWork.root().resources().get(DEFERRED);
            if (deferred != null) {
                deferred.add(row); // stored with the batch's other answers, in its transaction
            } else if (!store.insert(row)) {
                throw new KeyTaken();
            }
        }
        Object chainKeys = metaData.get(CHAIN_KEYS);
        if (chainKeys != null && command.getPayload() instanceof CreateTransferChain linked
                && result instanceof List<?> created) {
            List<String[]> entries = decodeChainKeys((String) chainKeys);
            if (entries.size() != linked.transfers().size() || created.size() != entries.size()) {
                throw new IllegalStateException("a chain of " + linked.transfers().size() + " transfers with "
                        + entries.size() + " key entries and " + created.size() + " results");
            }
            String tenant = (String) metaData.get(TENANT);
            for (int i = 0; i < entries.size(); i++) {
                String[] entry = entries.get(i);
                if (entry == null) {
                    continue;
                }
                String answer = results.write(results.view(linked.transfers().get(i), created.get(i)));
                if (!store.insert(new IdempotencyStore.Answer(tenant, entry[0], Sha256.unhex(entry[1]), null, null,
                        answer))) {
                    throw new KeyTaken();
                }
            }
        }
        return result;
    }

    /** In a group-commit batch the answers are collected and stored together before it commits. */
    @Override
    public void beforeCommands(UnitOfWork<?> batch, List<PostsToAccounts> commands) {
        batch.resources().put(DEFERRED, new ArrayList<IdempotencyStore.Answer>(commands.size()));
    }

    /** Stores the batch's answers in one statement; a key answered meanwhile gives up the batch. */
    @Override
    public void afterCommands(UnitOfWork<?> batch) {
        @SuppressWarnings("unchecked")
        List<IdempotencyStore.Answer> deferred = (List<IdempotencyStore.Answer>) batch.resources().remove(DEFERRED);
        if (deferred != null && !deferred.isEmpty() && !store.insertAll(deferred)) {
            throw new KeyTaken();
        }
    }

    /** The {@link #CHAIN_KEYS} value for keys and request hashes (hex) in chain order; null key: none. */
    public static String encodeChainKeys(List<String> keys, List<String> requestHashes) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) {
                text.append('\n');
            }
            if (keys.get(i) != null) {
                text.append(keys.get(i)).append(' ').append(requestHashes.get(i));
            }
        }
        return text.toString();
    }

    static List<String[]> decodeChainKeys(String text) {
        List<String[]> entries = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty()) {
                entries.add(null);
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                throw new IllegalStateException("malformed chain key entry");
            }
            entries.add(new String[] {line.substring(0, space), line.substring(space + 1)});
        }
        return entries;
    }
}
