package ledger.domain.account;

import static ledger.domain.model.RejectionCode.ACCOUNT_CLOSED;
import static ledger.domain.model.RejectionCode.ACCOUNT_FROZEN;
import static ledger.domain.model.RejectionCode.ACCOUNT_NOT_EMPTY;
import static ledger.domain.model.RejectionCode.AMOUNT_INVALID;
import static ledger.domain.model.RejectionCode.CURRENCY_MISMATCH;
import static ledger.domain.model.RejectionCode.DUPLICATE_ID;
import static ledger.domain.model.RejectionCode.INSUFFICIENT_FUNDS;

import java.util.HashMap;
import java.util.Map;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountPosted;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.event.AccountEvents.AmountReserved;
import ledger.domain.event.AccountEvents.ReservationPosted;
import ledger.domain.event.AccountEvents.ReservationReleased;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.Invariants;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.SealedAggregate;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.axonframework.modelling.command.AggregateCreationPolicy;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.modelling.command.AggregateRoot;
import org.axonframework.modelling.command.CreationPolicy;

/**
 * One account in one currency. It decides whether a posting is allowed (status, currency,
 * overdraft limit, including amounts reserved by pending transfers) and records it. Postings are
 * applied by {@code LedgerCommandHandler}, which changes every account of an entry in one unit of
 * work; the account itself never sees half an entry.
 */
@AggregateRoot(type = AggregateIds.ACCOUNT_TYPE)
public class Account extends SealedAggregate {
    @AggregateIdentifier
    private String aggregateId;
    private String tenant;
    private String accountId;
    private CurrencyCode currency;
    private AccountKind kind;
    private OverdraftLimit overdraftLimit;
    private AccountStatus status;
    private long debitsPosted;
    private long creditsPosted;
    private long debitsPending;
    private long creditsPending;
    /** Open reservations by transfer id: what a post or void may release. */
    private final Map<String, Reservation> reservations = new HashMap<>();

    private record Reservation(Side side, long minor) {
    }

    protected Account() {
        // for Axon
    }

    @Override
    protected String aggregateType() {
        return AggregateIds.ACCOUNT_TYPE;
    }

    @CommandHandler
    @CreationPolicy(AggregateCreationPolicy.CREATE_IF_MISSING)
    public void handle(OpenAccount command) {
        if (aggregateId != null) {
            throw new LedgerRejection(DUPLICATE_ID, "account " + command.accountId() + " already exists");
        }
        applySealed(command.tenant().value(), command.aggregateId(), new AccountOpened(
                command.tenant().value(), command.accountId().value(), command.currency().code(),
                command.currency().scale(), command.kind().name(),
                command.overdraftLimit().toWire(command.currency())));
    }

    @CommandHandler
    public void handle(FreezeAccount command) {
        requireNotClosed();
        if (status == AccountStatus.OPEN) {
            applySealed(tenant, aggregateId, new AccountFrozen(tenant, accountId, command.reason()));
        }
    }

    @CommandHandler
    public void handle(UnfreezeAccount command) {
        requireNotClosed();
        if (status == AccountStatus.FROZEN) {
            applySealed(tenant, aggregateId, new AccountUnfrozen(tenant, accountId));
        }
    }

    @CommandHandler
    public void handle(CloseAccount command) {
        requireNotClosed();
        if (debitsPosted != creditsPosted || debitsPending != 0 || creditsPending != 0) {
            throw new LedgerRejection(ACCOUNT_NOT_EMPTY, "account " + accountId + " can only be closed at a zero "
                    + "balance with nothing pending (balance " + Money.format(balance(), currency.scale())
                    + ", pending debits " + Money.format(debitsPending, currency.scale()) + ", pending credits "
                    + Money.format(creditsPending, currency.scale()) + ")");
        }
        applySealed(tenant, aggregateId, new AccountClosed(tenant, accountId));
    }

    // ---- decisions used by LedgerCommandHandler (inside this aggregate's lifecycle) ----

    /**
     * Rejects a new posting or reservation of {@code amount} on {@code side} if the account is not
     * open, holds another currency, or would pass its overdraft limit.
     */
    public void checkNewMovement(Side side, Money amount) {
        requireOpen();
        if (!currency.equals(amount.currency())) {
            throw new LedgerRejection(CURRENCY_MISMATCH, "account " + accountId + " holds " + currency.code()
                    + ", not " + amount.currency().code());
        }
        long after;
        try {
            long grown = Math.addExact(side == Side.DEBIT ? debitsPosted + debitsPending : creditsPosted + creditsPending,
                    amount.minor());
            after = side == kind.normalSide() ? grown : Math.subtractExact(available(), amount.minor());
        } catch (ArithmeticException overflow) {
            throw new LedgerRejection(AMOUNT_INVALID, "amount would overflow the balance of account " + accountId);
        }
        if (side != kind.normalSide() && !overdraftLimit.allows(after)) {
            throw new LedgerRejection(INSUFFICIENT_FUNDS, "account " + accountId + " has "
                    + Money.format(available(), currency.scale()) + " " + currency.code() + " available, "
                    + amount.toPlainString() + " needed" + (overdraftLimit.minor() > 0
                    ? " (overdraft limit " + Money.format(overdraftLimit.minor(), currency.scale()) + ")" : ""));
        }
    }

