package ledger.domain.event;

import java.util.List;
import java.util.Map;
import org.axonframework.serialization.Revision;

/**
 * Events of the {@code Transfer} aggregate (transfers and multi-leg journal entries share one id
 * space). Each is the one event of its change and names every account it moves and by how much,
 * so balances follow from it alone.
 */
public final class TransferEvents {
    private TransferEvents() {
    }

    /** One posting of an entry. */
    public record Leg(String accountId, String side, String amount, String currency) {
    }

    /** A transfer or journal entry posted at once; {@code kind} is "transfer" or "entry". */
    @EventType("ledger.TransferPosted")
    @Revision("1")
    public record TransferPosted(String tenant, String transferId, String kind, List<Leg> legs,
                                 Map<String, String> metadata) {
    }

    /** A pending transfer: the amount is reserved until posted, voided, or {@code expiresAt} (ts6, or null). */
    @EventType("ledger.TransferPending")
    @Revision("1")
    public record TransferPending(String tenant, String transferId, String debitAccount, String creditAccount,
                                  String amount, String currency, String expiresAt, Map<String, String> metadata) {
    }

    /** A pending transfer posted: {@code amount} (at most {@code reserved}) moves, the rest is released. */
    @EventType("ledger.PendingTransferPosted")
    @Revision("2")
    public record PendingTransferPosted(String tenant, String transferId, String debitAccount, String creditAccount,
                                        String reserved, String amount, String currency) {
    }

    /** A pending transfer voided: its whole reservation is released. */
    @EventType("ledger.PendingTransferVoided")
    @Revision("2")
    public record PendingTransferVoided(String tenant, String transferId, String debitAccount, String creditAccount,
                                        String reserved, String currency) {
    }

    /** A pending transfer's time ran out: its whole reservation is released. */
    @EventType("ledger.PendingTransferExpired")
    @Revision("2")
    public record PendingTransferExpired(String tenant, String transferId, String debitAccount, String creditAccount,
                                         String reserved, String currency) {
    }

    /**
     * A reversal posted (docs/reversals.md): a new transfer whose legs are {@code reversalOf}'s legs with
     * the sides swapped, for all of its amount or (a two-leg transfer) part of it.
     */
    @EventType("ledger.ReversalPosted")
    @Revision("1")
    public record ReversalPosted(String tenant, String transferId, String reversalOf, List<Leg> legs) {
    }

    /**
     * The transfer was reversed by {@code reversalId}: {@code amount} of it in {@code currency} (a
     * two-leg transfer, in part or in full), or all of it ({@code amount} and {@code currency} null: an
     * entry, reversed only in full). What is left to reverse follows from these events alone.
     */
    @EventType("ledger.TransferReversed")
    @Revision("1")
    public record TransferReversed(String tenant, String transferId, String reversalId, String amount,
                                   String currency) {
    }
}
