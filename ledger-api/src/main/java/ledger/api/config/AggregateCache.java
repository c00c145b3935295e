package ledger.api.config;

import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.concurrent.ConcurrentMap;
import org.axonframework.common.Registration;
import org.axonframework.common.caching.Cache;

/**
 * A strong, bounded aggregate cache (Caffeine, size-evicted). Weak references let hot accounts be
 * collected and re-sourced under load; a strong cache keeps them. Correct only while this JVM is
 * the sole writer of its aggregates: with several nodes, route commands by aggregate id.
 */
public final class AggregateCache implements Cache {
    private final ConcurrentMap<Object, Object> entries;

    public AggregateCache(long sizeMax) {
        this.entries = Caffeine.newBuilder().maximumSize(sizeMax).build().asMap();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K, V> V get(K key) {
        return (V) entries.get(key);
    }

    @Override
    public void put(Object key, Object value) {
        entries.put(key, value);
    }

    @Override
    public boolean putIfAbsent(Object key, Object value) {
        return entries.putIfAbsent(key, value) == null;
    }

    @Override
    public boolean remove(Object key) {
        return entries.remove(key) != null;
    }

    @Override
    public void removeAll() {
        entries.clear();
    }

    @Override
    public boolean containsKey(Object key) {
        return entries.containsKey(key);
    }

    @Override
    public Registration registerCacheEntryListener(EntryListener cacheEntryListener) {
        // Axon registers none for aggregate caching; listeners are not needed by this cache's users.
        return () -> true;
    }
}
