package ledger.api.app;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * Wakes the readers that wait for a settlement to end ({@code GET /v1/settlements/{id}?waitSeconds=},
 * docs/settlement.md, "API"). The settlement view is written in the transaction of the event that
 * ends a settlement; once that commits, {@link #ended} wakes this node's readers of it at once.
 * Readers on other nodes, and a reader that registered just too late, find the end at their next
 * look ({@link Settling#RECHECK}): this is a shortcut, the view stays the truth.
 */
@Component
public final class SettlementFinals {
    private final Map<String, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** Called after the commit that ended settlement {@code id} of {@code tenant}. */
    public void ended(String tenant, String id) {
        CompletableFuture<Void> readers = waiting.remove(key(tenant, id));
        if (readers != null) {
            readers.complete(null);
        }
    }

    /** A future this node completes when the settlement ends; register before reading the view. */
    CompletableFuture<Void> watch(String tenant, String id) {
        return waiting.computeIfAbsent(key(tenant, id), k -> new CompletableFuture<>());
    }

    /** Waits on {@code watch} for at most {@code nanos}; false if it timed out. */
    static boolean await(CompletableFuture<Void> watch, long nanos) throws InterruptedException {
        try {
            watch.get(nanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Drops a watch no one waits on any more (its settlement may never end on this node). */
    void forget(String tenant, String id, CompletableFuture<Void> watch) {
        if (!watch.isDone()) {
            waiting.remove(key(tenant, id), watch);
        }
    }

    private static String key(String tenant, String id) {
        return tenant + '\n' + id;
    }
}
