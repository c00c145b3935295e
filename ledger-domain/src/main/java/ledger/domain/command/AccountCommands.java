package ledger.domain.command;

import java.util.List;
import ledger.domain.command.TransferCommands.PostsToAccounts;

import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Commands on one account, handled by {@code LedgerCommandHandler}: whether they are allowed depends
 * on the account's balances too (closing needs zero), which the book holds.
 */
public final class AccountCommands {
    private AccountCommands() {
    }

    /** Opens an account; {@code metadata} (possibly empty) is bounded like a transfer's. */
    public record OpenAccount(TenantId tenant, AccountId accountId, CurrencyCode currency, AccountKind kind,
                              OverdraftLimit overdraftLimit, java.util.Map<String, String> metadata)
            implements PostsToAccounts {
        public OpenAccount {
            metadata = metadata == null ? java.util.Map.of() : metadata;
        }

        public OpenAccount(TenantId tenant, AccountId accountId, CurrencyCode currency, AccountKind kind,
                           OverdraftLimit overdraftLimit) {
            this(tenant, accountId, currency, kind, overdraftLimit, java.util.Map.of());
        }

        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(accountId);
        }
    }

    public record FreezeAccount(TenantId tenant, AccountId accountId, String reason) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(accountId);
        }
    }

    public record UnfreezeAccount(TenantId tenant, AccountId accountId) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(accountId);
        }
    }

    /**
     * Changes an account's metadata (the whole new map; null: unchanged) and/or overdraft limit (null:
     * unchanged). A limit that the account's balance already passes is refused (limit_below_balance).
     */
    public record UpdateAccount(TenantId tenant, AccountId accountId, java.util.Map<String, String> metadata,
                                OverdraftLimit overdraftLimit) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(accountId);
        }
    }

    public record CloseAccount(TenantId tenant, AccountId accountId) implements PostsToAccounts {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }

        @Override
        public List<AccountId> accounts() {
            return List.of(accountId);
        }
    }
}
