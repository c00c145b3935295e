package ledger.domain.book;

import static ledger.domain.model.RejectionCode.ACCOUNT_CLOSED;
import static ledger.domain.model.RejectionCode.ACCOUNT_FROZEN;
import static ledger.domain.model.RejectionCode.ACCOUNT_NOT_EMPTY;
import static ledger.domain.model.RejectionCode.AMOUNT_INVALID;
import static ledger.domain.model.RejectionCode.CURRENCY_MISMATCH;
import static ledger.domain.model.RejectionCode.INSUFFICIENT_FUNDS;

import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Invariants;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;

/**
 * What decides whether an account may move money: its currency, kind, overdraft limit and status,
 * and its posted and pending totals per side (minor units). Immutable: every change returns the
 * next state with {@code version} one higher, so two writers of one account cannot both succeed
 * (the book stores each version once). The balance formulas live here and nowhere else.
 */
public record AccountState(String tenant, String accountId, CurrencyCode currency, AccountKind kind,
                           OverdraftLimit overdraftLimit, AccountStatus status, long debitsPosted,
                           long creditsPosted, long debitsPending, long creditsPending, long version) {

    /** A newly opened account: nothing posted, version 0. */
    public static AccountState opened(String tenant, String accountId, CurrencyCode currency, AccountKind kind,
                                      OverdraftLimit overdraftLimit) {
        return new AccountState(tenant, accountId, currency, kind, overdraftLimit, AccountStatus.OPEN, 0, 0, 0, 0, 0);
    }

    /** Posted balance on the normal side. */
    public long balance() {
        return balance(kind, debitsPosted, creditsPosted);
    }

    /** Posted balance on the normal side less what pending transfers reserve against it. */
    public long available() {
        return available(kind, debitsPosted, creditsPosted, debitsPending, creditsPending);
    }

    public static long balance(AccountKind kind, long debitsPosted, long creditsPosted) {
        return kind.normalSide() == Side.DEBIT ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
    }

    public static long available(AccountKind kind, long debitsPosted, long creditsPosted, long debitsPending,
                                 long creditsPending) {
        return balance(kind, debitsPosted, creditsPosted)
                - (kind.normalSide() == Side.DEBIT ? creditsPending : debitsPending);
    }

    // ---- decisions ----

    /**
     * Refuses a new posting or reservation of {@code amount} on {@code side} if the account is not
     * open, holds another currency, or would pass its overdraft limit (reservations count).
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

    /** Posting a reservation needs an open account; voids and expiries always pass. */
    public void checkCanPostReservation() {
        requireOpen();
    }

    public void requireNotClosed() {
        if (status == AccountStatus.CLOSED) {
            throw new LedgerRejection(ACCOUNT_CLOSED, "account " + accountId + " is closed");
        }
    }

    /** Closing needs a zero balance with nothing pending. */
    public void checkCanClose() {
        requireNotClosed();
        if (debitsPosted != creditsPosted || debitsPending != 0 || creditsPending != 0) {
            throw new LedgerRejection(ACCOUNT_NOT_EMPTY, "account " + accountId + " can only be closed at a zero "
                    + "balance with nothing pending (balance " + Money.format(balance(), currency.scale())
                    + ", pending debits " + Money.format(debitsPending, currency.scale()) + ", pending credits "
                    + Money.format(creditsPending, currency.scale()) + ")");
        }
    }

    private void requireOpen() {
        requireNotClosed();
        if (status == AccountStatus.FROZEN) {
            throw new LedgerRejection(ACCOUNT_FROZEN, "account " + accountId + " is frozen");
        }
    }

    // ---- changes: each returns the next version ----

    public AccountState posted(Side side, long minor) {
        Invariants.check(minor > 0, "a posting moves a positive amount");
        return side == Side.DEBIT
                ? next(status, Math.addExact(debitsPosted, minor), creditsPosted, debitsPending, creditsPending)
                : next(status, debitsPosted, Math.addExact(creditsPosted, minor), debitsPending, creditsPending);
    }

    public AccountState reserved(Side side, long minor) {
        Invariants.check(minor > 0, "a reservation holds a positive amount");
        return side == Side.DEBIT
                ? next(status, debitsPosted, creditsPosted, Math.addExact(debitsPending, minor), creditsPending)
                : next(status, debitsPosted, creditsPosted, debitsPending, Math.addExact(creditsPending, minor));
    }

    /** A reservation of {@code reservedMinor} ends: {@code postedMinor} (0 for a release) of it is posted. */
    public AccountState reservationEnded(Side side, long reservedMinor, long postedMinor) {
        Invariants.check(postedMinor >= 0 && postedMinor <= reservedMinor, "posted part within the reservation");
        long pending = side == Side.DEBIT ? debitsPending : creditsPending;
        Invariants.check(reservedMinor <= pending, "account " + accountId + " holds the reservation it releases");
        return side == Side.DEBIT
                ? next(status, Math.addExact(debitsPosted, postedMinor), creditsPosted, debitsPending - reservedMinor,
                creditsPending)
                : next(status, debitsPosted, Math.addExact(creditsPosted, postedMinor), debitsPending,
                creditsPending - reservedMinor);
    }

    /**
     * Refuses a new overdraft limit that the available balance already passes: lowering a limit below
     * the overdraft in use would leave the account outside its own limit.
     */
    public void checkCanChangeLimit(OverdraftLimit next) {
        requireNotClosed();
        if (!next.allows(available())) {
            throw new ledger.domain.model.LedgerRejection(ledger.domain.model.RejectionCode.LIMIT_BELOW_BALANCE,
                    "account " + accountId + " has " + Money.format(available(), currency.scale()) + " "
                            + currency.code() + " available: an overdraft limit of "
                            + Money.format(next.minor(), currency.scale()) + " would not cover it; bring the balance"
                            + " within the new limit first");
        }
    }

    public AccountState withOverdraftLimit(OverdraftLimit next) {
        return new AccountState(tenant, accountId, currency, kind, next, status, debitsPosted, creditsPosted,
                debitsPending, creditsPending, version + 1);
    }

    public AccountState withStatus(AccountStatus next) {
        return next(next, debitsPosted, creditsPosted, debitsPending, creditsPending);
    }

    private AccountState next(AccountStatus nextStatus, long dPosted, long cPosted, long dPending, long cPending) {
        return new AccountState(tenant, accountId, currency, kind, overdraftLimit, nextStatus, dPosted, cPosted,
                dPending, cPending, version + 1);
    }
}
