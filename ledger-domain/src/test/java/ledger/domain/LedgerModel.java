package ledger.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.transfer.TransferStatus;

/**
 * A plain reference model of one tenant's ledger, written from DESIGN.md's rules rather than from
 * the aggregates: it says which rejection codes a command may get (any rule it breaks) and what
 * every balance is after the commands that were accepted.
 */
final class LedgerModel {

    static final class Account {
        final String id;
        final CurrencyCode currency;
        final AccountKind kind;
        final OverdraftLimit limit;
        AccountStatus status = AccountStatus.OPEN;
        long debitsPosted;
        long creditsPosted;
        long debitsPending;
        long creditsPending;

        Account(String id, CurrencyCode currency, AccountKind kind, OverdraftLimit limit) {
            this.id = id;
            this.currency = currency;
            this.kind = kind;
            this.limit = limit;
        }

        Account copy() {
            Account copy = new Account(id, currency, kind, limit);
            copy.status = status;
            copy.debitsPosted = debitsPosted;
            copy.creditsPosted = creditsPosted;
            copy.debitsPending = debitsPending;
            copy.creditsPending = creditsPending;
            return copy;
        }

        long balance() {
            return kind.normalSide() == Side.DEBIT ? debitsPosted - creditsPosted : creditsPosted - debitsPosted;
        }

        /** The normal-side balance less what pending transfers reserve against it. */
        long available() {
            return balance() - (kind.normalSide() == Side.DEBIT ? creditsPending : debitsPending);
        }

        /** Whether moving {@code minor} on {@code side} would take it past its overdraft limit. */
        boolean lacksFundsFor(Side side, long minor) {
            return side != kind.normalSide() && !limit.allows(available() - minor);
        }

        boolean isEmpty() {
            return debitsPosted == creditsPosted && debitsPending == 0 && creditsPending == 0;
        }

        void post(Side side, long minor) {
            if (side == Side.DEBIT) {
                debitsPosted += minor;
            } else {
                creditsPosted += minor;
            }
        }

        void reserve(Side side, long minor) {
            if (side == Side.DEBIT) {
                debitsPending += minor;
            } else {
                creditsPending += minor;
            }
        }
    }

    static final class Transfer {
        final String id;
        final String debit;
        final String credit;
        final long reserved;
        final CurrencyCode currency;
        final Instant expiresAt;
        TransferStatus status;

        Transfer(String id, String debit, String credit, long reserved, CurrencyCode currency, Instant expiresAt,
                 TransferStatus status) {
            this.id = id;
            this.debit = debit;
            this.credit = credit;
            this.reserved = reserved;
            this.currency = currency;
            this.expiresAt = expiresAt;
            this.status = status;
        }

        Transfer copy() {
            return new Transfer(id, debit, credit, reserved, currency, expiresAt, status);
        }
    }

    /** One leg as the model sees it: {@code minor} is null when its amount text is invalid. */
    record Leg(String account, Side side, Long minor) {
    }

    final Map<String, Account> accounts = new TreeMap<>();
    final Map<String, Transfer> transfers = new LinkedHashMap<>();

    Account account(String id) {
        return accounts.get(id);
    }

    /** An independent copy: what a linked chain works on until it is known to succeed as a whole. */
    LedgerModel copy() {
        LedgerModel copy = new LedgerModel();
        accounts.forEach((id, account) -> copy.accounts.put(id, account.copy()));
        transfers.forEach((id, transfer) -> copy.transfers.put(id, transfer.copy()));
        return copy;
    }

    List<Transfer> pending() {
        return transfers.values().stream().filter(t -> t.status == TransferStatus.PENDING).toList();
    }

    // ---- what a command may be rejected with: every rule it breaks (empty = must be accepted) ----

    Set<RejectionCode> openRejections(String id) {
        return accounts.containsKey(id) ? EnumSet.of(RejectionCode.DUPLICATE_ID) : EnumSet.noneOf(RejectionCode.class);
    }

    /** Rules of one new posting or reservation on an account; {@code minor} null = amount invalid. */
    private void movementRejections(String accountId, Side side, CurrencyCode currency, Long minor,
                                    Set<RejectionCode> into) {
        Account account = accounts.get(accountId);
        if (account == null) {
            into.add(RejectionCode.ACCOUNT_NOT_FOUND);
            return;
        }
        if (account.status == AccountStatus.CLOSED) {
            into.add(RejectionCode.ACCOUNT_CLOSED);
        } else if (account.status == AccountStatus.FROZEN) {
            into.add(RejectionCode.ACCOUNT_FROZEN);
        } else if (currency != null && !currency.equals(account.currency)) {
            into.add(RejectionCode.CURRENCY_MISMATCH);
        } else if (minor != null && account.lacksFundsFor(side, minor)) {
            into.add(RejectionCode.INSUFFICIENT_FUNDS);
        }
    }

    Set<RejectionCode> transferRejections(String id, String debit, String credit, CurrencyCode currency,
                                          Long minor, boolean timeoutInvalid) {
        Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
        if (debit.equals(credit)) {
            codes.add(RejectionCode.VALIDATION_FAILED);
        }
        if (timeoutInvalid) {
            codes.add(RejectionCode.VALIDATION_FAILED);
        }
        if (minor == null) {
            codes.add(RejectionCode.AMOUNT_INVALID);
        }
        if (transfers.containsKey(id)) {
            codes.add(RejectionCode.DUPLICATE_ID);
        }
        movementRejections(debit, Side.DEBIT, currency, minor, codes);
        movementRejections(credit, Side.CREDIT, currency, minor, codes);
        return codes;
    }

