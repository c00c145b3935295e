package ledger.domain.transfer;

import static ledger.domain.model.RejectionCode.ACCOUNT_NOT_FOUND;
import static ledger.domain.model.RejectionCode.AMOUNT_INVALID;
import static ledger.domain.model.RejectionCode.DUPLICATE_ID;
import static ledger.domain.model.RejectionCode.TRANSFER_EXPIRED;
import static ledger.domain.model.RejectionCode.TRANSFER_NOT_FOUND;
import static ledger.domain.model.RejectionCode.TRANSFER_NOT_PENDING;
import static ledger.domain.model.RejectionCode.UNBALANCED_ENTRY;
import static ledger.domain.model.RejectionCode.VALIDATION_FAILED;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import ledger.audit.Ts6;
import ledger.domain.account.Account;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
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

/**
 * Moves money: changes a transfer and every account it touches in one unit of work, so all legs
 * are applied or none is. Every rule is checked on every leg before anything is applied.
 * Aggregates are always locked in the same order (the transfer, then accounts sorted by id), so
 * concurrent entries on the same accounts cannot deadlock.
 */
public class LedgerCommandHandler {
    public static final String EXPIRY_DEADLINE = "pending-transfer-expiry";

    private final Repository<Account> accounts;
    private final Repository<Transfer> transfers;
    private final DeadlineManager deadlines;
    private final Predicate<String> streamExists;

    /**
     * @param streamExists whether an aggregate has events, asked of the event store (e.g.
     *                     {@code id -> eventStore.lastSequenceNumberFor(id).isPresent()}): probing a
     *                     new transfer id through the repository would throw and log per transfer
     */
    public LedgerCommandHandler(Repository<Account> accounts, Repository<Transfer> transfers,
                                DeadlineManager deadlines, Predicate<String> streamExists) {
        this.accounts = accounts;
        this.transfers = transfers;
        this.deadlines = deadlines;
        this.streamExists = streamExists;
    }

    /** Probes transfer ids through the repository; for tests whose event store is not at hand. */
    public LedgerCommandHandler(Repository<Account> accounts, Repository<Transfer> transfers,
                                DeadlineManager deadlines) {
        this(accounts, transfers, deadlines, null);
    }

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
        String aggregateId = AggregateIds.transfer(command.tenant(), command.transferId());
        requireNew(aggregateId, command.transferId());
        List<Posting> postings = List.of(
                new Posting(command.debitAccount(), Side.DEBIT, command.amount()),
                new Posting(command.creditAccount(), Side.CREDIT, command.amount()));
        Map<Posting, Aggregate<Account>> loaded = loadAndCheck(command.tenant(), postings);

        String transferId = command.transferId().value();
        String tenant = command.tenant().value();
        Aggregate<Transfer> transfer;
        try {
            if (command.pending()) {
                String expiresAt = command.timeout() == null ? null : Ts6.format(now().plus(command.timeout()));
                TransferPending pending = new TransferPending(tenant, transferId, command.debitAccount().value(),
                        command.creditAccount().value(), command.amount().toPlainString(),
                        command.amount().currency().code(), expiresAt, command.metadata());
                transfer = transfers.newInstance(() -> new Transfer(aggregateId, pending));
                loaded.forEach((p, account) -> account.execute(a -> a.reserve(transferId, p.side(), p.amount())));
                if (expiresAt != null) {
                    deadlines.schedule(Ts6.parse(expiresAt), EXPIRY_DEADLINE, new PendingExpiryDue(tenant, transferId),
                            new AggregateScopeDescriptor(AggregateIds.TRANSFER_TYPE, aggregateId));
                }
            } else {
                TransferPosted posted = new TransferPosted(tenant, transferId, Transfer.KIND_TRANSFER,
                        legsOf(postings), command.metadata());
                transfer = transfers.newInstance(() -> new Transfer(aggregateId, posted));
                loaded.forEach((p, account) -> account.execute(a -> a.post(transferId, p.side(), p.amount())));
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("creating transfer " + transferId, e);
        }
        return transfer.invoke(Transfer::snapshot);
    }

