package ledger.domain.transfer;

import static ledger.domain.model.RejectionCode.ACCOUNT_NOT_FOUND;
import static ledger.domain.model.RejectionCode.AMOUNT_INVALID;
import static ledger.domain.model.RejectionCode.DUPLICATE_ID;
import static ledger.domain.model.RejectionCode.TRANSFER_EXPIRED;
import static ledger.domain.model.RejectionCode.TRANSFER_NOT_FOUND;
import static ledger.domain.model.RejectionCode.TRANSFER_NOT_PENDING;
import static ledger.domain.model.RejectionCode.TRANSFER_NOT_REVERSIBLE;
import static ledger.domain.model.RejectionCode.UNBALANCED_ENTRY;
import static ledger.domain.model.RejectionCode.VALIDATION_FAILED;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import ledger.audit.Ts6;
import ledger.domain.account.Account;
import ledger.domain.book.AccountState;
import ledger.domain.book.Book;
import ledger.domain.book.BookEntry;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.AccountCommands.UpdateAccount;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Invariants;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.ReverseTransfer;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountId;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.modelling.command.Aggregate;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.Repository;
import org.axonframework.modelling.command.AggregateScopeDescriptor;
import org.axonframework.modelling.command.ConcurrencyException;

/**
 * Moves money and changes accounts. A transfer or entry is one event of its {@link Transfer}
 * aggregate, whatever its legs; the accounts it moves are decided on and changed in the
 * {@link Book}, which records each account's next state beside the event in the same unit of work.
 * Every rule is checked on every leg before anything is applied, so a refusal changes nothing.
 * Every account a command touches is locked in the book first, all at once in one global order,
 * so concurrent commands cannot deadlock.
 */
public class LedgerCommandHandler {
    public static final String EXPIRY_DEADLINE = "pending-transfer-expiry";

    private final Repository<Account> accounts;
    private final Repository<Transfer> transfers;
    private final Book book;
    /** Holds whose expiry this node remembers, to cancel it when they end (ExpirySchedules). */
    public static final int EXPIRIES_REMEMBERED_MAX = 100_000;

    private final DeadlineManager deadlines;
    private final ExpirySchedules expiries;
    private final Predicate<String> streamExists;

    /**
     * @param streamExists  whether an aggregate has events, asked of the event store (e.g.
     *                      {@code id -> eventStore.lastSequenceNumberFor(id).isPresent()}): probing a
     *                      new transfer id through the repository would throw and log per transfer
     * @param expiryCancels where a posted or voided hold's expiry deadline is cancelled, after the
     *                      command's commit (a thread of its own: the cancel is a round trip to the
     *                      scheduler's table that no acknowledgement should wait for)
     */
    public LedgerCommandHandler(Repository<Account> accounts, Repository<Transfer> transfers, Book book,
                                DeadlineManager deadlines, Predicate<String> streamExists,
                                java.util.concurrent.Executor expiryCancels) {
        this.accounts = accounts;
        this.transfers = transfers;
        this.book = book;
        this.deadlines = deadlines;
        this.expiries = new ExpirySchedules(deadlines, expiryCancels, EXPIRIES_REMEMBERED_MAX);
        this.streamExists = streamExists;
    }

    /** Probes transfer ids through the repository and cancels expiries at once; for tests. */
    public LedgerCommandHandler(Repository<Account> accounts, Repository<Transfer> transfers, Book book,
                                DeadlineManager deadlines) {
        this(accounts, transfers, book, deadlines, null, Runnable::run);
    }

    /** How many holds' expiry deadlines this node would cancel when they end. */
    public int expiriesRemembered() {
        return expiries.size();
    }

    // ---------------------------------------------------------------- accounts

