package ledger.domain.book;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Collections;
import ledger.domain.book.ScopedBook.Key;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;

/**
 * The book's table in memory: each account's current state, and every entry ever written (the
 * statement lines). As the database does in production, {@link #write} refuses an entry whose
 * version is not the next of its account (version 0 for a new account): the primary key
 * {@code (tenant, account, version)} plus the rule that versions have no gaps. A write is part of
 * the transaction of the unit of work it runs in: if that unit of work rolls back afterwards, the
 * write is undone.
 *
 * <p>Also counts its calls (for tests of when the book reads and writes), can fail the next write
 * (a database failure at commit) and can be changed by hand (an operator, or another node).
 */
public final class InMemoryBookStore implements ScopedBook.Store {
    private final Map<Key, AccountState> states = new LinkedHashMap<>();
    private final List<BookEntry> entries = new ArrayList<>();
    private int loadCalls;
    private int keysLoaded;
    private int writeCalls;
    private RuntimeException nextWriteFailure;

    /** The store's refusal of a version that is not the next: a primary key (or gap) violation. */
    public static final class VersionConflict extends RuntimeException {
        VersionConflict(String why) {
            super(why);
        }
    }

    @Override
    public synchronized Map<Key, AccountState> load(Collection<Key> keys) {
        loadCalls++;
        keysLoaded += keys.size();
        Map<Key, AccountState> found = new HashMap<>();
        for (Key key : keys) {
            AccountState state = states.get(key);
            if (state != null) {
                found.put(key, state);
            }
        }
        return found;
    }

    @Override
    public synchronized void write(List<BookEntry> batch) {
        writeCalls++;
        if (nextWriteFailure != null) {
            RuntimeException failure = nextWriteFailure;
            nextWriteFailure = null;
            throw failure;
        }
        Map<Key, AccountState> next = new LinkedHashMap<>();
        for (BookEntry entry : batch) {
            Key key = Key.of(entry.after());
            AccountState current = next.containsKey(key) ? next.get(key) : states.get(key);
            long expected = current == null ? 0 : current.version() + 1;
            if (entry.after().version() != expected) {
                throw new VersionConflict("account " + key + " is at version "
                        + (current == null ? "(none)" : current.version()) + ": cannot write version "
                        + entry.after().version() + " (" + entry.type() + ")");
            }
            next.put(key, entry.after());
        }
        Map<Key, AccountState> previous = new HashMap<>();
        next.keySet().forEach(key -> previous.put(key, states.get(key)));
        states.putAll(next);
        List<BookEntry> written = List.copyOf(batch);
        entries.addAll(written);
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().root().onRollback(u -> undo(previous, written));
        }
    }

    private synchronized void undo(Map<Key, AccountState> previous, List<BookEntry> written) {
        previous.forEach((key, state) -> {
            if (state == null) {
                states.remove(key);
            } else {
                states.put(key, state);
            }
        });
        Set<BookEntry> undone = Collections.newSetFromMap(new IdentityHashMap<>());
        undone.addAll(written);
        entries.removeIf(undone::contains);
    }

    // ---- for tests ----

    /** Makes the next {@link #write} throw {@code failure} (and write nothing). */
    public synchronized void failNextWrite(RuntimeException failure) {
        nextWriteFailure = failure;
    }

    /** Replaces an account's state by hand, outside any rule (an operator, or a test of detection). */
    public synchronized void overwrite(AccountState state) {
        states.put(Key.of(state), state);
    }

    public synchronized Map<Key, AccountState> states() {
        return new LinkedHashMap<>(states);
    }

    public synchronized Map<Key, AccountState> statesOfTenant(String tenant) {
        Map<Key, AccountState> ofTenant = new LinkedHashMap<>();
        states.forEach((key, state) -> {
            if (key.tenant().equals(tenant)) {
                ofTenant.put(key, state);
            }
        });
        return ofTenant;
    }

    public synchronized AccountState state(String tenant, String accountId) {
        return states.get(new Key(tenant, accountId));
    }

    /** Every entry written, in write order. */
    public synchronized List<BookEntry> entries() {
        return List.copyOf(entries);
    }

    public synchronized List<BookEntry> entriesSince(int skip) {
        return List.copyOf(entries.subList(skip, entries.size()));
    }

    public synchronized List<BookEntry> entriesOfTenant(String tenant) {
        return entries.stream().filter(e -> e.after().tenant().equals(tenant)).toList();
    }

    public synchronized int entryCount() {
        return entries.size();
    }

    public synchronized int loadCalls() {
        return loadCalls;
    }

    public synchronized int keysLoaded() {
        return keysLoaded;
    }

    public synchronized int writeCalls() {
        return writeCalls;
    }
}
