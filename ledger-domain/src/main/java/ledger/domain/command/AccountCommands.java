package ledger.domain.command;

import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/** Commands on one account. */
public final class AccountCommands {
    private AccountCommands() {
    }

    public record OpenAccount(TenantId tenant, AccountId accountId, CurrencyCode currency, AccountKind kind,
                              OverdraftLimit overdraftLimit) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }
    }

    public record FreezeAccount(TenantId tenant, AccountId accountId, String reason) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }
    }

    public record UnfreezeAccount(TenantId tenant, AccountId accountId) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }
    }

    public record CloseAccount(TenantId tenant, AccountId accountId) {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return AggregateIds.account(tenant, accountId);
        }
    }
}