    Set<RejectionCode> entryRejections(String id, List<Leg> legs, int legsMax) {
        Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
        if (legs.size() < 2 || legs.size() > legsMax) {
            codes.add(RejectionCode.VALIDATION_FAILED);
        }
        if (legs.stream().map(Leg::account).distinct().count() < legs.size()) {
            codes.add(RejectionCode.VALIDATION_FAILED);
        }
        if (transfers.containsKey(id)) {
            codes.add(RejectionCode.DUPLICATE_ID);
        }
        Map<String, Long> netByCurrency = new TreeMap<>();
        for (Leg leg : legs) {
            Account account = accounts.get(leg.account());
            if (account != null && leg.minor() == null) {
                codes.add(RejectionCode.AMOUNT_INVALID);
            }
            if (account != null && leg.minor() != null) {
                netByCurrency.merge(account.currency.code(), leg.side() == Side.DEBIT ? leg.minor() : -leg.minor(),
                        Long::sum);
            }
            movementRejections(leg.account(), leg.side(), null, leg.minor(), codes);
        }
        if (netByCurrency.values().stream().anyMatch(net -> net != 0)) {
            codes.add(RejectionCode.UNBALANCED_ENTRY);
        }
        return codes;
    }

    Set<RejectionCode> postRejections(String id, Long postedMinor, Instant now) {
        Transfer transfer = transfers.get(id);
        if (transfer == null) {
            return EnumSet.of(RejectionCode.TRANSFER_NOT_FOUND);
        }
        if (transfer.status != TransferStatus.PENDING) {
            return EnumSet.of(RejectionCode.TRANSFER_NOT_PENDING);
        }
        Set<RejectionCode> codes = EnumSet.noneOf(RejectionCode.class);
        if (transfer.expiresAt != null && !now.isBefore(transfer.expiresAt)) {
            codes.add(RejectionCode.TRANSFER_EXPIRED);
        }
        if (postedMinor == null || postedMinor < 1 || postedMinor > transfer.reserved) {
            codes.add(RejectionCode.AMOUNT_INVALID);
        }
        for (String accountId : List.of(transfer.debit, transfer.credit)) {
            if (accounts.get(accountId).status != AccountStatus.OPEN) {
                codes.add(RejectionCode.ACCOUNT_FROZEN);
            }
        }
        return codes;
    }

    Set<RejectionCode> voidRejections(String id) {
        Transfer transfer = transfers.get(id);
        if (transfer == null) {
            return EnumSet.of(RejectionCode.TRANSFER_NOT_FOUND);
        }
        return transfer.status == TransferStatus.PENDING ? EnumSet.noneOf(RejectionCode.class)
                : EnumSet.of(RejectionCode.TRANSFER_NOT_PENDING);
    }

    Set<RejectionCode> statusRejections(String id, boolean close) {
        Account account = accounts.get(id);
        if (account == null) {
            return EnumSet.of(RejectionCode.ACCOUNT_NOT_FOUND);
        }
        if (account.status == AccountStatus.CLOSED) {
            return EnumSet.of(RejectionCode.ACCOUNT_CLOSED);
        }
        return close && !account.isEmpty() ? EnumSet.of(RejectionCode.ACCOUNT_NOT_EMPTY)
                : EnumSet.noneOf(RejectionCode.class);
    }

    // ---- accepted commands ----

    void open(String id, CurrencyCode currency, AccountKind kind, OverdraftLimit limit) {
        accounts.put(id, new Account(id, currency, kind, limit));
    }

    void transfer(String id, String debit, String credit, CurrencyCode currency, long minor, boolean pending,
                  Instant expiresAt) {
        if (pending) {
            accounts.get(debit).reserve(Side.DEBIT, minor);
            accounts.get(credit).reserve(Side.CREDIT, minor);
        } else {
            accounts.get(debit).post(Side.DEBIT, minor);
            accounts.get(credit).post(Side.CREDIT, minor);
        }
        transfers.put(id, new Transfer(id, debit, credit, minor, currency, expiresAt,
                pending ? TransferStatus.PENDING : TransferStatus.POSTED));
    }

    void entry(String id, List<Leg> legs) {
        legs.forEach(leg -> accounts.get(leg.account()).post(leg.side(), leg.minor()));
        transfers.put(id, new Transfer(id, legs.get(0).account(), legs.get(1).account(), 0, null, null,
                TransferStatus.POSTED));
    }

    void post(String id, long postedMinor) {
        Transfer transfer = transfers.get(id);
        Account debit = accounts.get(transfer.debit);
        Account credit = accounts.get(transfer.credit);
        debit.debitsPending -= transfer.reserved;
        credit.creditsPending -= transfer.reserved;
        debit.post(Side.DEBIT, postedMinor);
        credit.post(Side.CREDIT, postedMinor);
        transfer.status = TransferStatus.POSTED;
    }

    void release(String id, TransferStatus to) {
        Transfer transfer = transfers.get(id);
        accounts.get(transfer.debit).debitsPending -= transfer.reserved;
        accounts.get(transfer.credit).creditsPending -= transfer.reserved;
        transfer.status = to;
    }

    /** Expires every pending transfer due at {@code now}; returns how many. */
    int expireDue(Instant now) {
        List<Transfer> due = new ArrayList<>();
        for (Transfer transfer : pending()) {
            if (transfer.expiresAt != null && !now.isBefore(transfer.expiresAt)) {
                due.add(transfer);
            }
        }
        due.forEach(t -> release(t.id, TransferStatus.EXPIRED));
        return due.size();
    }
}