    @CommandHandler
    public AccountState handle(OpenAccount command) {
        book.lock(command.tenant(), List.of(command.accountId()));
        String aggregateId = command.aggregateId();
        if (book.find(command.tenant(), command.accountId()).isPresent()) {
            throw new LedgerRejection(DUPLICATE_ID, "account " + command.accountId() + " already exists");
        }
        requireValidMetadata(command.metadata());
        AccountOpened opened = new AccountOpened(command.tenant().value(), command.accountId().value(),
                command.currency().code(), command.currency().scale(), command.kind().name(),
                command.overdraftLimit().toWire(command.currency()));
        Aggregate<Account> account;
        try {
            account = accounts.newInstance(() -> new Account(aggregateId, opened));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("opening account " + command.accountId(), e);
        }
        if (!command.metadata().isEmpty()) {
            account.execute(a -> a.update(Map.copyOf(command.metadata()), null));
        }
        AccountState state = AccountState.opened(command.tenant().value(), command.accountId().value(),
                command.currency(), command.kind(), command.overdraftLimit());
        book.record(new BookEntry(state, BookEntry.OPENED, null, null, 0, now(),
                command.metadata().isEmpty() ? null : Map.copyOf(command.metadata())));
        return state;
    }

    @CommandHandler
    public AccountState handle(FreezeAccount command) {
        AccountState state = lockedAccount(command.tenant(), command.accountId());
        state.requireNotClosed();
        if (state.status() != AccountStatus.OPEN) {
            return state;
        }
        Aggregate<Account> account = accountAggregate(command.tenant(), command.accountId(), state);
        account.execute(a -> a.freeze(command.reason()));
        return record(state.withStatus(AccountStatus.FROZEN), BookEntry.FROZEN);
    }

    @CommandHandler
    public AccountState handle(UnfreezeAccount command) {
        AccountState state = lockedAccount(command.tenant(), command.accountId());
        state.requireNotClosed();
        if (state.status() != AccountStatus.FROZEN) {
            return state;
        }
        Aggregate<Account> account = accountAggregate(command.tenant(), command.accountId(), state);
        account.execute(Account::unfreeze);
        return record(state.withStatus(AccountStatus.OPEN), BookEntry.UNFROZEN);
    }

    /** Changes an account's metadata and/or overdraft limit: an event of the account and a new book state. */
    @CommandHandler
    public AccountState handle(UpdateAccount command) {
        if (command.metadata() == null && command.overdraftLimit() == null) {
            throw new LedgerRejection(VALIDATION_FAILED, "give metadata, overdraftLimit or both to change");
        }
        if (command.metadata() != null) {
            requireValidMetadata(command.metadata());
        }
        AccountState state = lockedAccount(command.tenant(), command.accountId());
        state.requireNotClosed();
        OverdraftLimit limit = command.overdraftLimit() == null ? state.overdraftLimit() : command.overdraftLimit();
        if (command.overdraftLimit() != null) {
            state.checkCanChangeLimit(limit);
        }
        Map<String, String> metadata = command.metadata() == null ? null : Map.copyOf(command.metadata());
        String limitWire = command.overdraftLimit() == null ? null : limit.toWire(state.currency());
        Aggregate<Account> account = accountAggregate(command.tenant(), command.accountId(), state);
        account.execute(a -> a.update(metadata, limitWire));
        AccountState next = state.withOverdraftLimit(limit);
        book.record(new BookEntry(next, BookEntry.UPDATED, null, null, 0, now(), metadata));
        return next;
    }

    @CommandHandler
    public AccountState handle(CloseAccount command) {
        AccountState state = lockedAccount(command.tenant(), command.accountId());
        state.checkCanClose();
        Aggregate<Account> account = accountAggregate(command.tenant(), command.accountId(), state);
        account.execute(Account::close);
        return record(state.withStatus(AccountStatus.CLOSED), BookEntry.CLOSED);
    }

    private AccountState lockedAccount(TenantId tenant, AccountId accountId) {
        book.lock(tenant, List.of(accountId));
        return book.find(tenant, accountId).orElseThrow(() ->
                new LedgerRejection(ACCOUNT_NOT_FOUND, "account " + accountId + " does not exist"));
    }

    /** The account's aggregate, whose status must agree with the book's (a pair assertion). */
    private Aggregate<Account> accountAggregate(TenantId tenant, AccountId accountId, AccountState state) {
        Aggregate<Account> account = accounts.load(AggregateIds.account(tenant, accountId));
        AccountStatus status = account.invoke(Account::status);
        Invariants.check(status == state.status(), "account " + accountId + " is " + status
                + " in its aggregate and " + state.status() + " in the book");
        return account;
    }

    private AccountState record(AccountState next, String type) {
        book.record(new BookEntry(next, type, null, null, 0, now()));
        return next;
    }

