package ledger.domain;

import static ledger.domain.Seeded.between;
import static ledger.domain.Seeded.oneOf;
import static ledger.domain.Seeded.weighted;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import ledger.audit.Ts6;
import ledger.domain.LedgerModel.Leg;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.book.ScopedBook.Key;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TransferId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.ChainCheck;
import ledger.domain.transfer.LedgerCommandHandler.ChainRejection;
import ledger.domain.transfer.TransferSnapshot;
import ledger.domain.transfer.TransferStatus;
import org.axonframework.eventhandling.DomainEventMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Random sessions against the whole domain (accounts, transfers, multi-leg and multi-currency
 * entries, linked chains, holds posted in full or in part, voided or expired, freezes, closes, late
 * deadlines, and group-commit batches of commands sharing one unit of work), many of them
 * rejected. Each command's outcome is checked against {@link LedgerModel}: an accepted one appends
 * exactly one event per change and one book entry per account it changes; a rejected one changes
 * nothing, neither events nor book. After each session the ledger's invariants are checked from
 * the book and the stored events alone, and the book must follow from the events
 * ({@link BookFromEvents}). Seeds, failures and replays as {@link Seeded} explains: a failure
 * prints its seed and its whole session, and {@code -Dledger.seed=<seed> -Dledger.tries=1} replays
 * that one session.
 */
class LedgerProperties {
    private static final CurrencyCode USD = Commands.USD;
    private static final CurrencyCode JPY = Commands.JPY;
    private static final CurrencyCode BHD = Commands.BHD;
    private static final List<CurrencyCode> CURRENCIES = List.of(USD, JPY, BHD);
    private static final List<String> SOURCES = List.of("src-usd", "src-jpy", "src-bhd");
    private static final List<String> FLOATS = List.of("float-usd", "float-jpy", "float-bhd");
    private static final OverdraftLimit FLOAT_LIMIT = new OverdraftLimit(false, 10_000);
    private static final String GHOST = "ghost";
    private static final int TRIES = 100;
    private static final int TRIES_WITHOUT_CACHE = 25;
    private static final int SESSION_SIZE_MAX = 40;
    /**
     * Committed states the book keeps in memory: fewer than one session's accounts, so it reloads
     * and trims all the time (and a stale cached state would show).
     */
    private static final int SMALL_CACHE = 8;
    /** Shares of all actions that must be accepted, so that the invariants are not checked on nothing. */
    private static final double COVERAGE_MOVE = 8;
    private static final double COVERAGE_ENTRY = 2;
    private static final double COVERAGE_POST = 0.8;
    private static final double COVERAGE_CHAIN = 1;

    private LedgerHarness ledger;
    private LedgerModel model;
    private Commands tenant;
    private String tenantId;
    private long firstEvent;
    private int tries;
    private int transferCounter;
    /** Inside a batch: what its accepted commands must write when it commits; null outside. */
    private Batching batching;
    /** Outcomes of all actions of a run ({@code Kind:accepted}, {@code Kind:CODE}, ...). */
    private Tally outcomes;
    /** What accepted commands looked like. */
    private Tally shapes;

    private void startLedger(int cacheMax) {
        ledger = LedgerHarness.withCache(cacheMax);
        outcomes = new Tally("outcomes");
        shapes = new Tally("shapes");
        tries = 0;
    }

    @AfterEach
    void stopLedger() {
        if (ledger != null) {
            ledger.close();
        }
    }

    /** Each try is a fresh tenant with, per currency, an unlimited equity source and an asset with a limit. */
    private void startSession() {
        tenantId = "p" + tries++;
        tenant = Commands.forTenant(tenantId);
        model = new LedgerModel();
        transferCounter = 0;
        firstEvent = ledger.eventCount();
        for (int i = 0; i < SOURCES.size(); i++) {
            ledger.send(tenant.openSource(SOURCES.get(i), CURRENCIES.get(i)));
            model.open(SOURCES.get(i), CURRENCIES.get(i), AccountKind.EQUITY, OverdraftLimit.unlimitedLimit());
            ledger.send(tenant.open(FLOATS.get(i), CURRENCIES.get(i), AccountKind.ASSET, FLOAT_LIMIT));
            model.open(FLOATS.get(i), CURRENCIES.get(i), AccountKind.ASSET, FLOAT_LIMIT);
        }
    }

    /** Fires the session's remaining deadlines, so that they cannot add events to the next session. */
    private void endSession() {
        ledger.advanceTime(Duration.ofDays(1));
    }

