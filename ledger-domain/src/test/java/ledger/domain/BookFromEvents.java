package ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ledger.audit.Ts6;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.book.ScopedBook.Key;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Side;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import org.axonframework.eventhandling.DomainEventMessage;

/**
 * What the book must hold, rebuilt from the stored events alone: the accounts' life-cycle events
 * and the one event of each transfer change, which names every account it moves and by how much.
 * Written here from the events' meaning, not with {@link AccountState}'s change methods or the
 * command handler: each event becomes one entry per account it touches (debit leg first), the
 * account's totals move by the event's amounts, and its version counts its entries from 0.
 *
 * <p>{@link #replay} of a tenant's events must equal the entries the book wrote for that tenant,
 * in order, states, types, amounts and times included.
 */
public final class BookFromEvents {
    private final Map<Key, AccountState> states = new LinkedHashMap<>();
    private final List<BookEntry> entries = new ArrayList<>();

    private BookFromEvents() {
    }

    /** The book entries {@code events} (in store order, whole histories) imply, in order. */
    public static List<BookEntry> replay(List<DomainEventMessage<?>> events) {
        BookFromEvents book = new BookFromEvents();
        events.forEach(book::apply);
        return List.copyOf(book.entries);
    }

    /** The accounts' states {@code events} imply. */
    public static Map<Key, AccountState> states(List<DomainEventMessage<?>> events) {
        BookFromEvents book = new BookFromEvents();
        events.forEach(book::apply);
        return new HashMap<>(book.states);
    }

    /** {@code entries} with the time of every status change (not a movement) left out. */
    public static List<BookEntry> withoutStatusTimes(List<BookEntry> entries) {
        return entries.stream().map(e -> BookEntry.movesMoney(e.type()) ? e
                : new BookEntry(e.after(), e.type(), e.transferId(), e.side(), e.amount(), Instant.EPOCH)).toList();
    }

    /** The entries of one account among {@code entries}, in order. */
    public static List<BookEntry> ofAccount(List<BookEntry> entries, Key key) {
        return entries.stream().filter(e -> Key.of(e.after()).equals(key)).toList();
    }

    private void apply(DomainEventMessage<?> message) {
        Object event = message.getPayload();
        Instant at = Ts6.parse((String) message.getMetaData().get(AuditKeys.OCCURRED_AT));
        if (event instanceof AccountOpened e) {
            CurrencyCode currency = new CurrencyCode(e.currency(), e.minorUnits());
            OverdraftLimit limit = OverdraftLimit.UNLIMITED.equals(e.overdraftLimit())
                    ? new OverdraftLimit(true, 0) : new OverdraftLimit(false, minor(e.overdraftLimit(), currency));
            Key key = new Key(e.tenant(), e.accountId());
            if (states.containsKey(key)) {
                throw new AssertionError("account " + key + " opened twice");
            }
            AccountState opened = new AccountState(e.tenant(), e.accountId(), currency, AccountKind.valueOf(e.kind()),
                    limit, AccountStatus.OPEN, 0, 0, 0, 0, 0);
            states.put(key, opened);
            entries.add(new BookEntry(opened, BookEntry.OPENED, null, null, 0, at));
        } else if (event instanceof AccountFrozen e) {
            status(e.tenant(), e.accountId(), AccountStatus.FROZEN, BookEntry.FROZEN, at);
        } else if (event instanceof AccountUnfrozen e) {
            status(e.tenant(), e.accountId(), AccountStatus.OPEN, BookEntry.UNFROZEN, at);
        } else if (event instanceof AccountClosed e) {
            status(e.tenant(), e.accountId(), AccountStatus.CLOSED, BookEntry.CLOSED, at);
        } else if (event instanceof TransferPosted e) {
            for (Leg leg : e.legs()) {
                Side side = Side.parse(leg.side());
                long amount = amount(e.tenant(), leg.accountId(), leg.amount(), leg.currency());
                move(e.tenant(), leg.accountId(), side, amount, 0, 0, BookEntry.POSTED, e.transferId(), amount, at);
            }
        } else if (event instanceof TransferPending e) {
            long debit = amount(e.tenant(), e.debitAccount(), e.amount(), e.currency());
            long credit = amount(e.tenant(), e.creditAccount(), e.amount(), e.currency());
            move(e.tenant(), e.debitAccount(), Side.DEBIT, 0, debit, 0, BookEntry.RESERVED, e.transferId(), debit, at);
            move(e.tenant(), e.creditAccount(), Side.CREDIT, 0, credit, 0, BookEntry.RESERVED, e.transferId(), credit,
                    at);
        } else if (event instanceof PendingTransferPosted e) {
            for (Side side : Side.values()) {
                String account = side == Side.DEBIT ? e.debitAccount() : e.creditAccount();
                long reserved = amount(e.tenant(), account, e.reserved(), e.currency());
                long posted = amount(e.tenant(), account, e.amount(), e.currency());
                if (posted > reserved) {
                    throw new AssertionError("transfer " + e.transferId() + " posts more than it reserved: " + e);
                }
                move(e.tenant(), account, side, posted, 0, reserved, BookEntry.PENDING_POSTED, e.transferId(), posted,
                        at);
            }
        } else if (event instanceof PendingTransferVoided e) {
            release(e.tenant(), e.transferId(), e.debitAccount(), e.creditAccount(), e.reserved(), e.currency(),
                    BookEntry.VOIDED, at);
        } else if (event instanceof PendingTransferExpired e) {
            release(e.tenant(), e.transferId(), e.debitAccount(), e.creditAccount(), e.reserved(), e.currency(),
                    BookEntry.EXPIRED, at);
        } else {
            throw new AssertionError("an event the book does not know: " + event);
        }
    }

