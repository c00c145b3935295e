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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import ledger.audit.Ts6;
import ledger.domain.LedgerModel.Leg;
import ledger.domain.account.AccountSnapshot;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TransferId;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.ChainCheck;
import ledger.domain.transfer.TransferStatus;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Random sessions against the whole domain (accounts, transfers, multi-leg and multi-currency
 * entries, holds posted in full or in part, voided or expired, freezes, closes, late deadlines),
 * many of them rejected. Each command's outcome is checked against {@link LedgerModel}; after each
 * session the ledger's invariants are checked from the stored events and aggregates alone. Seeds,
 * failures and replays as {@link Seeded} explains: a failure prints its seed and its whole session,
 * and {@code -Dledger.seed=<seed> -Dledger.tries=1} replays that one session.
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
    private static final int SESSION_SIZE_MAX = 40;
    /** Shares of all actions that must be accepted, so that the invariants are not checked on nothing. */
    private static final double COVERAGE_MOVE = 8;
    private static final double COVERAGE_ENTRY = 2;
    private static final double COVERAGE_POST = 0.8;

    private LedgerHarness ledger;
    private LedgerModel model;
    private Commands tenant;
    private String tenantId;
    private long firstEvent;
    private int tries;
    private int transferCounter;
    /** Outcomes of all actions of a run ({@code Kind:accepted}, {@code Kind:CODE}, ...). */
    private Tally outcomes;
    /** What accepted commands looked like. */
    private Tally shapes;

    /** One ledger for all tries (building an Axon configuration costs more than a session). */
    @BeforeEach
    void startLedger() {
        ledger = LedgerHarness.create();
        outcomes = new Tally("outcomes");
        shapes = new Tally("shapes");
        tries = 0;
    }

    @AfterEach
    void stopLedger() {
        ledger.close();
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
        outcomes.checkSeen("Void:accepted");
        outcomes.checkSeen("Advance:expired");
        outcomes.checkSeen("Move:" + RejectionCode.INSUFFICIENT_FUNDS);
        outcomes.checkSeen("Post:" + RejectionCode.TRANSFER_EXPIRED);
        outcomes.checkSeen("Entry:" + RejectionCode.UNBALANCED_ENTRY);
        shapes.checkSeen("entry in two currencies");
        shapes.checkSeen("entry of 3+ legs");
        shapes.checkSeen("partial post");
        shapes.checkSeen("account with overdraft limit overdrawn");
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
        assertAggregatesMatchTheModel();
        assertEveryPostedEntryBalancesPerCurrency(events);
        assertBalancesSumToZeroPerCurrency();
        assertNoAccountPastItsOverdraftLimit();
        ChainCheck.verifyAll(events);
        endSession();
    }

    private List<DomainEventMessage<?>> sessionEvents() {
        return ledger.eventsSince(firstEvent).stream()
                .filter(e -> tenantId.equals(e.getMetaData().get(AuditKeys.TENANT))).toList();
    }

    // ---- actions: raw choices, resolved against the model when run ----

    sealed interface Action permits Open, Move, Entry, Post, VoidPending, Advance, LateClock, Status {
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

    /** Weights: open 3, move 8, entry 4, post 4, void 2, advance 2, late clock 2, status 1. */
    private static Action action(SplittableRandom r) {
        return switch (weighted(r, 3, 8, 4, 4, 2, 2, 2, 1)) {
            case 0 -> new Open(between(r, 0, 5), between(r, 0, 2), between(r, 0, 4), between(r, 0, 2),
                    between(r, 1L, 5_000L));
            case 1 -> new Move(pick(r), pick(r), minor(r), pick(r), mode(r), between(r, 0, 9) < 4,
                    between(r, 0, 19), pick(r));
            case 2 -> entry(r);
            case 3 -> new Post(pick(r), between(r, 0, 9), minor(r));
            case 4 -> new VoidPending(pick(r));
            case 5 -> new Advance(oneOf(r, 1, 29, 30, 31, 299, 300, 301, 3600));
            case 6 -> new LateClock(oneOf(r, 30, 300, 300));
            default -> new Status(oneOf(r, StatusChange.values()), pick(r));
        };
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
        } else {
            throw new IllegalArgumentException("unknown action " + action);
        }
    }

    /** Sends {@code command}; when the model names no rule it breaks it must be accepted. */
    private boolean expect(String kind, Object command, Set<RejectionCode> mayReject, long eventsIfAccepted) {
        long before = ledger.eventCount();
        Throwable thrown = catchThrowable(() -> ledger.send(command));
        if (mayReject.isEmpty()) {
            assertThat(thrown).as("%s must be accepted", command).isNull();
            assertThat(ledger.eventCount() - before).as("events of %s", command).isEqualTo(eventsIfAccepted);
            outcomes.collect(kind + ":accepted");
            return true;
        }
        assertThat(thrown).as("%s must be rejected with one of %s", command, mayReject)
                .isInstanceOf(LedgerRejection.class);
        RejectionCode code = ((LedgerRejection) thrown).code();
        assertThat(mayReject).as("code of rejected %s (%s)", command, thrown.getMessage()).contains(code);
        assertThat(ledger.eventCount()).as("events of rejected %s", command).isEqualTo(before);
        outcomes.collect(kind + ":" + code);
        return false;
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
        if (expect("Open", tenant.open(id, currency, kind, limit), model.openRejections(id), 1)) {
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

    private String transferId(int idPick) {
        if (idPick % 6 == 0 && !model.transfers.isEmpty()) {
            return new ArrayList<>(model.transfers.keySet()).get(idPick % model.transfers.size());
        }
        return "x" + transferCounter++;
    }

    private void runMove(Move move) {
        String debit = pickAccount(move.debitPick());
        List<String> sameCurrency = model.accounts.values().stream()
                .filter(a -> a.currency.equals(currencyOf(debit)) && !a.id.equals(debit)).map(a -> a.id).toList();
        String credit = move.creditPick() % 10 < 9 && !sameCurrency.isEmpty()
                ? sameCurrency.get(move.creditPick() % sameCurrency.size()) : pickAccount(move.creditPick());
        CurrencyCode currency = move.currencyPick() % 20 == 0 ? CURRENCIES.get(move.currencyPick() / 20 % 3)
                : currencyOf(debit);
        Money amount = switch (move.amountMode()) {
            case 0 -> Money.zero(currency);
            case 1 -> new Money(-move.minor(), currency);
            case 2 -> new Money(Money.AMOUNT_MINOR_MAX + 1, currency);
            default -> new Money(move.minor(), currency);
        };
        Long validMinor = move.amountMode() > 2 ? move.minor() : null;
        // amountMode 0-2 above: zero, negative, above the maximum
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
        Object command = new TransferCommands.CreateTransfer(tenant.tenant(), TransferId.of(id), AccountId.of(debit),
                AccountId.of(credit), amount, move.pending(), timeout, Map.of("n", String.valueOf(transferCounter)));
        Set<RejectionCode> mayReject = model.transferRejections(id, debit, credit, currency, validMinor,
                timeoutInvalid);
        Instant expiresAt = timeout == null ? null : Ts6.parse(Ts6.format(ledger.now().plus(timeout)));
        if (expect("Move", command, mayReject, 3)) {
            model.transfer(id, debit, credit, currency, validMinor, move.pending(), expiresAt);
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
        if (expect("Entry", tenant.entry(id, legs), mayReject, 1 + legs.size())) {
            model.entry(id, modelLegs);
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
        if (expect("Post", tenant.post(id, amount), mayReject, 3)) {
            if (posted < transfer.reserved) {
                shapes.collect("partial post");
            }
            model.post(id, posted);
        }
    }

    private void runVoid(VoidPending voidPending) {
        String id = pickTransfer(voidPending.transferPick());
        if (expect("Void", tenant.voidPending(id), model.voidRejections(id), 3)) {
            model.release(id, TransferStatus.VOIDED);
        }
    }

    private void runAdvance(Advance advance) {
        long before = ledger.eventCount();
        ledger.advanceTime(Duration.ofSeconds(advance.seconds()));
        int expired = model.expireDue(ledger.now());
        assertThat(ledger.eventCount() - before).as("events of expiries").isEqualTo(3L * expired);
        outcomes.collect(expired > 0 ? "Advance:expired" : "Advance:nothing due");
    }

    private void runStatus(Status status) {
        String id = pickAccount(status.pick());
        Object command = switch (status.change()) {
            case FREEZE -> tenant.freeze(id);
            case UNFREEZE -> tenant.unfreeze(id);
            case CLOSE -> tenant.close(id);
        };
        LedgerModel.Account account = model.account(id);
        if (account == null) {
            long before = ledger.eventCount();
            assertThat(catchThrowable(() -> ledger.send(command))).isInstanceOf(AggregateNotFoundException.class);
            assertThat(ledger.eventCount()).isEqualTo(before);
            return;
        }
        AccountStatus target = switch (status.change()) {
            case FREEZE -> account.status == AccountStatus.OPEN
                    ? AccountStatus.FROZEN : account.status;
            case UNFREEZE -> account.status == AccountStatus.FROZEN
                    ? AccountStatus.OPEN : account.status;
            case CLOSE -> AccountStatus.CLOSED;
        };
        Set<RejectionCode> mayReject = model.statusRejections(id, status.change() == StatusChange.CLOSE);
        if (expect(status.change().name(), command, mayReject, target == account.status ? 0 : 1)) {
            account.status = target;
        }
    }

    // ---- after a session ----

    private List<AccountSnapshot> snapshots() {
        return model.accounts.keySet().stream().map(id -> ledger.account(tenantId, id)).toList();
    }

    private void assertAggregatesMatchTheModel() {
        for (AccountSnapshot actual : snapshots()) {
            LedgerModel.Account expected = model.account(actual.accountId());
            assertThat(actual.status()).as("status of %s", actual.accountId()).isEqualTo(expected.status);
            assertThat(actual.currency()).as("currency of %s", actual.accountId()).isEqualTo(expected.currency);
            assertThat(new long[] {actual.debitsPosted(), actual.creditsPosted(), actual.debitsPending(),
                    actual.creditsPending()}).as("debits/credits posted/pending of %s", actual.accountId())
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
        for (AccountSnapshot account : snapshots()) {
            String currency = account.currency().code();
            posted.merge(currency, account.debitsPosted() - account.creditsPosted(), Math::addExact);
            pendingDebits.merge(currency, account.debitsPending(), Math::addExact);
            pendingCredits.merge(currency, account.creditsPending(), Math::addExact);
        }
        assertThat(posted).as("debits - credits posted per currency").allSatisfy((c, n) -> assertThat(n).isZero());
        assertThat(pendingDebits).as("pending debits per currency = pending credits").isEqualTo(pendingCredits);
    }

    private void assertNoAccountPastItsOverdraftLimit() {
        for (AccountSnapshot account : snapshots()) {
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
