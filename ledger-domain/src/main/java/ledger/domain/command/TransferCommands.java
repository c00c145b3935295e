package ledger.domain.command;

import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import ledger.domain.model.AccountId;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Money;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Commands that move money. They are handled by {@code LedgerCommandHandler}, which changes the
 * transfer and every account it touches in one unit of work: all or nothing.
 */
public final class TransferCommands {
    /** The most legs one journal entry may have. */
    public static final int LEGS_MAX = 64;
    /** The most metadata entries on a transfer, and their key and value lengths. */
    public static final int METADATA_ENTRIES_MAX = 32;
    public static final int METADATA_KEY_LENGTH_MAX = 64;
    public static final int METADATA_VALUE_LENGTH_MAX = 512;
    /** The longest a pending transfer may stay pending. */
    public static final Duration PENDING_TIMEOUT_MAX = Duration.ofDays(366);
    /** The most transfers in one linked chain (a gRPC batch holds at most 8,190 transfers). */
    public static final int CHAIN_TRANSFERS_MAX = 8_190;

    /**
     * Command metadata: "true" on a command sent again after it failed on a conflict. A new
     * transfer's id is taken as unused without a query unless its command is careful; a careful one
     * asks the event store and is refused {@code duplicate_id} if the id is taken.
     */
    public static final String CAREFUL = "ledger.careful";

    private TransferCommands() {
    }