    /** Rejects posting a reservation if the account is frozen or closed; voids and expiries always pass. */
    public void checkCanPostReservation() {
        requireOpen();
    }

    public void post(String transferId, Side side, Money amount) {
        applySealed(tenant, aggregateId, new AccountPosted(tenant, accountId, transferId, side.wire(),
                amount.toPlainString(), currency.code()));
    }

    public void reserve(String transferId, Side side, Money amount) {
        Invariants.check(!reservations.containsKey(transferId), "one reservation per transfer on " + accountId);
        applySealed(tenant, aggregateId, new AmountReserved(tenant, accountId, transferId, side.wire(),
                amount.toPlainString(), currency.code()));
    }

    public void postReservation(String transferId, long postedMinor) {
        Reservation reservation = reservations.get(transferId);
        Invariants.check(reservation != null, "reservation " + transferId + " exists on " + accountId);
        Invariants.check(postedMinor > 0 && postedMinor <= reservation.minor(), "posted part within the reservation");
        applySealed(tenant, aggregateId, new ReservationPosted(tenant, accountId, transferId,
                reservation.side().wire(), Money.format(reservation.minor(), currency.scale()),
                Money.format(postedMinor, currency.scale()), currency.code()));
    }

    public void releaseReservation(String transferId, String reason) {
        Reservation reservation = reservations.get(transferId);
        Invariants.check(reservation != null, "reservation " + transferId + " exists on " + accountId);
        applySealed(tenant, aggregateId, new ReservationReleased(tenant, accountId, transferId,
                reservation.side().wire(), Money.format(reservation.minor(), currency.scale()), currency.code(),
                reason));
    }

    public AccountSnapshot snapshot() {
        return new AccountSnapshot(tenant, accountId, currency, kind, overdraftLimit, status, debitsPosted,
                creditsPosted, debitsPending, creditsPending);
    }

    public CurrencyCode currency() {
        return currency;
    }

    // ---- state changes: only here ----

    @EventSourcingHandler
    void on(AccountOpened event, @MetaDataValue(AuditKeys.HASH) String hash) {
        aggregateId = AggregateIds.account(ledger.domain.model.TenantId.of(event.tenant()),
                ledger.domain.model.AccountId.of(event.accountId()));
        tenant = event.tenant();
        accountId = event.accountId();
        currency = new CurrencyCode(event.currency(), event.minorUnits());
        kind = AccountKind.valueOf(event.kind());
        overdraftLimit = OverdraftLimit.fromWire(event.overdraftLimit());
        status = AccountStatus.OPEN;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountFrozen event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.FROZEN;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountUnfrozen event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.OPEN;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountClosed event, @MetaDataValue(AuditKeys.HASH) String hash) {
        status = AccountStatus.CLOSED;
        chained(hash);
    }

    @EventSourcingHandler
    void on(AccountPosted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        long minor = Money.minorOf(event.amount());
        if (Side.parse(event.side()) == Side.DEBIT) {
            debitsPosted = Math.addExact(debitsPosted, minor);
        } else {
            creditsPosted = Math.addExact(creditsPosted, minor);
        }
        chained(hash);
    }

    @EventSourcingHandler
    void on(AmountReserved event, @MetaDataValue(AuditKeys.HASH) String hash) {
        Side side = Side.parse(event.side());
        long minor = Money.minorOf(event.amount());
        reservations.put(event.transferId(), new Reservation(side, minor));
        if (side == Side.DEBIT) {
            debitsPending = Math.addExact(debitsPending, minor);
        } else {
            creditsPending = Math.addExact(creditsPending, minor);
        }
        chained(hash);
    }

    @EventSourcingHandler
    void on(ReservationPosted event, @MetaDataValue(AuditKeys.HASH) String hash) {
        Side side = Side.parse(event.side());
        long reserved = Money.minorOf(event.reserved());
        long posted = Money.minorOf(event.posted());
        reservations.remove(event.transferId());
        if (side == Side.DEBIT) {
            debitsPending -= reserved;
            debitsPosted = Math.addExact(debitsPosted, posted);
        } else {
            creditsPending -= reserved;
            creditsPosted = Math.addExact(creditsPosted, posted);
        }
        chained(hash);
    }

    @EventSourcingHandler
    void on(ReservationReleased event, @MetaDataValue(AuditKeys.HASH) String hash) {
        long minor = Money.minorOf(event.amount());
        reservations.remove(event.transferId());
        if (Side.parse(event.side()) == Side.DEBIT) {
            debitsPending -= minor;
        } else {
            creditsPending -= minor;
        }
        chained(hash);
    }

    // ---- helpers ----

    /** Posted balance on the normal side. */
    private long balance() {
        return kind.normalSide() == Side.DEBIT ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
    }

    /** Posted balance on the normal side less what pending transfers reserve against it. */
    private long available() {
        return balance() - (kind.normalSide() == Side.DEBIT ? creditsPending : debitsPending);
    }

    private void requireNotClosed() {
        if (status == AccountStatus.CLOSED) {
            throw new LedgerRejection(ACCOUNT_CLOSED, "account " + accountId + " is closed");
        }
    }

    private void requireOpen() {
        requireNotClosed();
        if (status == AccountStatus.FROZEN) {
            throw new LedgerRejection(ACCOUNT_FROZEN, "account " + accountId + " is frozen");
        }
    }
}
