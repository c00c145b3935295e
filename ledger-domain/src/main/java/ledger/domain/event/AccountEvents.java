package ledger.domain.event;

import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Account} aggregate: its life cycle. Money moved to or from an account is
 * an event of the transfer that moves it (one event per transfer, whatever its legs), not of the
 * account; the account's balances follow from those events (see {@code ledger.domain.book}).
 */
public final class AccountEvents {
    private AccountEvents() {
    }

    @EventType("ledger.AccountOpened")
    @Revision("1")
    public record AccountOpened(String tenant, String accountId, String currency, int minorUnits, String kind,
                                String overdraftLimit) {
    }

    @EventType("ledger.AccountFrozen")
    @Revision("1")
    public record AccountFrozen(String tenant, String accountId, String reason) {
    }

    @EventType("ledger.AccountUnfrozen")
    @Revision("1")
    public record AccountUnfrozen(String tenant, String accountId) {
    }

    /**
     * The account's metadata (the whole new map; null: unchanged) or overdraft limit (as stored, e.g.
     * "100.00" or "unlimited"; null: unchanged) changed; at opening it carries the metadata opened with.
     */
    @EventType("ledger.AccountUpdated")
    @Revision("1")
    public record AccountUpdated(String tenant, String accountId, java.util.Map<String, String> metadata,
                                 String overdraftLimit) {
    }

    @EventType("ledger.AccountClosed")
    @Revision("1")
    public record AccountClosed(String tenant, String accountId) {
    }
}