    @Test
    void everySessionKeepsTheLedgersInvariants() {
        startLedger(SMALL_CACHE);
        int ran = Seeded.forAll("every session keeps the ledger's invariants", TRIES, LedgerProperties::session,
                Seeded::numbered, this::checkSession);

        System.out.print(outcomes.report() + shapes.report());
        if (ran < TRIES) {
            System.out.println("coverage not checked: " + ran + " of " + TRIES + " tries ran");
            return;
        }
        outcomes.checkPercentage("Move:accepted", COVERAGE_MOVE);
        outcomes.checkPercentage("Entry:accepted", COVERAGE_ENTRY);
        outcomes.checkPercentage("Post:accepted", COVERAGE_POST);
        outcomes.checkPercentage("Chain:accepted", COVERAGE_CHAIN);
        outcomes.checkSeen("Void:accepted");
        outcomes.checkSeen("Advance:expired");
        outcomes.checkSeen("Move:" + RejectionCode.INSUFFICIENT_FUNDS);
        outcomes.checkSeen("Post:" + RejectionCode.TRANSFER_EXPIRED);
        outcomes.checkSeen("Entry:" + RejectionCode.UNBALANCED_ENTRY);
        outcomes.checkSeen("Chain:" + RejectionCode.INSUFFICIENT_FUNDS);
        outcomes.checkSeen("CLOSE:accepted");
        shapes.checkSeen("entry in two currencies");
        shapes.checkSeen("entry of 3+ legs");
        shapes.checkSeen("partial post");
        shapes.checkSeen("account with overdraft limit overdrawn");
        shapes.checkSeen("chain refused after accepting 2+ of its transfers");
        shapes.checkSeen("batch with refused and accepted commands");
        shapes.checkSeen("batch using a transfer created in the same batch");
    }

    /** The same sessions with a book that caches nothing: every unit of work reads from the store. */
    @Test
    void everySessionKeepsTheLedgersInvariantsWithoutABookCache() {
        startLedger(0);
        Seeded.forAll("every session keeps the ledger's invariants without a book cache", TRIES_WITHOUT_CACHE,
                LedgerProperties::session, Seeded::numbered, this::checkSession);
        System.out.print(outcomes.report());
    }

    private void checkSession(List<Action> session) {
        startSession();
        for (int i = 0; i < session.size(); i++) {
            try {
                run(session.get(i));
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("action " + (i + 1) + " of " + session.size() + ", " + session.get(i)
                        + " (tenant " + tenantId + "): " + e.getMessage(), e);
            }
        }
        List<DomainEventMessage<?>> events = sessionEvents();
        assertTheBookMatchesTheModel();
        assertEveryPostedEntryBalancesPerCurrency(events);
        assertBalancesSumToZeroPerCurrency();
        assertNoAccountPastItsOverdraftLimit();
        assertTheBookFollowsFromTheTransferEvents(events);
        assertEveryTransferFoldsFromItsEvents(events);
        ledger.assertBookAgreesWithStore(tenantId);
        ChainCheck.verifyAll(events);
        endSession();
    }

    private List<DomainEventMessage<?>> sessionEvents() {
        return ledger.eventsSince(firstEvent).stream()
                .filter(e -> tenantId.equals(e.getMetaData().get(AuditKeys.TENANT))).toList();
    }

    // ---- actions: raw choices, resolved against the model when run ----

    sealed interface Action permits Open, Move, Entry, Post, VoidPending, Advance, LateClock, Status, Chain, Batch {
    }

    record Open(int slot, int currency, int kind, int limitMode, long limitMinor) implements Action {
    }

    /** A two-leg transfer, posted or pending. */
    record Move(int debitPick, int creditPick, long minor, int currencyPick, int amountMode, boolean pending,
                int timeoutMode, int idPick) implements Action {
    }

    record LegChoice(int pick, boolean debit, long minor, int amountMode) {
    }

    /**
     * A journal entry. {@code plan}: 0-4 legs in one currency, 5-7 in two, 8 any accounts, all
     * balanced per currency where a currency has two legs or more; 9 any accounts, as they come.
     */
    record Entry(List<LegChoice> legs, int plan, int idPick) implements Action {
    }

    record Post(int transferPick, int mode, long partialMinor) implements Action {
    }

    record VoidPending(int transferPick) implements Action {
    }

    /** Time passes and every deadline due fires. */
    record Advance(int seconds) implements Action {
    }

    /** The clock moves but deadlines are late. */
    record LateClock(int seconds) implements Action {
    }

    enum StatusChange { FREEZE, UNFREEZE, CLOSE }

    record Status(StatusChange change, int pick) implements Action {
    }

    /** Linked transfers, all or none; each a later one may depend on (funds, ids). */
    record Chain(List<Move> transfers) implements Action {
    }

    /** Commands sharing one unit of work, each in a nested one, as the group-commit bus runs them. */
    record Batch(List<Action> commands) implements Action {
    }

    // ---- generating a session: written out by hand, every choice drawn from the try's random source ----