    // ---------------------------------------------------------------- transfers

    @CommandHandler
    public TransferSnapshot handle(CreateTransfer command) {
        requireValidMetadata(command.metadata());
        if (command.debitAccount().equals(command.creditAccount())) {
            throw new LedgerRejection(VALIDATION_FAILED, "debitAccount and creditAccount must differ");
        }
        requireValidAmount(command.amount());
        if (command.timeout() != null) {
            requireValidTimeout(command.pending(), command.timeout());
        }
        book.lock(command.tenant(), command.accounts());
        String aggregateId = AggregateIds.transfer(command.tenant(), command.transferId());
        requireNew(aggregateId, command.transferId());
        List<Posting> postings = List.of(
                new Posting(command.debitAccount(), Side.DEBIT, command.amount()),
                new Posting(command.creditAccount(), Side.CREDIT, command.amount()));
        Map<Posting, AccountState> checked = check(command.tenant(), postings);

        String transferId = command.transferId().value();
        String tenant = command.tenant().value();
        Aggregate<Transfer> transfer;
        if (command.pending()) {
            String expiresAt = command.timeout() == null ? null : Ts6.format(now().plus(command.timeout()));
            TransferPending pending = new TransferPending(tenant, transferId, command.debitAccount().value(),
                    command.creditAccount().value(), command.amount().toPlainString(),
                    command.amount().currency().code(), expiresAt, command.metadata());
            transfer = create(aggregateId, () -> new Transfer(aggregateId, pending));
            Instant at = transfer.invoke(Transfer::lastOccurredAt);
            checked.forEach((p, state) -> book.record(new BookEntry(state.reserved(p.side(), p.amount().minor()),
                    BookEntry.RESERVED, transferId, p.side(), p.amount().minor(), at)));
            if (expiresAt != null) {
                expiries.scheduled(aggregateId, deadlines.schedule(Ts6.parse(expiresAt), EXPIRY_DEADLINE,
                        new PendingExpiryDue(tenant, transferId),
                        new AggregateScopeDescriptor(AggregateIds.TRANSFER_TYPE, aggregateId)));
            }
        } else {
            TransferPosted posted = new TransferPosted(tenant, transferId, Transfer.KIND_TRANSFER,
                    legsOf(postings), command.metadata());
            transfer = create(aggregateId, () -> new Transfer(aggregateId, posted));
            recordPosted(transfer, checked);
        }
        return transfer.invoke(Transfer::snapshot);
    }