    private void release(String tenant, String transferId, String debitAccount, String creditAccount, String reserved,
                         String currency, String type, Instant at) {
        for (Side side : Side.values()) {
            String account = side == Side.DEBIT ? debitAccount : creditAccount;
            long amount = amount(tenant, account, reserved, currency);
            move(tenant, account, side, 0, 0, amount, type, transferId, amount, at);
        }
    }

    /** One entry on {@code side}: {@code posted} more posted, {@code reserved} more and {@code released} less pending. */
    private void move(String tenant, String accountId, Side side, long posted, long reserved, long released,
                      String type, String transferId, long amount, Instant at) {
        AccountState s = state(tenant, accountId);
        boolean debit = side == Side.DEBIT;
        AccountState next = new AccountState(s.tenant(), s.accountId(), s.currency(), s.kind(), s.overdraftLimit(),
                s.status(),
                s.debitsPosted() + (debit ? posted : 0),
                s.creditsPosted() + (debit ? 0 : posted),
                s.debitsPending() + (debit ? reserved - released : 0),
                s.creditsPending() + (debit ? 0 : reserved - released),
                s.version() + 1);
        if (next.debitsPending() < 0 || next.creditsPending() < 0) {
            throw new AssertionError("account " + accountId + " releases more than it holds: " + next);
        }
        states.put(new Key(tenant, accountId), next);
        entries.add(new BookEntry(next, type, transferId, side, amount, at));
    }

    private void status(String tenant, String accountId, AccountStatus status, String type, Instant at) {
        AccountState s = state(tenant, accountId);
        AccountState next = new AccountState(s.tenant(), s.accountId(), s.currency(), s.kind(), s.overdraftLimit(),
                status, s.debitsPosted(), s.creditsPosted(), s.debitsPending(), s.creditsPending(), s.version() + 1);
        states.put(new Key(tenant, accountId), next);
        entries.add(new BookEntry(next, type, null, null, 0, at));
    }

    private AccountState state(String tenant, String accountId) {
        AccountState state = states.get(new Key(tenant, accountId));
        if (state == null) {
            throw new AssertionError("an event moves account " + tenant + "/" + accountId + " before it was opened");
        }
        return state;
    }

    /** An event's amount in minor units of the account's currency, which it must name, at its exact scale. */
    private long amount(String tenant, String accountId, String text, String currency) {
        CurrencyCode held = state(tenant, accountId).currency();
        if (!held.code().equals(currency)) {
            throw new AssertionError("an event moves " + currency + " on account " + accountId + " of " + held);
        }
        long minor = minor(text, held);
        if (minor <= 0) {
            throw new AssertionError("an event moves a non-positive amount " + text + " on account " + accountId);
        }
        return minor;
    }

    private static long minor(String text, CurrencyCode currency) {
        BigDecimal value = new BigDecimal(text);
        if (value.scale() != currency.scale() || value.signum() < 0) {
            throw new AssertionError("amount " + text + " is not written at the scale of " + currency);
        }
        return value.unscaledValue().longValueExact();
    }
}