    /**
     * Creates linked transfers in order in this one unit of work. Every account of the chain is
     * loaded (locked) first, in lock order, so a chain cannot deadlock with other commands; then
     * each transfer runs exactly as {@link #handle(CreateTransfer)} would, seeing what the earlier
     * ones did. A refusal is rethrown as a {@link ChainRejection} naming the transfer: the unit of
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
        Set<String> accountIds = new TreeSet<>();
        for (int i = 0; i < chain.size(); i++) {
            CreateTransfer transfer = chain.get(i);
            if (transfer == null || !command.tenant().equals(transfer.tenant())) {
                throw new ChainRejection(i, VALIDATION_FAILED, "every transfer of a chain belongs to its tenant");
            }
            if (!ids.add(transfer.transferId())) {
                throw new ChainRejection(i, DUPLICATE_ID, "transfer " + transfer.transferId()
                        + " appears twice in the chain");
            }
            accountIds.add(AggregateIds.account(command.tenant(), transfer.debitAccount()));
            accountIds.add(AggregateIds.account(command.tenant(), transfer.creditAccount()));
        }
        // a missing account is refused (account_not_found) by the transfer naming it
        accountIds.forEach(id -> find(accounts, id));
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
        String aggregateId = AggregateIds.transfer(command.tenant(), command.transferId());
        requireNew(aggregateId, command.transferId());
        // Each amount is read in its account's currency, so the accounts are loaded first (in lock order).
        Map<AccountId, Aggregate<Account>> accountsById = new LinkedHashMap<>();
        for (AccountId id : legs.stream().map(EntryLeg::accountId)
                .sorted(Comparator.comparing(a -> AggregateIds.account(command.tenant(), a))).toList()) {
            accountsById.put(id, loadAccount(command.tenant(), id.value()));
        }
        List<Posting> postings = legs.stream().map(l -> new Posting(l.accountId(), l.side(), Money.parsePositive(
                l.amount(), accountsById.get(l.accountId()).invoke(Account::currency)))).toList();
        requireBalanced(postings);
        Map<Posting, Aggregate<Account>> loaded = loadAndCheck(command.tenant(), postings);

        String tenant = command.tenant().value();
        String transferId = command.transferId().value();
        TransferPosted posted = new TransferPosted(tenant, transferId, Transfer.KIND_ENTRY, legsOf(postings),
                command.metadata());
        Aggregate<Transfer> transfer;
        try {
            transfer = transfers.newInstance(() -> new Transfer(aggregateId, posted));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("creating entry " + transferId, e);
        }
        loaded.forEach((p, account) -> account.execute(a -> a.post(transferId, p.side(), p.amount())));
        return transfer.invoke(Transfer::snapshot);
    }

    @CommandHandler
    public TransferSnapshot handle(PostPendingTransfer command) {
        Aggregate<Transfer> transfer = loadPending(command.tenant(), command.transferId());
        if (transfer.invoke(t -> t.isExpiredAt(now()))) {
            throw new LedgerRejection(TRANSFER_EXPIRED, "pending transfer " + command.transferId() + " has expired");
        }
        Leg debit = transfer.invoke(t -> t.leg(Side.DEBIT));
        Leg credit = transfer.invoke(t -> t.leg(Side.CREDIT));
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
        List<Aggregate<Account>> both = loadSorted(command.tenant(), List.of(debit.accountId(), credit.accountId()));
        both.forEach(account -> account.invoke(a -> {
            a.checkCanPostReservation();
            return null;
        }));
        String transferId = command.transferId().value();
        String postedText = Money.format(posted, currency.scale());
        transfer.execute(t -> t.markPosted(postedText, currency.code()));
        long postedMinor = posted;
        both.forEach(account -> account.execute(a -> a.postReservation(transferId, postedMinor)));
        return transfer.invoke(Transfer::snapshot);
    }

    @CommandHandler
    public TransferSnapshot handle(VoidPendingTransfer command) {
        Aggregate<Transfer> transfer = loadPending(command.tenant(), command.transferId());
        transfer.execute(Transfer::markVoided);
        release(command.tenant(), transfer, "voided");
        return transfer.invoke(Transfer::snapshot);
    }

    /** Expires a pending transfer: called by its deadline, inside the deadline's unit of work. */
    public void expire(String tenant, String transferId) {
        TenantId tenantId = TenantId.of(tenant);
        Aggregate<Transfer> transfer = loadPending(tenantId, TransferId.of(transferId));
        transfer.execute(Transfer::markExpired);
        release(tenantId, transfer, "expired");
    }

    // ---- helpers ----

    private record Posting(AccountId account, Side side, Money amount) {
    }

    private void release(TenantId tenant, Aggregate<Transfer> transfer, String reason) {
        Leg debit = transfer.invoke(t -> t.leg(Side.DEBIT));
        Leg credit = transfer.invoke(t -> t.leg(Side.CREDIT));
        String transferId = transfer.invoke(t -> t.snapshot().transferId());
        loadSorted(tenant, List.of(debit.accountId(), credit.accountId()))
                .forEach(account -> account.execute(a -> a.releaseReservation(transferId, reason)));
    }

    private Aggregate<Transfer> loadPending(TenantId tenant, TransferId transferId) {
        Aggregate<Transfer> transfer;
        try {
            transfer = transfers.load(AggregateIds.transfer(tenant, transferId));
        } catch (AggregateNotFoundException e) {
            throw new LedgerRejection(TRANSFER_NOT_FOUND, "transfer " + transferId + " does not exist");
        }
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

    /** Loads the accounts in lock order and checks every posting before anything is applied. */
    private Map<Posting, Aggregate<Account>> loadAndCheck(TenantId tenant, List<Posting> postings) {
        requireDistinctAccounts(postings.stream().map(Posting::account).toList());
        List<Posting> inLockOrder = new ArrayList<>(postings);
        inLockOrder.sort(Comparator.comparing(p -> AggregateIds.account(tenant, p.account())));
        Map<Posting, Aggregate<Account>> loaded = new LinkedHashMap<>();
        for (Posting posting : inLockOrder) {
            Aggregate<Account> account = loadAccount(tenant, posting.account().value());
            account.invoke(a -> {
                a.checkNewMovement(posting.side(), posting.amount());
                return null;
            });
            loaded.put(posting, account);
        }
        return loaded;
    }

    private List<Aggregate<Account>> loadSorted(TenantId tenant, List<String> accountIds) {
        return accountIds.stream().sorted(Comparator.comparing(id -> AggregateIds.account(tenant, AccountId.of(id))))
                .map(id -> loadAccount(tenant, id)).toList();
    }

    private Aggregate<Account> loadAccount(TenantId tenant, String accountId) {
        return find(accounts, AggregateIds.account(tenant, AccountId.of(accountId)))
                .orElseThrow(() -> new LedgerRejection(ACCOUNT_NOT_FOUND, "account " + accountId + " does not exist"));
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
        if (!pending) {
            throw new LedgerRejection(VALIDATION_FAILED, "timeoutSeconds is only allowed on a pending transfer");
        }
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(TransferCommands.PENDING_TIMEOUT_MAX) > 0) {
            throw new LedgerRejection(VALIDATION_FAILED, "timeoutSeconds must be between 1 and "
                    + TransferCommands.PENDING_TIMEOUT_MAX.toSeconds());
        }
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