    /**
     * Creates linked transfers in order in this one unit of work; each runs exactly as
     * {@link #handle(CreateTransfer)} would, seeing what the earlier ones did (the book shows their
     * changes). A refusal is rethrown as a {@link ChainRejection} naming the transfer: the unit of
     * work rolls back and nothing of the chain is applied.
     */
    @CommandHandler
    public List<TransferSnapshot> handle(CreateTransferChain command) {
        List<CreateTransfer> chain = command.transfers();
        if (chain == null || chain.isEmpty() || chain.size() > TransferCommands.CHAIN_TRANSFERS_MAX) {
            throw new ChainRejection(0, VALIDATION_FAILED, "a linked chain has 1 to "
                    + TransferCommands.CHAIN_TRANSFERS_MAX + " transfers, not " + (chain == null ? 0 : chain.size()));
        }
        Set<TransferId> ids = new HashSet<>();
        for (int i = 0; i < chain.size(); i++) {
            CreateTransfer transfer = chain.get(i);
            if (transfer == null || !command.tenant().equals(transfer.tenant())) {
                throw new ChainRejection(i, VALIDATION_FAILED, "every transfer of a chain belongs to its tenant");
            }
            if (!ids.add(transfer.transferId())) {
                throw new ChainRejection(i, DUPLICATE_ID, "transfer " + transfer.transferId()
                        + " appears twice in the chain");
            }
        }
        book.lock(command.tenant(), command.accounts());
        List<TransferSnapshot> created = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            try {
                created.add(handle(chain.get(i)));
            } catch (LedgerRejection refused) {
                throw new ChainRejection(i, refused.code(), refused.getMessage());
            }
        }
        return created;
    }

    /**
     * A linked chain was refused because of its transfer at {@link #index()} (0-based): its own
     * code and detail; nothing of the chain was applied. The detail starts with
     * {@code "transfers[<index>]: "} so the index survives a remote hop that keeps only the message.
     */
    public static final class ChainRejection extends LedgerRejection {
        public static final String DETAIL_PREFIX = "transfers[";
        private final int index;

        public ChainRejection(int index, RejectionCode code, String detail) {
            super(code, DETAIL_PREFIX + index + "]: " + detail);
            this.index = index;
        }

        public int index() {
            return index;
        }

        /** The refusal's own detail, without the index prefix. */
        public String detail() {
            String message = getMessage();
            int end = message.indexOf("]: ");
            return message.startsWith(DETAIL_PREFIX) && end > 0 ? message.substring(end + 3) : message;
        }
    }

    @CommandHandler
    public TransferSnapshot handle(PostEntry command) {
        requireValidMetadata(command.metadata());
        List<EntryLeg> legs = command.legs();
        if (legs == null || legs.size() < 2 || legs.size() > TransferCommands.LEGS_MAX) {
            throw new LedgerRejection(VALIDATION_FAILED, "an entry has 2 to " + TransferCommands.LEGS_MAX + " legs, not "
                    + (legs == null ? 0 : legs.size()));
        }
        requireDistinctAccounts(legs.stream().map(EntryLeg::accountId).toList());
        book.lock(command.tenant(), command.accounts());
        String aggregateId = AggregateIds.transfer(command.tenant(), command.transferId());
        requireNew(aggregateId, command.transferId());
        // Each amount is read in its account's currency, so the accounts are read first.
        Map<AccountId, AccountState> byId = new HashMap<>();
        for (EntryLeg leg : legs) {
            byId.put(leg.accountId(), account(command.tenant(), leg.accountId()));
        }
        List<Posting> postings = legs.stream().map(l -> new Posting(l.accountId(), l.side(), Money.parsePositive(
                l.amount(), byId.get(l.accountId()).currency()))).toList();
        requireBalanced(postings);
        Map<Posting, AccountState> checked = check(command.tenant(), postings);

        String tenant = command.tenant().value();
        String transferId = command.transferId().value();
        TransferPosted posted = new TransferPosted(tenant, transferId, Transfer.KIND_ENTRY, legsOf(postings),
                command.metadata());
        Aggregate<Transfer> transfer = create(aggregateId, () -> new Transfer(aggregateId, posted));
        recordPosted(transfer, checked);
        return transfer.invoke(Transfer::snapshot);
    }

    @CommandHandler
    public TransferSnapshot handle(PostPendingTransfer command) {
        Aggregate<Transfer> transfer = loadPending(command.tenant(), command.transferId());
        if (transfer.invoke(t -> t.isExpiredAt(now()))) {
            throw new LedgerRejection(TRANSFER_EXPIRED, "pending transfer " + command.transferId() + " has expired");
        }
        Leg debit = transfer.invoke(t -> t.leg(Side.DEBIT));
        CurrencyCode currency = new CurrencyCode(debit.currency(), new BigDecimal(debit.amount()).scale());
        long reserved = Money.minorOf(debit.amount());
        long posted = reserved;
        if (command.amount() != null) {
            posted = Money.parsePositive(command.amount(), currency).minor();
            if (posted > reserved) {
                throw new LedgerRejection(AMOUNT_INVALID, "cannot post " + command.amount() + ": the pending amount is "
                        + debit.amount() + " " + currency.code());
            }
        }
        Map<Side, AccountState> both = lockedLegs(command.tenant(), transfer);
        both.values().forEach(AccountState::checkCanPostReservation);
        String postedText = Money.format(posted, currency.scale());
        transfer.execute(t -> t.markPosted(debit.amount(), postedText, currency.code()));
        releaseOrPost(transfer, both, BookEntry.PENDING_POSTED, reserved, posted);
        expiries.ended(transfer.identifierAsString());
        return transfer.invoke(Transfer::snapshot);
    }

    @CommandHandler
    public TransferSnapshot handle(VoidPendingTransfer command) {
        Aggregate<Transfer> transfer = loadPending(command.tenant(), command.transferId());
        Map<Side, AccountState> both = lockedLegs(command.tenant(), transfer);
        transfer.execute(Transfer::markVoided);
        long reserved = Money.minorOf(transfer.invoke(t -> t.leg(Side.DEBIT)).amount());
        releaseOrPost(transfer, both, BookEntry.VOIDED, reserved, 0);
        expiries.ended(transfer.identifierAsString());
        return transfer.invoke(Transfer::snapshot);
    }

    /**
     * Reverses a posted transfer or entry (docs/reversals.md): a new transfer with the original's legs,
     * sides swapped, for what is asked (a two-leg transfer: up to what is left to reverse; an entry: all
     * of it, once), recorded on the original too. Both events are in this one unit of work, and the
     * original's next sequence number admits one writer: two reversals at once cannot both take what
     * is left (the second fails as a conflict, runs again and sees the first).
     */
    @CommandHandler
    public TransferSnapshot handle(ReverseTransfer command) {
        book.lock(command.tenant(), command.accounts());
        Aggregate<Transfer> original = loadTransfer(command.tenant(), command.transferId());
        TransferSnapshot was = original.invoke(Transfer::snapshot);
        requireReversible(was);
        boolean entry = !Transfer.KIND_TRANSFER.equals(was.kind());
        String amountText = null;
        String currencyCode = null;
        List<Posting> postings;
        if (entry) {
            if (command.amount() != null) {
                throw new LedgerRejection(AMOUNT_INVALID, "entry " + was.transferId()
                        + " is reversed in full only: leave amount out");
            }
            postings = was.legs().stream().map(l -> new Posting(AccountId.of(l.accountId()), Side.parse(l.side())
                    .opposite(), new Money(Money.minorOf(l.amount()), currencyOf(l)))).toList();
        } else {
            Leg debit = was.leg(Side.DEBIT);
            CurrencyCode currency = currencyOf(debit);
            long left = was.movedMinor() - was.reversedMinor();
            long minor = left;
            if (command.amount() != null) {
                minor = Money.parsePositive(command.amount(), currency).minor();
                if (minor > left) {
                    throw new LedgerRejection(AMOUNT_INVALID, "cannot reverse " + command.amount() + " "
                            + currency.code() + " of transfer " + was.transferId() + ": "
                            + Money.format(left, currency.scale()) + " is left to reverse");
                }
            }
            Money amount = new Money(minor, currency);
            amountText = amount.toPlainString();
            currencyCode = currency.code();
            postings = List.of(
                    new Posting(AccountId.of(was.leg(Side.CREDIT).accountId()), Side.DEBIT, amount),
                    new Posting(AccountId.of(debit.accountId()), Side.CREDIT, amount));
        }
        TransferId reversalId = command.reversalId() != null ? command.reversalId()
                : reversalIdOf(was, was.reversals().size() + 1);
        // held already when the sender named them (legs never change); else locked now
        book.lock(command.tenant(), postings.stream().map(Posting::account).toList());
        String aggregateId = AggregateIds.transfer(command.tenant(), reversalId);
        if (command.reversalId() == null) {
            requireNewReversal(aggregateId, reversalId, was);
        } else {
            requireNew(aggregateId, reversalId);
        }
        Map<Posting, AccountState> checked = check(command.tenant(), postings);

        String reversedAmount = amountText;
        String reversedCurrency = currencyCode;
        original.execute(t -> t.markReversed(reversalId.value(), reversedAmount, reversedCurrency));
        ReversalPosted posted = new ReversalPosted(command.tenant().value(), reversalId.value(), was.transferId(),
                legsOf(postings));
        Aggregate<Transfer> reversal = create(aggregateId, () -> new Transfer(aggregateId, posted));
        recordPosted(reversal, checked);
        return reversal.invoke(Transfer::snapshot);
    }

    /**
     * A derived reversal id must be new. If another reversal of the same transfer took it, this command
     * read the transfer before that one committed (its accounts are locked only now): a conflict, so it
     * runs again on the transfer as it is now. If anything else has the id, it is taken for good.
     */
    private void requireNewReversal(String aggregateId, TransferId reversalId, TransferSnapshot original) {
        boolean exists = streamExists != null ? streamExists.test(aggregateId) : find(transfers, aggregateId).isPresent();
        if (!exists) {
            return;
        }
        Optional<Aggregate<Transfer>> taken = find(transfers, aggregateId);
        if (taken.isPresent() && original.transferId().equals(taken.get().invoke(Transfer::snapshot).reversalOf())) {
            throw new ConcurrencyException("transfer " + original.transferId() + " was reversed by " + reversalId
                    + " since it was read");
        }
        throw new LedgerRejection(DUPLICATE_ID, "the reversal's id " + reversalId + " is taken by another transfer:"
                + " give the reversal an id");
    }

    /** The id of a transfer's n-th reversal when the request names none: {@code <id>.r<n>}, if that is a valid id. */
    static TransferId reversalIdOf(TransferSnapshot original, int n) {
        String id = original.transferId() + ".r" + n;
        if (id.length() > TransferId.LENGTH_MAX) {
            throw new LedgerRejection(VALIDATION_FAILED, "the reversal of " + original.transferId()
                    + " would be " + id + ", longer than an id may be: give the reversal an id");
        }
        return TransferId.of(id);
    }

    private static void requireReversible(TransferSnapshot was) {
        String id = was.transferId();
        if (was.reversalOf() != null) {
            throw new LedgerRejection(TRANSFER_NOT_REVERSIBLE, "transfer " + id + " is a reversal of "
                    + was.reversalOf() + "; post a new transfer to move the money again");
        }
        switch (was.status()) {
            case PENDING -> throw new LedgerRejection(TRANSFER_NOT_REVERSIBLE, "transfer " + id + " is pending:"
                    + " void it to release the reservation (POST /v1/transfers/" + id + "/void), or post it and"
                    + " reverse what was posted");
            case VOIDED, EXPIRED -> throw new LedgerRejection(TRANSFER_NOT_REVERSIBLE, "transfer " + id + " is "
                    + was.status().name().toLowerCase() + ": it moved nothing to reverse");
            case POSTED -> {
                boolean entry = !Transfer.KIND_TRANSFER.equals(was.kind());
                if (entry ? !was.reversals().isEmpty() : was.reversedMinor() >= was.movedMinor()) {
                    throw new LedgerRejection(TRANSFER_NOT_REVERSIBLE, "transfer " + id
                            + " is reversed in full already");
                }
            }
        }
    }

    private static CurrencyCode currencyOf(Leg leg) {
        return new CurrencyCode(leg.currency(), new BigDecimal(leg.amount()).scale());
    }

    /** Expires a pending transfer: called by its deadline, inside the deadline's unit of work. */
    public void expire(String tenant, String transferId) {
        TenantId tenantId = TenantId.of(tenant);
        Aggregate<Transfer> transfer = loadPending(tenantId, TransferId.of(transferId));
        Map<Side, AccountState> both = lockedLegs(tenantId, transfer);
        transfer.execute(Transfer::markExpired);
        long reserved = Money.minorOf(transfer.invoke(t -> t.leg(Side.DEBIT)).amount());
        releaseOrPost(transfer, both, BookEntry.EXPIRED, reserved, 0);
        expiries.expired(transfer.identifierAsString());
    }

    // ---- helpers ----

    private record Posting(AccountId account, Side side, Money amount) {
    }

    private static Aggregate<Transfer> create(String aggregateId, java.util.concurrent.Callable<Transfer> factory,
                                              Repository<Transfer> transfers) {
        try {
            return transfers.newInstance(factory);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("creating transfer " + aggregateId, e);
        }
    }

    private Aggregate<Transfer> create(String aggregateId, java.util.concurrent.Callable<Transfer> factory) {
        return create(aggregateId, factory, transfers);
    }

    private void recordPosted(Aggregate<Transfer> transfer, Map<Posting, AccountState> checked) {
        Instant at = transfer.invoke(Transfer::lastOccurredAt);
        String transferId = transfer.invoke(Transfer::snapshot).transferId();
        checked.forEach((p, state) -> book.record(new BookEntry(state.posted(p.side(), p.amount().minor()),
                BookEntry.POSTED, transferId, p.side(), p.amount().minor(), at)));
    }

    /** The accounts of a pending transfer's two legs, locked and read. */
    private Map<Side, AccountState> lockedLegs(TenantId tenant, Aggregate<Transfer> transfer) {
        AccountId debit = AccountId.of(transfer.invoke(t -> t.leg(Side.DEBIT)).accountId());
        AccountId credit = AccountId.of(transfer.invoke(t -> t.leg(Side.CREDIT)).accountId());
        book.lock(tenant, List.of(debit, credit));
        Map<Side, AccountState> both = new TreeMap<>();
        both.put(Side.DEBIT, account(tenant, debit));
        both.put(Side.CREDIT, account(tenant, credit));
        // The transfer was read before its accounts were locked: if another writer (a thread of this JVM or
        // another node) posted, voided or expired it meanwhile, or this node's state of an account is older
        // than the reservation (a cache on several nodes), the accounts do not hold it. Nothing is wrong with
        // the request: fail as a conflict, so it runs again and finds the transfer posted or voided.
        long reserved = Money.minorOf(transfer.invoke(t -> t.leg(Side.DEBIT)).amount());
        both.forEach((side, state) -> {
            if ((side == Side.DEBIT ? state.debitsPending() : state.creditsPending()) < reserved) {
                throw new ConcurrencyException("the reservation of " + transfer.identifierAsString()
                        + " on account " + state.accountId() + " was ended by another writer or is not known here yet");
            }
        });
        return both;
    }

    /** Ends the reservation on both legs: {@code posted} of {@code reserved} is posted, the rest released. */
    private void releaseOrPost(Aggregate<Transfer> transfer, Map<Side, AccountState> both, String type,
                               long reserved, long posted) {
        Instant at = transfer.invoke(Transfer::lastOccurredAt);
        String transferId = transfer.invoke(Transfer::snapshot).transferId();
        long amount = BookEntry.PENDING_POSTED.equals(type) ? posted : reserved;
        both.forEach((side, state) -> book.record(new BookEntry(state.reservationEnded(side, reserved, posted), type,
                transferId, side, amount, at)));
    }

    private Aggregate<Transfer> loadTransfer(TenantId tenant, TransferId transferId) {
        try {
            return transfers.load(AggregateIds.transfer(tenant, transferId));
        } catch (AggregateNotFoundException e) {
            throw new LedgerRejection(TRANSFER_NOT_FOUND, "transfer " + transferId + " does not exist");
        }
    }

    private Aggregate<Transfer> loadPending(TenantId tenant, TransferId transferId) {
        Aggregate<Transfer> transfer = loadTransfer(tenant, transferId);
        TransferStatus status = transfer.invoke(Transfer::status);
        if (status != TransferStatus.PENDING) {
            throw new LedgerRejection(TRANSFER_NOT_PENDING, "transfer " + transferId + " is "
                    + status.name().toLowerCase() + ", not pending");
        }
        return transfer;
    }

    private void requireNew(String aggregateId, TransferId transferId) {
        boolean exists = streamExists != null ? streamExists.test(aggregateId) : find(transfers, aggregateId).isPresent();
        if (exists) {
            throw new LedgerRejection(DUPLICATE_ID, "transfer " + transferId + " already exists");
        }
    }

    /** Reads every posting's account and checks the posting against it, before anything is applied. */
    private Map<Posting, AccountState> check(TenantId tenant, List<Posting> postings) {
        requireDistinctAccounts(postings.stream().map(Posting::account).toList());
        Map<Posting, AccountState> checked = new LinkedHashMap<>();
        for (Posting posting : postings) {
            AccountState state = account(tenant, posting.account());
            try {
                state.checkNewMovement(posting.side(), posting.amount());
            } catch (LedgerRejection refusal) {
                // A refusal writes nothing, so no version key would find a stale (cached) state out:
                // decide again on the stored state.
                AccountState stored = book.findStored(tenant, posting.account()).orElseThrow(() -> refusal);
                if (stored.version() == state.version()) {
                    throw withFreezeReason(tenant, posting.account(), refusal);
                }
                try {
                    stored.checkNewMovement(posting.side(), posting.amount());
                } catch (LedgerRejection again) {
                    throw withFreezeReason(tenant, posting.account(), again);
                }
                state = stored;
            }
            checked.put(posting, state);
        }
        return checked;
    }

    /**
     * A refusal because the account is frozen names why (e.g. the reconciliation break that froze it,
     * docs/reconciliation.md): the reason is the account aggregate's, read only on this refusal path,
     * so a posting that passes costs nothing more.
     */
    private LedgerRejection withFreezeReason(TenantId tenant, AccountId accountId, LedgerRejection refusal) {
        if (refusal.code() != RejectionCode.ACCOUNT_FROZEN) {
            return refusal;
        }
        String reason = accounts.load(AggregateIds.account(tenant, accountId)).invoke(Account::frozenReason);
        return reason == null || reason.isBlank() ? refusal
                : new LedgerRejection(RejectionCode.ACCOUNT_FROZEN, refusal.getMessage() + " (" + reason + ")");
    }

    private AccountState account(TenantId tenant, AccountId accountId) {
        return book.find(tenant, accountId).orElseThrow(() ->
                new LedgerRejection(ACCOUNT_NOT_FOUND, "account " + accountId + " does not exist"));
    }

    private static <T> Optional<Aggregate<T>> find(Repository<T> repository, String aggregateId) {
        try {
            return Optional.of(repository.load(aggregateId));
        } catch (AggregateNotFoundException e) {
            return Optional.empty();
        }
    }

    private static List<Leg> legsOf(List<Posting> postings) {
        return postings.stream().map(p -> new Leg(p.account().value(), p.side().wire(), p.amount().toPlainString(),
                p.amount().currency().code())).toList();
    }

    private static void requireDistinctAccounts(List<AccountId> accounts) {
        Set<AccountId> seen = new HashSet<>();
        for (AccountId account : accounts) {
            if (!seen.add(account)) {
                throw new LedgerRejection(VALIDATION_FAILED, "account " + account + " appears in more than one leg");
            }
        }
    }

    private static void requireBalanced(List<Posting> postings) {
        Map<CurrencyCode, Long> netByCurrency = new TreeMap<>(Comparator.comparing(CurrencyCode::code));
        for (Posting posting : postings) {
            long signed = posting.side() == Side.DEBIT ? posting.amount().minor() : -posting.amount().minor();
            netByCurrency.merge(posting.amount().currency(), signed, Math::addExact);
        }
        netByCurrency.forEach((currency, net) -> {
            if (net != 0) {
                throw new LedgerRejection(UNBALANCED_ENTRY, "debits and credits in " + currency.code() + " differ by "
                        + Money.format(Math.abs(net), currency.scale()));
            }
        });
    }

    /**
     * A command's {@link Money} may come from anywhere, not only {@link Money#parsePositive}: a zero or
     * negative amount would turn a posting around and pass the overdraft check of the other side.
     */
    private static void requireValidAmount(Money amount) {
        if (amount == null) {
            throw new LedgerRejection(AMOUNT_INVALID, "amount is missing");
        }
        if (amount.minor() <= 0 || amount.minor() > Money.AMOUNT_MINOR_MAX) {
            throw new LedgerRejection(AMOUNT_INVALID, "amount must be greater than zero and at most "
                    + Money.format(Money.AMOUNT_MINOR_MAX, amount.currency().scale()) + " "
                    + amount.currency().code() + ": " + amount.toPlainString());
        }
    }

    private static void requireValidTimeout(boolean pending, Duration timeout) {
        TransferCommands.timeout(pending, timeout.getSeconds() + (timeout.getNano() > 0 ? 1 : 0));
    }

    private static void requireValidMetadata(Map<String, String> metadata) {
        if (metadata == null) {
            throw new LedgerRejection(VALIDATION_FAILED, "metadata must be an object (possibly empty)");
        }
        if (metadata.size() > TransferCommands.METADATA_ENTRIES_MAX) {
            throw new LedgerRejection(VALIDATION_FAILED, "metadata has at most " + TransferCommands.METADATA_ENTRIES_MAX
                    + " entries");
        }
        metadata.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > TransferCommands.METADATA_KEY_LENGTH_MAX) {
                throw new LedgerRejection(VALIDATION_FAILED, "metadata keys have 1 to "
                        + TransferCommands.METADATA_KEY_LENGTH_MAX + " characters");
            }
            if (value == null || value.length() > TransferCommands.METADATA_VALUE_LENGTH_MAX) {
                throw new LedgerRejection(VALIDATION_FAILED, "metadata values are strings of at most "
                        + TransferCommands.METADATA_VALUE_LENGTH_MAX + " characters");
            }
        });
    }

    private static Instant now() {
        return GenericEventMessage.clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
