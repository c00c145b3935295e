package ledger.domain.account;

import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.event.AccountEvents.AccountUpdated;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.Invariants;
import ledger.domain.model.TenantId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;

/**
 * One account's life: opened in one currency, frozen, unfrozen, closed. Whether a change is allowed
 * depends on the account's balances too (closing needs zero), which the book holds; so the
 * {@code LedgerCommandHandler} decides and calls these methods, and each asserts that its own
 * status agrees with the book's. Money moved to or from the account is recorded by the transfers
 * that move it, not here.
 */
@AggregateRoot(type = AggregateIds.ACCOUNT_TYPE)
public class Account extends SealedAggregate {
    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String accountId;
    private AccountStatus status;
    /** Why the account is frozen (the freeze's reason), null while it is not. */
    private String frozenReason;

    protected Account() {
        // for Axon
    }

    /** Opens the account. */
    public Account(String aggregateId, AccountOpened opened) {
        applySealed(opened.tenant(), aggregateId, opened);
    }

    @Override
    protected String aggregateType() {
        return AggregateIds.ACCOUNT_TYPE;
    }

    public AccountStatus status() {
        return status;
    }

    /** Why the account is frozen, or null: a refusal names it (a reconciliation break's id, say). */
    public String frozenReason() {
        return frozenReason;
    }

    public void freeze(String reason) {
        Invariants.check(status == AccountStatus.OPEN, "only an open account is frozen");
        applySealed(tenant, aggregateId, new AccountFrozen(tenant, accountId, reason));
    }

    public void unfreeze() {
        Invariants.check(status == AccountStatus.FROZEN, "only a frozen account is unfrozen");
        applySealed(tenant, aggregateId, new AccountUnfrozen(tenant, accountId));
    }

    /** Changes metadata (whole new map; null: unchanged) and/or the overdraft limit (stored form; null: unchanged). */
    public void update(java.util.Map<String, String> metadata, String overdraftLimit) {
        Invariants.check(status != AccountStatus.CLOSED, "a closed account is not changed");
        Invariants.check(metadata != null || overdraftLimit != null, "an update changes something");
        applySealed(tenant, aggregateId, new AccountUpdated(tenant, accountId, metadata, overdraftLimit));
    }

    public void close() {
        Invariants.check(status != AccountStatus.CLOSED, "an account is closed once");
        applySealed(tenant, aggregateId, new AccountClosed(tenant, accountId));
    }

    // ---- state changes: only here ----

    @EventSourcingHandler
    void on(AccountOpened event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = AggregateIds.account(TenantId.of(event.tenant()),
                ledger.domain.model.AccountId.of(event.accountId()));
        tenant = event.tenant();
        accountId = event.accountId();
        status = AccountStatus.OPEN;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountFrozen event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.FROZEN;
        frozenReason = event.reason();
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountUnfrozen event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.OPEN;
        frozenReason = null;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountUpdated event, @MetaDataValue(AuditKeys.HASH) String hash) {
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountClosed event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.CLOSED;
        chained(hash);
    }
}
