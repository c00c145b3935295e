package ledger.domain.event;

import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Account} aggregate. Amounts are strings with exactly the currency's
 * number of decimals; every event names its tenant and account.
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

    @EventType("ledger.AccountClosed")
    @Revision("1")
    public record AccountClosed(String tenant, String accountId) {
    }

    /** A posted movement: the account's debits or credits grow by {@code amount}. */
    @EventType("ledger.AccountPosted")
    @Revision("1")
    public record AccountPosted(String tenant, String accountId, String transferId, String side, String amount,
                                String currency) {
    }

    /** A pending movement: reserved by a pending transfer until it is posted, voided or expires. */
    @EventType("ledger.AmountReserved")
    @Revision("1")
    public record AmountReserved(String tenant, String accountId, String transferId, String side, String amount,
                                 String currency) {
    }

    /** A reservation became posted, for {@code posted} ≤ {@code reserved}; the rest is released. */
    @EventType("ledger.ReservationPosted")
    @Revision("1")
    public record ReservationPosted(String tenant, String accountId, String transferId, String side,
                                    String reserved, String posted, String currency) {
    }

    /** A reservation was released without posting ({@code reason}: voided or expired). */
    @EventType("ledger.ReservationReleased")
    @Revision("1")
    public record ReservationReleased(String tenant, String accountId, String transferId, String side,
                                      String amount, String currency, String reason) {
    }
}