    /** Uniformly 1 to 40 actions, each kind in proportion to its weight. */
    static List<Action> session(SplittableRandom r) {
        int size = between(r, 1, SESSION_SIZE_MAX);
        List<Action> actions = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            actions.add(action(r));
        }
        return actions;
    }

    /** Weights: open 3, move 8, entry 4, post 4, void 2, advance 2, late clock 2, status 1, chain 2, batch 2. */
    private static Action action(SplittableRandom r) {
        return switch (weighted(r, 3, 8, 4, 4, 2, 2, 2, 1, 2, 2)) {
            case 0 -> open(r);
            case 1 -> move(r);
            case 2 -> entry(r);
            case 3 -> post(r);
            case 4 -> new VoidPending(pick(r));
            case 5 -> new Advance(oneOf(r, 1, 29, 30, 31, 299, 300, 301, 3600));
            case 6 -> new LateClock(oneOf(r, 30, 300, 300));
            case 7 -> status(r);
            case 8 -> chain(r);
            default -> batch(r);
        };
    }

    /** 2 to 5 commands of a batch: any command (no time passing), weighted open 2, move 8, entry 4, post 4,
     * void 2, status 1, chain 1. */
    private static Batch batch(SplittableRandom r) {
        int size = between(r, 2, 5);
        List<Action> commands = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            commands.add(switch (weighted(r, 2, 8, 4, 4, 2, 1, 1)) {
                case 0 -> open(r);
                case 1 -> move(r);
                case 2 -> entry(r);
                case 3 -> post(r);
                case 4 -> new VoidPending(pick(r));
                case 5 -> status(r);
                default -> chain(r);
            });
        }
        return new Batch(List.copyOf(commands));
    }

    private static Open open(SplittableRandom r) {
        return new Open(between(r, 0, 5), between(r, 0, 2), between(r, 0, 4), between(r, 0, 2), between(r, 1L, 5_000L));
    }

    private static Move move(SplittableRandom r) {
        return new Move(pick(r), pick(r), minor(r), pick(r), mode(r), between(r, 0, 9) < 4, between(r, 0, 19), pick(r));
    }

    private static Post post(SplittableRandom r) {
        return new Post(pick(r), between(r, 0, 9), minor(r));
    }

    private static Status status(SplittableRandom r) {
        return new Status(oneOf(r, StatusChange.values()), pick(r));
    }

    /**
     * 1 to 4 linked transfers, weighted 1, 3, 3, 2; three in four break no rule of their own (so
     * that whole chains pass often enough), the others are drawn as any {@link Move}.
     */
    private static Chain chain(SplittableRandom r) {
        int count = 1 + weighted(r, 1, 3, 3, 2);
        List<Move> transfers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            transfers.add(r.nextInt(4) == 0 ? move(r) : wellFormedMove(r));
        }
        return new Chain(List.copyOf(transfers));
    }

    /**
     * A transfer with a valid amount in its debit account's currency, a new id and a valid timeout
     * (its accounts and their funds may still refuse it): see {@link #plan} for what each choice means.
     */
    private static Move wellFormedMove(SplittableRandom r) {
        return new Move(pick(r), pick(r), minor(r), 1 + 20 * between(r, 0, 49), between(r, 3, 59),
                between(r, 0, 9) < 4, between(r, 1, 19), 1 + 6 * between(r, 0, 166));
    }

    /** 1 to 5 legs, weighted 1, 5, 4, 3, 1: mostly two to four. */
    private static Entry entry(SplittableRandom r) {
        int count = 1 + weighted(r, 1, 5, 4, 3, 1);
        List<LegChoice> legs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            legs.add(new LegChoice(pick(r), r.nextBoolean(), minor(r), mode(r)));
        }
        return new Entry(List.copyOf(legs), between(r, 0, 9), pick(r));
    }

    private static int pick(SplittableRandom r) {
        return between(r, 0, 999);
    }

    private static long minor(SplittableRandom r) {
        return between(r, 1L, 20_000L);
    }

    private static int mode(SplittableRandom r) {
        return between(r, 0, 59);
    }

    // ---- running an action: the model says what must happen, the ledger must agree ----

    private void run(Action action) {
        if (action instanceof Open open) {
            runOpen(open);
        } else if (action instanceof Move move) {
            runMove(move);
        } else if (action instanceof Entry entry) {
            runEntry(entry);
        } else if (action instanceof Post post) {
            runPost(post);
        } else if (action instanceof VoidPending voidPending) {
            runVoid(voidPending);
        } else if (action instanceof Advance advance) {
            runAdvance(advance);
        } else if (action instanceof LateClock late) {
            ledger.advanceClockOnly(Duration.ofSeconds(late.seconds()));
        } else if (action instanceof Status status) {
            runStatus(status);
        } else if (action instanceof Chain chain) {
            runChain(chain);
        } else if (action instanceof Batch batch) {
            runBatch(batch);
        } else {
            throw new IllegalArgumentException("unknown action " + action);
        }
    }

    /** What the accepted commands of a batch must write when it commits, and what happened in it. */
    private static final class Batching {
        long events;
        int entries;
        int accepted;
        int refused;
        /** Ids of transfers created in the batch (not stored yet: see {@link #transferId}). */
        final Set<String> created = new HashSet<>();
    }

    /**
     * Sends {@code command}; when the model names no rule it breaks it must be accepted, appending
     * {@code eventsIfAccepted} events and writing {@code entriesIfAccepted} book entries; otherwise it
     * must be rejected with one of {@code mayReject} and change nothing. {@code chainIndex}: for a
     * chain that must be rejected, the index of the transfer the rejection names (-1 otherwise).
     * Inside a batch nothing reaches the stores before the batch commits; a rejected command must
     * leave the batch's changes as they were, and an accepted one adds to what the batch must write.
     */
    private boolean expect(String kind, Object command, Set<RejectionCode> mayReject, long eventsIfAccepted,
                           int entriesIfAccepted, int chainIndex) {
        long eventsBefore = ledger.eventCount();
        int entriesBefore = ledger.entryCount();
        Map<Key, AccountState> statesBefore = ledger.store().states();
        Map<Key, AccountState> batchBefore = batching == null ? null : ledger.changedInBatch();
        Throwable thrown = catchThrowable(() -> ledger.send(command));
        if (batching != null) {
            assertThat(ledger.eventCount()).as("events stored inside a batch by %s", command).isEqualTo(eventsBefore);
            assertThat(ledger.entryCount()).as("entries written inside a batch by %s", command)
                    .isEqualTo(entriesBefore);
        }
        if (mayReject.isEmpty()) {
            assertThat(thrown).as("%s must be accepted", command).isNull();
            if (batching == null) {
                assertThat(ledger.eventCount() - eventsBefore).as("events of %s", command).isEqualTo(eventsIfAccepted);
                assertThat(ledger.entryCount() - entriesBefore).as("book entries of %s", command)
                        .isEqualTo(entriesIfAccepted);
            } else {
                batching.events += eventsIfAccepted;
                batching.entries += entriesIfAccepted;
                batching.accepted++;
                if (entriesIfAccepted > 0) {
                    assertThat(ledger.changedInBatch()).as("the batch's changes after %s", command)
                            .isNotEqualTo(batchBefore);
                }
            }
            outcomes.collect(kind + ":accepted");
            return true;
        }
        assertThat(thrown).as("%s must be rejected with one of %s", command, mayReject)
                .isInstanceOf(LedgerRejection.class);
        RejectionCode code = ((LedgerRejection) thrown).code();
        assertThat(mayReject).as("code of rejected %s (%s)", command, thrown.getMessage()).contains(code);
        if (chainIndex >= 0) {
            assertThat(thrown).as("rejection of chain %s", command).isInstanceOf(ChainRejection.class);
            assertThat(((ChainRejection) thrown).index()).as("index named by the rejection of chain %s (%s)", command,
                    thrown.getMessage()).isEqualTo(chainIndex);
        }
        assertThat(ledger.eventCount()).as("events of rejected %s", command).isEqualTo(eventsBefore);
        assertThat(ledger.entryCount()).as("book entries of rejected %s", command).isEqualTo(entriesBefore);
        assertThat(ledger.store().states()).as("account states after rejected %s", command).isEqualTo(statesBefore);
        if (batching == null) {
            ledger.assertBookAgreesWithStore(tenantId);
        } else {
            assertThat(ledger.changedInBatch()).as("the batch's changes after rejected %s", command)
                    .isEqualTo(batchBefore);
            batching.refused++;
        }
        outcomes.collect(kind + ":" + code);
        return false;
    }

    private boolean expect(String kind, Object command, Set<RejectionCode> mayReject, long eventsIfAccepted,
                           int entriesIfAccepted) {
        return expect(kind, command, mayReject, eventsIfAccepted, entriesIfAccepted, -1);
    }

    private void runOpen(Open open) {
        String id = "a" + open.slot();
        CurrencyCode currency = CURRENCIES.get(open.currency());
        AccountKind kind = AccountKind.values()[open.kind()];
        OverdraftLimit limit = switch (open.limitMode()) {
            case 0 -> OverdraftLimit.none();
            case 1 -> new OverdraftLimit(false, open.limitMinor());
            default -> OverdraftLimit.unlimitedLimit();
        };
        if (expect("Open", tenant.open(id, currency, kind, limit), model.openRejections(id), 1, 1)) {
            model.open(id, currency, kind, limit);
        }
    }

    /** An opened account (closed ones included), or now and then one that never was. */
    private String pickAccount(int pick) {
        List<String> opened = new ArrayList<>(model.accounts.keySet());
        return pick % 20 == 0 ? GHOST : opened.get(pick % opened.size());
    }

    private CurrencyCode currencyOf(String accountId) {
        LedgerModel.Account account = model.account(accountId);
        return account == null ? USD : account.currency;
    }

    /**
     * Now and then the id of a known transfer (to be refused as a duplicate), else a new one. Not
     * one created in the running batch: its events are not stored yet, so the id's check (the
     * event store) cannot see it; in production the store's unique key then fails the batch, which
     * runs again command by command, where the second is refused.
     */
    private String transferId(int idPick) {
        if (idPick % 6 == 0 && !model.transfers.isEmpty()) {
            String known = new ArrayList<>(model.transfers.keySet()).get(idPick % model.transfers.size());
            if (batching == null || !batching.created.contains(known)) {
                return known;
            }
        }
        return "x" + transferCounter++;
    }

    /** A transfer as a {@link Move} says: its command, what may refuse it, and how it changes the model. */
    private record Planned(String id, CreateTransfer command, Set<RejectionCode> mayReject, Runnable accept) {
    }

    private Planned plan(Move move) {
        LedgerModel planned = model;
        String debit = pickAccount(move.debitPick());
        List<String> sameCurrency = planned.accounts.values().stream()
                .filter(a -> a.currency.equals(currencyOf(debit)) && !a.id.equals(debit)).map(a -> a.id).toList();
        String credit = move.creditPick() % 10 < 9 && !sameCurrency.isEmpty()
                ? sameCurrency.get(move.creditPick() % sameCurrency.size()) : pickAccount(move.creditPick());
        CurrencyCode currency = move.currencyPick() % 20 == 0 ? CURRENCIES.get(move.currencyPick() / 20 % 3)
                : currencyOf(debit);
        // amountMode 0-2: zero, negative, above the maximum
        Money amount = switch (move.amountMode()) {
            case 0 -> Money.zero(currency);
            case 1 -> new Money(-move.minor(), currency);
            case 2 -> new Money(Money.AMOUNT_MINOR_MAX + 1, currency);
            default -> new Money(move.minor(), currency);
        };
        Long validMinor = move.amountMode() > 2 ? move.minor() : null;
        Duration timeout;
        boolean timeoutInvalid;
        if (move.pending()) {
            timeout = move.timeoutMode() == 0 ? Duration.ZERO // not allowed
                    : move.timeoutMode() < 6 ? null
                    : Duration.ofSeconds(move.timeoutMode() < 13 ? 30 : 300);
            timeoutInvalid = timeout != null && timeout.isZero();
        } else {
            timeout = move.timeoutMode() == 0 ? Duration.ofSeconds(30) : null; // not allowed
            timeoutInvalid = timeout != null;
        }
        String id = transferId(move.idPick());
        CreateTransfer command = new CreateTransfer(tenant.tenant(), TransferId.of(id), AccountId.of(debit),
                AccountId.of(credit), amount, move.pending(), timeout, Map.of("n", String.valueOf(transferCounter)));
        Set<RejectionCode> mayReject = planned.transferRejections(id, debit, credit, currency, validMinor,
                timeoutInvalid);
        Instant expiresAt = timeout == null ? null : Ts6.parse(Ts6.format(ledger.now().plus(timeout)));
        return new Planned(id, command, mayReject,
                () -> planned.transfer(id, debit, credit, currency, validMinor, move.pending(), expiresAt));
    }

    private void runMove(Move move) {
        Planned planned = plan(move);
        if (expect("Move", planned.command(), planned.mayReject(), 1, 2)) {
            planned.accept().run();
            created(planned.id());
        }
    }

    /**
     * A chain works on a copy of the model, transfer by transfer, as the handler does in its unit of
     * work: the first transfer the copy refuses refuses the chain, which then changes nothing. An id
     * that appears twice in the chain is refused before any transfer runs, at its second place.
     */
    private void runChain(Chain chain) {
        LedgerModel before = model;
        LedgerModel scratch = before.copy();
        List<CreateTransfer> commands = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        int refusedAt = -1;
        Set<RejectionCode> refusal = EnumSet.noneOf(RejectionCode.class);
        model = scratch;
        try {
            for (Move move : chain.transfers()) {
                Planned planned = plan(move);
                commands.add(planned.command());
                ids.add(planned.id());
                if (refusedAt < 0 && planned.mayReject().isEmpty()) {
                    planned.accept().run();
                } else if (refusedAt < 0) {
                    refusedAt = commands.size() - 1;
                    refusal = planned.mayReject();
                }
            }
        } finally {
            model = before;
        }
        int repeated = -1;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < ids.size() && repeated < 0; i++) {
            if (!seen.add(ids.get(i))) {
                repeated = i;
            }
        }
        if (repeated >= 0) {
            refusedAt = repeated;
            refusal = EnumSet.of(RejectionCode.DUPLICATE_ID);
        }
        CreateTransferChain command = tenant.chain(commands.toArray(CreateTransfer[]::new));
        if (expect("Chain", command, refusal, commands.size(), 2 * commands.size(), refusedAt)) {
            model = scratch;
            ids.forEach(this::created);
            if (commands.size() >= 3) {
                shapes.collect("chain of 3+ transfers");
            }
        } else if (repeated < 0 && refusedAt >= 2) {
            shapes.collect("chain refused after accepting 2+ of its transfers");
        }
    }

    private void created(String transferId) {
        if (batching != null) {
            batching.created.add(transferId);
        }
    }

    private void runEntry(Entry entry) {
        List<String> accounts = entryAccounts(entry);
        List<Side> sides = new ArrayList<>();
        List<Long> minors = new ArrayList<>();
        for (LegChoice choice : entry.legs().subList(0, accounts.size())) {
            sides.add(choice.debit() ? Side.DEBIT : Side.CREDIT);
            minors.add(choice.minor());
        }
        if (entry.plan() < 9) {
            balancePerCurrency(entry, accounts, sides, minors);
        }
        List<EntryLeg> legs = new ArrayList<>();
        List<Leg> modelLegs = new ArrayList<>();
        for (int i = 0; i < accounts.size(); i++) {
            int scale = currencyOf(accounts.get(i)).scale();
            long minor = minors.get(i);
            String text = switch (entry.legs().get(i).amountMode()) {
                case 0 -> "0";
                case 1 -> "-" + Money.format(minor, scale);
                case 2 -> BigDecimal.valueOf(minor * 10 + 1, scale + 1).toPlainString();
                case 3 -> "1e3";
                default -> Money.format(minor, scale);
            };
            legs.add(new EntryLeg(AccountId.of(accounts.get(i)), sides.get(i), text));
            modelLegs.add(new Leg(accounts.get(i), sides.get(i), entry.legs().get(i).amountMode() > 3 ? minor : null));
        }
        String id = transferId(entry.idPick());
        Set<RejectionCode> mayReject = model.entryRejections(id, modelLegs, TransferCommands.LEGS_MAX);
        if (expect("Entry", tenant.entry(id, legs), mayReject, 1, legs.size())) {
            model.entry(id, modelLegs);
            created(id);
            if (accounts.stream().map(this::currencyOf).distinct().count() > 1) {
                shapes.collect("entry in two currencies");
            }
            if (legs.size() > 2) {
                shapes.collect("entry of 3+ legs");
            }
        }
    }

    /**
     * The accounts of an entry's legs, as its plan says: distinct, and fewer legs when a currency
     * has fewer accounts (plan 9 takes any accounts, repeats included); now and then one that was
     * never opened.
     */
    private List<String> entryAccounts(Entry entry) {
        List<LegChoice> choices = entry.legs();
        CurrencyCode first = CURRENCIES.get(choices.get(0).pick() / 10 % 3);
        CurrencyCode second = CURRENCIES.get((choices.get(0).pick() / 10 + 1) % 3);
        boolean twoCurrencies = entry.plan() >= 5 && entry.plan() < 8 && choices.size() >= 4;
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < choices.size(); i++) {
            int pick = choices.get(i).pick();
            if (entry.plan() == 9) {
                accounts.add(pickAccount(pick));
                continue;
            }
            CurrencyCode currency = twoCurrencies && i >= choices.size() / 2 ? second : first;
            List<String> pool = (entry.plan() < 8 ? model.accounts.values().stream()
                    .filter(a -> a.currency.equals(currency)).map(a -> a.id) : model.accounts.keySet().stream())
                    .filter(id -> !accounts.contains(id)).toList();
            if (!pool.isEmpty()) {
                accounts.add(pick % 40 == 0 ? GHOST : pool.get(pick % pool.size()));
            }
        }
        return accounts;
    }

    /** Makes the legs of each currency (with at least two legs) balance, keeping amounts positive. */
    private void balancePerCurrency(Entry entry, List<String> accounts, List<Side> sides, List<Long> minors) {
        Map<String, List<Integer>> byCurrency = new TreeMap<>();
        for (int i = 0; i < accounts.size(); i++) {
            if (entry.legs().get(i).amountMode() > 3) {
                byCurrency.computeIfAbsent(currencyOf(accounts.get(i)).code(), c -> new ArrayList<>()).add(i);
            }
        }
        for (List<Integer> group : byCurrency.values()) {
            if (group.size() < 2) {
                continue;
            }
            int first = group.get(0);
            int last = group.get(group.size() - 1);
            if (group.stream().allMatch(i -> sides.get(i) == sides.get(first))) {
                sides.set(last, sides.get(first).opposite());
            }
            long net = group.stream().mapToLong(i -> sides.get(i) == Side.DEBIT ? minors.get(i) : -minors.get(i)).sum();
            Side absorbing = net > 0 ? Side.CREDIT : Side.DEBIT;
            int absorber = group.stream().filter(i -> sides.get(i) == absorbing).reduce((a, b) -> b).orElseThrow();
            minors.set(absorber, minors.get(absorber) + Math.abs(net));
        }
    }

    private String pickTransfer(int pick) {
        List<String> pending = model.pending().stream().map(t -> t.id).toList();
        List<String> known = new ArrayList<>(model.transfers.keySet());
        if (pick % 10 == 0 || known.isEmpty()) {
            return "unknown";
        }
        if (pick % 10 < 3 || pending.isEmpty()) {
            return known.get(pick % known.size());
        }
        return pending.get(pick % pending.size());
    }

    private void runPost(Post post) {
        String id = pickTransfer(post.transferPick());
        LedgerModel.Transfer transfer = model.transfers.get(id);
        String amount = null;
        Long posted = transfer == null ? null : transfer.reserved;
        if (transfer != null && transfer.currency != null && post.mode() < 5) {
            int scale = transfer.currency.scale();
            long partial = 1 + post.partialMinor() % Math.max(1, transfer.reserved);
            switch (post.mode()) {
                case 0 -> {
                    amount = Money.format(transfer.reserved + 1, scale);
                    posted = transfer.reserved + 1;
                }
                case 1 -> {
                    amount = BigDecimal.valueOf(partial * 10 + 1, scale + 1).toPlainString();
                    posted = null;
                }
                default -> {
                    amount = Money.format(partial, scale);
                    posted = partial;
                }
            }
        }
        Set<RejectionCode> mayReject = model.postRejections(id, posted, ledger.now());
        if (expect("Post", tenant.post(id, amount), mayReject, 1, 2)) {
            if (posted < transfer.reserved) {
                shapes.collect("partial post");
            }
            model.post(id, posted);
            usedInBatch(id);
        }
    }

    private void runVoid(VoidPending voidPending) {
        String id = pickTransfer(voidPending.transferPick());
        if (expect("Void", tenant.voidPending(id), model.voidRejections(id), 1, 2)) {
            model.release(id, TransferStatus.VOIDED);
            usedInBatch(id);
        }
    }

    private void usedInBatch(String transferId) {
        if (batching != null && batching.created.contains(transferId)) {
            shapes.collect("batch using a transfer created in the same batch");
        }
    }

    private void runAdvance(Advance advance) {
        long before = ledger.eventCount();
        int entriesBefore = ledger.entryCount();
        ledger.advanceTime(Duration.ofSeconds(advance.seconds()));
        int expired = model.expireDue(ledger.now());
        assertThat(ledger.eventCount() - before).as("events of expiries").isEqualTo(expired);
        assertThat(ledger.entryCount() - entriesBefore).as("book entries of expiries").isEqualTo(2 * expired);
        outcomes.collect(expired > 0 ? "Advance:expired" : "Advance:nothing due");
    }

    private void runStatus(Status status) {
        String id = pickAccount(status.pick());
        Object command = switch (status.change()) {
            case FREEZE -> tenant.freeze(id);
            case UNFREEZE -> tenant.unfreeze(id);
            case CLOSE -> tenant.close(id);
        };
        Set<RejectionCode> mayReject = model.statusRejections(id, status.change() == StatusChange.CLOSE);
        LedgerModel.Account account = model.account(id);
        if (account == null) {
            expect(status.change().name(), command, mayReject, 0, 0);
            return;
        }
        AccountStatus target = switch (status.change()) {
            case FREEZE -> account.status == AccountStatus.OPEN ? AccountStatus.FROZEN : account.status;
            case UNFREEZE -> account.status == AccountStatus.FROZEN ? AccountStatus.OPEN : account.status;
            case CLOSE -> AccountStatus.CLOSED;
        };
        int changes = target == account.status ? 0 : 1;
        if (expect(status.change().name(), command, mayReject, changes, changes)) {
            account.status = target;
        }
    }

    /**
     * Runs the batch's commands in one root unit of work, each checked as on its own; the batch then
     * writes, when it commits, exactly what its accepted commands made.
     */
    private void runBatch(Batch batch) {
        long eventsBefore = ledger.eventCount();
        int entriesBefore = ledger.entryCount();
        Batching running = new Batching();
        batching = running;
        try {
            ledger.inBatch(() -> batch.commands().forEach(this::run));
        } finally {
            batching = null;
        }
        assertThat(ledger.eventCount() - eventsBefore).as("events of the batch").isEqualTo(running.events);
        assertThat(ledger.entryCount() - entriesBefore).as("book entries of the batch").isEqualTo(running.entries);
        outcomes.collect("Batch:" + (running.refused == 0 ? "all accepted" : running.accepted == 0 ? "all refused"
                : "some refused"));
        if (running.refused > 0 && running.accepted > 0) {
            shapes.collect("batch with refused and accepted commands");
        }
    }

    // ---- after a session ----

    private Map<Key, AccountState> states() {
        return ledger.store().statesOfTenant(tenantId);
    }

    /** Every account of the book is the model's (totals, status, terms), and so is every transfer. */
    private void assertTheBookMatchesTheModel() {
        assertThat(states().keySet()).as("accounts in the book").map(Key::accountId)
                .containsExactlyInAnyOrderElementsOf(model.accounts.keySet());
        for (LedgerModel.Account expected : model.accounts.values()) {
            AccountState actual = ledger.account(tenantId, expected.id);
            assertThat(actual.status()).as("status of %s", expected.id).isEqualTo(expected.status);
            assertThat(ledger.accountStatus(tenantId, expected.id)).as("status of the aggregate of %s", expected.id)
                    .isEqualTo(expected.status);
            assertThat(actual.currency()).as("currency of %s", expected.id).isEqualTo(expected.currency);
            assertThat(actual.kind()).as("kind of %s", expected.id).isEqualTo(expected.kind);
            assertThat(actual.overdraftLimit()).as("overdraft limit of %s", expected.id).isEqualTo(expected.limit);
            assertThat(new long[] {actual.debitsPosted(), actual.creditsPosted(), actual.debitsPending(),
                    actual.creditsPending()}).as("debits/credits posted/pending of %s", expected.id)
                    .containsExactly(expected.debitsPosted, expected.creditsPosted, expected.debitsPending,
                            expected.creditsPending);
        }
        model.transfers.values().forEach(expected -> assertThat(ledger.transfer(tenantId, expected.id).status())
                .as("status of transfer %s", expected.id).isEqualTo(expected.status));
    }

    private void assertEveryPostedEntryBalancesPerCurrency(List<DomainEventMessage<?>> events) {
        for (DomainEventMessage<?> event : events) {
            if (event.getPayload() instanceof TransferPosted posted) {
                Map<String, Long> net = new HashMap<>();
                posted.legs().forEach(leg -> net.merge(leg.currency(),
                        "debit".equals(leg.side()) ? Money.minorOf(leg.amount()) : -Money.minorOf(leg.amount()),
                        Math::addExact));
                assertThat(net).as("net per currency of %s", posted.transferId()).allSatisfy((c, n) ->
                        assertThat(n).isZero());
            }
        }
    }

    private void assertBalancesSumToZeroPerCurrency() {
        Map<String, Long> posted = new TreeMap<>();
        Map<String, Long> pendingDebits = new TreeMap<>();
        Map<String, Long> pendingCredits = new TreeMap<>();
        for (AccountState account : states().values()) {
            String currency = account.currency().code();
            posted.merge(currency, account.debitsPosted() - account.creditsPosted(), Math::addExact);
            pendingDebits.merge(currency, account.debitsPending(), Math::addExact);
            pendingCredits.merge(currency, account.creditsPending(), Math::addExact);
        }
        assertThat(posted).as("debits - credits posted per currency").allSatisfy((c, n) -> assertThat(n).isZero());
        assertThat(pendingDebits).as("pending debits per currency = pending credits").isEqualTo(pendingCredits);
    }

    private void assertNoAccountPastItsOverdraftLimit() {
        for (AccountState account : states().values()) {
            OverdraftLimit limit = account.overdraftLimit();
            if (!limit.unlimited()) {
                assertThat(account.available()).as("available of %s", account.accountId())
                        .isGreaterThanOrEqualTo(-limit.minor());
            }
            if (!limit.unlimited() && limit.minor() > 0 && account.available() < 0) {
                shapes.collect("account with overdraft limit overdrawn");
            }
        }
    }

    /**
     * Balances follow from transfer events: the book's entries of this session, replayed from its
     * events alone, are the entries the book wrote (in order, with every state, amount and time),
     * and their last states are the book's states.
     */
    private void assertTheBookFollowsFromTheTransferEvents(List<DomainEventMessage<?>> events) {
        List<BookEntry> written = ledger.store().entriesOfTenant(tenantId);
        List<BookEntry> replayed = BookFromEvents.replay(events);
        for (int i = 0; i < Math.min(written.size(), replayed.size()); i++) {
            assertThat(written.get(i)).as("book entry %d of %d (replayed from the events: %d)", i + 1, written.size(),
                    replayed.size()).isEqualTo(replayed.get(i));
        }
        assertThat(written).as("book entries").hasSameSizeAs(replayed);
        assertThat(states()).as("the book's states").isEqualTo(BookFromEvents.states(events));
    }

    /** Every transfer's snapshot is the fold of its stored events. */
    private void assertEveryTransferFoldsFromItsEvents(List<DomainEventMessage<?>> events) {
        Map<String, TransferSnapshot> folded = new LinkedHashMap<>();
        for (DomainEventMessage<?> event : events) {
            if (AggregateIds.TRANSFER_TYPE.equals(event.getType())) {
                folded.put(event.getAggregateIdentifier(), TransferSnapshot.fold(folded.get(
                        event.getAggregateIdentifier()), event.getPayload(),
                        (String) event.getMetaData().get(AuditKeys.OCCURRED_AT)));
            }
        }
        assertThat(folded.values()).as("transfers in the events").extracting(TransferSnapshot::transferId)
                .containsExactlyInAnyOrderElementsOf(model.transfers.keySet());
        folded.values().forEach(snapshot -> assertThat(ledger.transfer(tenantId, snapshot.transferId()))
                .as("transfer %s", snapshot.transferId()).isEqualTo(snapshot));
    }

    // ---- coverage ----

    /**
     * Counts of values collected over a whole run; a value's percentage is of all values collected
     * under this tally, so "Move:accepted" above 8 % means above 8 % of all actions' outcomes.
     */
    static final class Tally {
        private final String name;
        private final Map<String, Integer> counts = new TreeMap<>();
        private int total;

        Tally(String name) {
            this.name = name;
        }

        void collect(String value) {
            counts.merge(value, 1, Integer::sum);
            total++;
        }

        int count(String value) {
            return counts.getOrDefault(value, 0);
        }

        double percentage(String value) {
            return total == 0 ? 0 : 100.0 * count(value) / total;
        }

        void checkSeen(String value) {
            assertThat(count(value)).as("count of %s in %s", value, report()).isPositive();
        }

        void checkPercentage(String value, double above) {
            assertThat(percentage(value)).as("percentage of %s in %s", value, report()).isGreaterThan(above);
        }

        String report() {
            StringBuilder out = new StringBuilder(name + " (" + total + "):\n");
            counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .forEach(e -> out.append(String.format("    %-40s %5d  %6.2f %%%n", e.getKey(), e.getValue(),
                            100.0 * e.getValue() / total)));
            return out.toString();
        }
    }
}
