package ledger.domain.book;

import java.util.Collection;
import java.util.Optional;
import ledger.domain.model.AccountId;
import ledger.domain.model.TenantId;

/**
 * The accounts' current states, as the ledger's history has made them: what a command decides on.
 * A command first {@link #lock}s every account it will touch (all at once: locks are taken in one
 * global order), reads states with {@link #find}, and records each change it makes with
 * {@link #record} after applying the event that causes it. Changes recorded inside a unit of work
 * are seen by the rest of it and become the committed state only when it commits.
 */
public interface Book {
    /** Holds the accounts for the current unit of work until it ends; a no-op for those it holds. */
    void lock(TenantId tenant, Collection<AccountId> accounts);

    Optional<AccountState> find(TenantId tenant, AccountId account);

    /**
     * The account as stored now, unless the current unit of work changed it (then as it stands there):
     * for a decision that writes nothing, such as a refusal, which no version key would find stale.
     */
    default Optional<AccountState> findStored(TenantId tenant, AccountId account) {
        return find(tenant, account);
    }

    /** Records the account's next state; {@code entry.after().version()} is one above the state it replaces. */
    void record(BookEntry entry);
}
