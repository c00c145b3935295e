package ledger.domain.book;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import ledger.domain.model.AccountId;
import ledger.domain.model.Invariants;
import ledger.domain.model.TenantId;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * The {@link Book} as units of work see it. Committed states are cached in memory and loaded from a
 * {@link Store} when missing. Each unit of work keeps the states it changed in a scope of its own: a
 * nested unit of work hands its scope to its parent when it completes and drops it when it rolls
 * back (a refused command leaves nothing behind); the root writes its entries through the store in
 * its transaction ({@link #flush}, at the latest when it prepares to commit), publishes its states
 * to the cache after the commit, and evicts every account it touched when it rolls back, since the
 * failure may come from another writer of those accounts (another node: the store refuses a
 * version written twice).
 *
 * <p>Locks: accounts are held by a root unit of work from {@link #lock} until it ends, so two
 * units of work of this JVM never change one account at once. Locks are striped and taken in
 * stripe order. A unit of work that already holds locks and asks for a lower stripe could deadlock
 * with another; it waits at most {@code lockWaitMs} and then fails with {@link LockTimeout}, which
 * callers treat as a conflict to retry.
 */
public final class ScopedBook implements Book {
    private static final String SCOPE = ScopedBook.class.getName() + ".scope";
    private static final String HELD = ScopedBook.class.getName() + ".held";
    private static final int STRIPES = 4096;

    /** Where committed states come from and where recorded entries go (in the current transaction). */
    public interface Store {
        /** The committed states of those of {@code keys} that exist. */
        Map<Key, AccountState> load(Collection<Key> keys);

        /** Writes entries (in order) in the current transaction; a version written before makes it fail. */
        void write(List<BookEntry> entries);
    }

    public record Key(String tenant, String accountId) {
        public static Key of(AccountState state) {
            return new Key(state.tenant(), state.accountId());
        }
    }

    /** Waited too long for an account lock; nothing was changed, the command may be run again. */
    public static final class LockTimeout extends RuntimeException {
        LockTimeout(String why) {
            super(why, null, false, false);
        }
    }

    private static final class Scope {
        final Map<Key, AccountState> states = new HashMap<>();
        final List<BookEntry> entries = new ArrayList<>();
        /** Root only: committed states read for this unit of work when there is no cache. */
        final Map<Key, AccountState> read = new HashMap<>();
        /** Root only: states this unit of work took from the cache (possibly stale: evicted on rollback). */
        final Set<Key> cached = new HashSet<>();
        int written;
    }

    private final Store store;
    private final int cacheMax;
    private final long lockWaitMs;
    private final Map<Key, AccountState> committed = new ConcurrentHashMap<>();
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    /**
     * @param cacheMax   committed states kept in memory at most (0: none; every unit of work reads
     *                   what it needs from the store)
     * @param lockWaitMs the longest wait for a lock taken out of order
     */
    public ScopedBook(Store store, int cacheMax, long lockWaitMs) {
        this.store = store;
        this.cacheMax = cacheMax;
        this.lockWaitMs = lockWaitMs;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    // ---------------------------------------------------------------- locks

    @Override
    public void lock(TenantId tenant, Collection<AccountId> accounts) {
        List<Key> keys = new ArrayList<>(accounts.size());
        accounts.forEach(a -> keys.add(new Key(tenant.value(), a.value())));
        lockKeys(keys);
    }

    /** Locks accounts of any tenants for the current root unit of work (see {@link #lock}). */
    public void lockKeys(Collection<Key> keys) {
        if (!CurrentUnitOfWork.isStarted()) {
            return; // a direct call (tests): nothing runs concurrently
        }
        UnitOfWork<?> root = CurrentUnitOfWork.get().root();
        TreeSet<Integer> held = held(root);
        TreeSet<Integer> wanted = new TreeSet<>();
        for (Key key : keys) {
            int stripe = stripe(key);
            if (!held.contains(stripe)) {
                wanted.add(stripe);
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        boolean inOrder = held.isEmpty() || wanted.first() > held.last();
        for (int stripe : wanted) {
            ReentrantLock lock = stripes[stripe];
            if (inOrder) {
                lock.lock();
            } else {
                try {
                    if (!lock.tryLock(lockWaitMs, TimeUnit.MILLISECONDS)) {
                        throw new LockTimeout("an account lock taken out of order was busy for " + lockWaitMs + " ms");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new LockTimeout("interrupted while waiting for an account lock");
                }
            }
            held.add(stripe);
        }
    }

    private TreeSet<Integer> held(UnitOfWork<?> root) {
        return root.getOrComputeResource(HELD, k -> {
            TreeSet<Integer> set = new TreeSet<>();
            root.onCleanup(u -> set.forEach(stripe -> stripes[stripe].unlock()));
            return set;
        });
    }

    private static int stripe(Key key) {
        int h = key.tenant().hashCode() * 31 + key.accountId().hashCode();
        return (h ^ (h >>> 16)) & (STRIPES - 1);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<AccountState> find(TenantId tenant, AccountId account) {
        Key key = new Key(tenant.value(), account.value());
        if (CurrentUnitOfWork.isStarted()) {
            for (UnitOfWork<?> u = CurrentUnitOfWork.get(); u != null; u = u.parent().orElse(null)) {
                Scope scope = u.getResource(SCOPE);
                if (scope != null && scope.states.containsKey(key)) {
                    return Optional.of(scope.states.get(key));
                }
            }
        }
        AccountState cached = committed.get(key);
        if (cached != null) {
            if (CurrentUnitOfWork.isStarted()) {
                scope(CurrentUnitOfWork.get().root()).cached.add(key);
            }
            return Optional.of(cached);
        }
        Scope root = CurrentUnitOfWork.isStarted() ? scope(CurrentUnitOfWork.get().root()) : null;
        if (root != null && root.read.containsKey(key)) {
            return Optional.ofNullable(root.read.get(key));
        }
        Map<Key, AccountState> loaded = store.load(List.of(key));
        remember(root, List.of(key), loaded);
        return Optional.ofNullable(loaded.get(key));
    }

    /**
     * A cached state may be older than another node's last write to the account; a write would fail
     * on its version and be retried, but a refusal writes nothing. So a refusal is decided again on
     * the stored state (which also refreshes the cache). A state this unit of work changed is newer
     * than the stored one and is returned as it is.
     */
    @Override
    public Optional<AccountState> findStored(TenantId tenant, AccountId account) {
        Key key = new Key(tenant.value(), account.value());
        Scope root = null;
        if (CurrentUnitOfWork.isStarted()) {
            for (UnitOfWork<?> u = CurrentUnitOfWork.get(); u != null; u = u.parent().orElse(null)) {
                Scope scope = u.getResource(SCOPE);
                if (scope != null && scope.states.containsKey(key)) {
                    return Optional.of(scope.states.get(key));
                }
            }
            root = scope(CurrentUnitOfWork.get().root());
        }
        if (cacheMax == 0) {
            return find(tenant, account); // read from the store for this unit of work already
        }
        Map<Key, AccountState> loaded = store.load(List.of(key));
        committed.remove(key);
        remember(root, List.of(key), loaded);
        return Optional.ofNullable(loaded.get(key));
    }

    /** Loads the committed states of those of {@code keys} not in memory yet, in one call to the store. */
    public void preload(Collection<Key> keys) {
        Scope root = CurrentUnitOfWork.isStarted() ? scope(CurrentUnitOfWork.get().root()) : null;
        Set<Key> missing = new HashSet<>();
        for (Key key : keys) {
            if (!committed.containsKey(key) && (root == null || !root.read.containsKey(key))) {
                missing.add(key);
            }
        }
        if (!missing.isEmpty()) {
            remember(root, missing, store.load(missing));
        }
    }

    private void remember(Scope root, Collection<Key> keys, Map<Key, AccountState> loaded) {
        if (cacheMax > 0) {
            trimCache(loaded.size());
            committed.putAll(loaded);
        }
        if (root != null) {
            keys.forEach(k -> root.read.put(k, loaded.get(k)));
        }
    }

    private void trimCache(int adding) {
        if (committed.size() + adding <= cacheMax) {
            return;
        }
        int drop = Math.max(adding, cacheMax / 10);
        Iterator<Key> it = committed.keySet().iterator();
        while (drop-- > 0 && it.hasNext()) {
            it.next();
            it.remove();
        }
    }

    // ---------------------------------------------------------------- changes

    @Override
    public void record(BookEntry entry) {
        AccountState after = entry.after();
        Key key = Key.of(after);
        Optional<AccountState> before = find(TenantId.of(after.tenant()), AccountId.of(after.accountId()));
        Invariants.check(before.isEmpty() ? after.version() == 0 && BookEntry.OPENED.equals(entry.type())
                        : after.version() == before.get().version() + 1,
                "account " + after.accountId() + " changes one version at a time");
        if (!CurrentUnitOfWork.isStarted()) {
            store.write(List.of(entry));
            if (cacheMax > 0) {
                committed.put(key, after);
            }
            return;
        }
        Scope scope = scope(CurrentUnitOfWork.get());
        scope.states.put(key, after);
        scope.entries.add(entry);
    }

    /**
     * Writes the entries the root unit of work recorded so far and has not written yet, in its
     * transaction. Called when it prepares to commit, or earlier by a caller that wants the writes
     * before others of the same transaction.
     */
    public void flush(UnitOfWork<?> root) {
        Scope scope = root.getResource(SCOPE);
        if (scope == null || scope.written == scope.entries.size()) {
            return;
        }
        List<BookEntry> pending = scope.entries.subList(scope.written, scope.entries.size());
        store.write(List.copyOf(pending));
        scope.written = scope.entries.size();
    }

    /** The states the root unit of work changed, as they stand now (for checks and tests). */
    public Map<Key, AccountState> changedIn(UnitOfWork<?> root) {
        Scope scope = root.getResource(SCOPE);
        return scope == null ? Map.of() : Map.copyOf(scope.states);
    }

    /** Forgets every cached state (a test, or an operator who changed the store by hand). */
    public void evictAll() {
        committed.clear();
    }

    private Scope scope(UnitOfWork<?> unitOfWork) {
        Scope existing = unitOfWork.getResource(SCOPE);
        if (existing != null) {
            return existing;
        }
        Scope scope = new Scope();
        unitOfWork.resources().put(SCOPE, scope);
        Optional<UnitOfWork<?>> parent = unitOfWork.parent().map(p -> (UnitOfWork<?>) p);
        if (parent.isPresent()) {
            unitOfWork.onPrepareCommit(u -> {
                Scope into = scope(parent.get());
                into.states.putAll(scope.states);
                into.entries.addAll(scope.entries);
            });
        } else {
            unitOfWork.onPrepareCommit(this::flush);
            unitOfWork.afterCommit(u -> {
                if (cacheMax > 0) {
                    trimCache(scope.states.size());
                    committed.putAll(scope.states);
                }
            });
            unitOfWork.onRollback(u -> {
                scope.states.keySet().forEach(committed::remove);
                scope.read.keySet().forEach(committed::remove);
                scope.cached.forEach(committed::remove);
            });
        }
        return scope;
    }
}