    /**
     * The expiry of a new transfer from a request's {@code timeoutSeconds} (null: none): only a pending
     * transfer has one, of 1 second to {@link #PENDING_TIMEOUT_MAX}. The one place this rule lives;
     * both APIs and the handler ask it.
     */
    public static Duration timeout(boolean pending, Long seconds) {
        if (seconds == null) {
            return null;
        }
        if (!pending) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED,
                    "timeoutSeconds is only allowed on a pending transfer");
        }
        if (seconds < 1 || seconds > PENDING_TIMEOUT_MAX.toSeconds()) {
            throw new LedgerRejection(RejectionCode.VALIDATION_FAILED, "timeoutSeconds must be between 1 and "
                    + PENDING_TIMEOUT_MAX.toSeconds());
        }
        return Duration.ofSeconds(seconds);
    }

    /**
     * A command that changes no account but appends its tenant's events (a settlement's progress):
     * it may share a group commit with others, for which it takes no lock. Each transaction that
     * appends a tenant's events waits for the one before it to commit (the audit log's order), so a
     * command in a shared commit does not cost a commit of its own in that queue.
     */
    public interface SharesGroupCommit {
    }

    /**
     * A command that creates a transfer or entry and posts to accounts known up front: the
     * accounts can be locked before it runs (in one global order), so such commands can share a
     * unit of work without deadlocking each other.
     */
    public interface PostsToAccounts {
        TenantId tenant();

        /** Every account the command may change. */
        List<AccountId> accounts();

        /** The aggregate ids of the transfers (or entries) the command creates; none for account commands. */
        default List<String> createdTransfers() {
            return List.of();
        }
    }

    /**
     * Two commands in one unit of work, in one group commit: {@code then} runs once {@code first}
     * has, and a failure of either undoes both; the answer is {@code first}'s. {@code then} changes
     * no account (the settlement saga's record of the step {@code first} takes), so the pair locks
     * and creates what {@code first} does. Where there is no group commit, a pair is refused.
     */
    public record Together(PostsToAccounts first, Object then) implements PostsToAccounts {
        public Together {
            if (first == null || then == null) {
                throw new IllegalArgumentException("both commands of a pair are required");
            }
        }

        @Override
        public TenantId tenant() {
            return first.tenant();
        }

        @Override
        public List<AccountId> accounts() {
            return first.accounts();
        }

        @Override
        public List<String> createdTransfers() {
            return first.createdTransfers();
        }
    }

    /** A two-leg transfer; {@code pending} reserves instead of posting, {@code timeout} null = no expiry. */
    public record CreateTransfer(TenantId tenant, TransferId transferId, AccountId debitAccount,
                                 AccountId creditAccount, Money amount, boolean pending, Duration timeout,
                                 Map<String, String> metadata) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.transfer(tenant, transferId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(debitAccount, creditAccount);
        }

        @Override
        public List<String> createdTransfers() {
            return List.of(aggregateId());
        }
    }

    /**
     * Linked transfers: created in order in one unit of work, so the chain succeeds or fails as a
     * whole. A later transfer sees what the earlier ones did (one may fund the next). If one is
     * refused, the handler throws a {@code LedgerCommandHandler.ChainRejection} naming its index and
     * nothing of the chain is applied (the book drops what its earlier transfers recorded).
     */
    public record CreateTransferChain(TenantId tenant, List<CreateTransfer> transfers) implements PostsToAccounts {
        @Override
        public List<AccountId> accounts() {
            return transfers == null ? List.of() : transfers.stream().filter(java.util.Objects::nonNull)
                    .flatMap(t -> t.accounts().stream()).distinct().toList();
        }

        @Override
        public List<String> createdTransfers() {
            return transfers == null ? List.of() : transfers.stream().filter(java.util.Objects::nonNull)
                    .map(CreateTransfer::aggregateId).toList();
        }

        /** Routes the chain like its first transfer (there is no chain aggregate). */
        @TargetAggregateIdentifier
        public String routingKey() {
            return transfers == null || transfers.isEmpty() ? tenant.value()
                    : AggregateIds.transfer(tenant, transfers.get(0).transferId());
        }
    }

    /**
     * One leg of an entry. The amount is the client's decimal string: it is read in the currency of
     * the leg's account (legs of one entry may span currencies), so its precision is checked there.
     */
    public record EntryLeg(AccountId accountId, Side side, String amount) {
    }

    /** A multi-leg journal entry, balanced per currency. */
    public record PostEntry(TenantId tenant, TransferId transferId, List<EntryLeg> legs,
                            Map<String, String> metadata) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.transfer(tenant, transferId);
        }

        @Override
        public List<AccountId> accounts() {
            return legs == null ? List.of() : legs.stream().map(EntryLeg::accountId).toList();
        }

        @Override
        public List<String> createdTransfers() {
            return List.of(aggregateId());
        }
    }

    /**
     * Posts a pending transfer, in full ({@code amount} null) or in part. {@code accounts}: the
     * transfer's two accounts as the sender knows them (none: unknown). Known, they are locked up
     * front and the command shares a group commit with others; unknown, it runs in a commit of its
     * own, once the transfer is read (clients' requests). Either way the handler locks the accounts
     * the transfer really has: a wrong list costs a wait, never a wrong posting.
     */
    public record PostPendingTransfer(TenantId tenant, TransferId transferId, String amount, List<AccountId> accounts)
            implements PostsToAccounts {
        public PostPendingTransfer {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
        }

        public PostPendingTransfer(TenantId tenant, TransferId transferId, String amount) {
            this(tenant, transferId, amount, List.of());
        }

        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.transfer(tenant, transferId);
        }
    }

    /**
     * Reverses a posted transfer or entry (docs/reversals.md): posts a new transfer, {@code reversalId}
     * (null: {@code <transferId>.r<n>} for its n-th reversal), with the legs' sides swapped, for
     * {@code amount} (null: all that is left to reverse; an entry only in full). {@code accounts}: the
     * accounts of the transfer's legs as the sender read them (none if it did not find it): they are
     * locked before the transfer is read, so two reversals of one transfer decide one after the other
     * on its latest state instead of conflicting.
     */
    public record ReverseTransfer(TenantId tenant, TransferId transferId, TransferId reversalId, String amount,
                                  List<AccountId> accounts) {
        public ReverseTransfer {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
        }

        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.transfer(tenant, transferId);
        }
    }

    /** Voids a pending transfer; {@code accounts} as in {@link PostPendingTransfer}. */
    public record VoidPendingTransfer(TenantId tenant, TransferId transferId, List<AccountId> accounts)
            implements PostsToAccounts {
        public VoidPendingTransfer {
            accounts = accounts == null ? List.of() : List.copyOf(accounts);
        }

        public VoidPendingTransfer(TenantId tenant, TransferId transferId) {
            this(tenant, transferId, List.of());
        }

        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.transfer(tenant, transferId);
        }
    }
}
