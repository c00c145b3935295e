package ledger.sagas.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.reconciliation.matching.Fix;
import ledger.reconciliation.matching.ItemKey;
import ledger.reconciliation.matching.ItemState;
import ledger.reconciliation.matching.Level;
import ledger.reconciliation.matching.MatchItem;
import ledger.reconciliation.matching.Matcher;
import ledger.reconciliation.matching.RuleSet;
import ledger.reconciliation.matching.Side;
import ledger.reconciliation.matching.Status;
import ledger.reconciliation.matching.Transition;
import ledger.sagas.reconciliation.ReconTables.Item;
import ledger.sagas.reconciliation.ReconTables.Upload;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordOutcome;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.Normalisation;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementRecordsIngested;
import ledger.sagas.reconciliation.ReconciliationEvents.StatementUploadStarted;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.eventhandling.Timestamp;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The continuous matcher (docs/reconciliation.md, "Continuous matching"): a tracking processor
 * that feeds every external record as it is ingested, and every ledger posting on a reconciled
 * account as it is committed, into one in-memory {@link Matcher} per tenant, and moves the
 * matchers' clocks on a schedule ({@link #tick}) so that items past their settlement window become
 * breaks. Each item's state is written to {@code recon_item} in the processor's transaction; each
 * match or break that changes is recorded as a {@link ReconciliationOutcomeRecorded} event (with
 * the L1 normalisations), so it is in the hash chain.
 *
 * <p>A reconciled account is a ledger account some upload was mapped to ({@code account}). The
 * processor's event source passes over every other ledger posting ({@link #concerns}), so ordinary
 * transfers cost it nothing; when an account first becomes reconciled, its postings so far are
 * taken from the account's statement ({@link PostingSource}).
 *
 * <p>After a restart, each tenant's matcher is rebuilt from its open items in {@code recon_item}
 * before the first event: the matcher's state depends on the set of open items only, not on the
 * order they came in.
 */
@ProcessingGroup(ContinuousMatching.GROUP)
public class ContinuousMatching {
    public static final String GROUP = "reconciliation-matcher";
    /** Metadata of a transfer that resolves a break (a correction or write-off): not an item to match. */
    public static final String RESOLVES_BREAK = "reconciliation.break";
    /** Metadata that gives a posting's value date (any format the rule set reads); else the day it was posted. */
    public static final String VALUE_DATE = "valueDate";

    /** The ledger as the matcher needs it: an account's postings so far (when it becomes reconciled), an account. */
    public interface PostingSource {
        List<Posting> postings(String tenant, String accountId);

        java.util.Optional<LedgerAccount> account(String tenant, String accountId);
    }

    /** A ledger account's currency and status (OPEN, FROZEN, CLOSED). */
    public record LedgerAccount(String currency, String status) {
    }

    /** What is done when a break opens (docs/reconciliation.md, "L3"): count it; for L3, freeze and alert. */
    public interface Alerts {
        /** A break that did not exist before; {@code ledgerAccount} is the reconciled account its items are on, or null. */
        void breakOpened(String tenant, ReconciliationOutcomeRecorded outcome, String ledgerAccount);
    }

    /** Reasons of the L3 breaks decided here rather than by the matcher: the mapped ledger account cannot take the item. */
    public static final String ACCOUNT_MISSING = "UNKNOWN_ACCOUNT";
    public static final String ACCOUNT_CLOSED = "ACCOUNT_CLOSED";
    public static final String CURRENCY_NOT_HELD = "UNKNOWN_CURRENCY";

    /** One posting on a reconciled account, money in positive. */
    public record Posting(String transferId, String accountId, BigDecimal amount, String currency, String valueDate,
                          String reference, String counterparty) {
    }

    private final DSLContext dsl;
    private final CommandGateway commands;
    private final TransactionManager transactions;
    private final PostingSource postings;
    private final RuleSet rules;
    private final Supplier<Instant> clock;
    private final Alerts alerts;
    /** tenant + '\n' + account: read by the event source's filter on the processor's reading thread. */
    private final Set<String> reconciled = ConcurrentHashMap.newKeySet();
    private final Map<String, Book> books = new HashMap<>();
    private volatile boolean accountsLoaded;

    public ContinuousMatching(DSLContext dsl, CommandGateway commands, TransactionManager transactions,
                              PostingSource postings, RuleSet rules, Supplier<Instant> clock, Alerts alerts) {
        this.alerts = alerts;
        this.dsl = dsl;
        this.commands = commands;
        this.transactions = transactions;
        this.postings = postings;
        this.rules = rules;
        this.clock = clock;
    }

    /** One tenant's matcher and which items each of its outcomes holds. */
    private static final class Book {
        final Matcher matcher;
        final Map<String, Set<ItemKey>> members = new HashMap<>();

        Book(Matcher matcher) {
            this.matcher = matcher;
        }
    }

    // ---------------------------------------------------------------- which events

    /** Whether the processor reads an event: the uploads' events, and postings on reconciled accounts. */
    public boolean concerns(Object payload) {
        if (payload instanceof TransferPosted posted) {
            loadAccounts();
            for (Leg leg : posted.legs()) {
                if (reconciled.contains(posted.tenant() + '\n' + leg.accountId())) {
                    return true;
                }
            }
            return false;
        }
        return payload instanceof StatementUploadStarted || payload instanceof StatementRecordsIngested;
    }

    private void loadAccounts() {
        if (!accountsLoaded) {
            for (Record r : dsl.selectDistinct(Upload.TENANT, Upload.LEDGER_ACCOUNT).from(Upload.T)
                    .where(Upload.LEDGER_ACCOUNT.isNotNull()).fetch()) {
                reconciled.add(r.get(Upload.TENANT) + '\n' + r.get(Upload.LEDGER_ACCOUNT));
            }
            accountsLoaded = true;
        }
    }

    // ---------------------------------------------------------------- events

    @EventHandler
    synchronized void on(StatementUploadStarted started) {
        if (started.ledgerAccount() == null) {
            return;
        }
        loadAccounts();
        boolean added = reconciled.add(started.tenant() + '\n' + started.ledgerAccount());
        boolean known = dsl.fetchExists(dsl.selectOne().from(Item.T).where(Item.TENANT.eq(started.tenant())
                .and(Item.SIDE.eq(Side.LEDGER.name())).and(Item.LEDGER_ACCOUNT.eq(started.ledgerAccount()))));
        if (added || !known) {
            // postings made before the account was reconciled (and those the filter passed over meanwhile)
            for (Posting p : postings.postings(started.tenant(), started.ledgerAccount())) {
                arriveLedger(started.tenant(), p);
            }
        }
    }

    @EventHandler
    synchronized void on(TransferPosted posted, @Timestamp Instant at) {
        if (posted.metadata() != null && posted.metadata().containsKey(RESOLVES_BREAK)) {
            return;
        }
        String date = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
        for (Leg leg : posted.legs()) {
            if (reconciled.contains(posted.tenant() + '\n' + leg.accountId())) {
                BigDecimal amount = new BigDecimal(leg.amount());
                // money into a reconciled (bank or clearing, asset) account is a debit of it
                BigDecimal signed = "debit".equals(leg.side()) ? amount : amount.negate();
                Map<String, String> metadata = posted.metadata() == null ? Map.of() : posted.metadata();
                arriveLedger(posted.tenant(), new Posting(posted.transferId(), leg.accountId(), signed, leg.currency(),
                        metadata.getOrDefault(VALUE_DATE, date), metadata.getOrDefault("reference", posted.transferId()),
                        metadata.get("counterparty")));
            }
        }
    }

    @EventHandler
    synchronized void on(StatementRecordsIngested chunk) {
        String ledgerAccount = dsl.select(Upload.LEDGER_ACCOUNT).from(Upload.T)
                .where(Upload.TENANT.eq(chunk.tenant()).and(Upload.ID.eq(chunk.uploadId())))
                .fetchOne(Upload.LEDGER_ACCOUNT);
        Book book = book(chunk.tenant());
        java.util.Optional<LedgerAccount> account = ledgerAccount == null ? java.util.Optional.empty()
                : postings.account(chunk.tenant(), ledgerAccount);
        List<Transition> transitions = new ArrayList<>();
        for (ExternalRecord r : chunk.records()) {
            Side side = Side.valueOf(r.side());
            String l3 = ledgerAccount == null ? null
                    : account.isEmpty() ? ACCOUNT_MISSING
                    : "CLOSED".equals(account.get().status()) ? ACCOUNT_CLOSED
                    : !account.get().currency().equalsIgnoreCase(r.currency().trim()) ? CURRENCY_NOT_HELD
                    : null;
            if (l3 != null) {
                dsl.update(Item.T).set(Item.LEDGER_ACCOUNT, ledgerAccount)
                        .where(Item.TENANT.eq(chunk.tenant()).and(Item.SIDE.eq(r.side())).and(Item.ID.eq(r.itemId())))
                        .execute();
                breakAtOnce(chunk.tenant(), ItemKey.of(side, r.itemId()), l3, ledgerAccount, account, r);
                continue;
            }
            MatchItem item = new MatchItem(ItemKey.of(side, r.itemId()), r.reference(), r.groupKey(),
                    new BigDecimal(r.amount()), r.currency(), r.valueDate(),
                    ledgerAccount != null ? ledgerAccount : r.account(), r.counterparty());
            dsl.update(Item.T).set(Item.LEDGER_ACCOUNT, ledgerAccount)
                    .where(Item.TENANT.eq(chunk.tenant()).and(Item.SIDE.eq(r.side())).and(Item.ID.eq(r.itemId())))
                    .execute();
            transitions.addAll(arrive(book, item));
        }
        apply(chunk.tenant(), book, transitions);
    }

    /**
     * An item the mapped ledger account cannot take (missing, closed, another currency) is an L3
     * break of its own, never matched: it is decided here, not by the matcher.
     */
    private void breakAtOnce(String tenant, ItemKey key, String reason, String ledgerAccount,
                             java.util.Optional<LedgerAccount> account, ExternalRecord r) {
        String matcherId = "break:" + key + ":" + reason;
        String id = outcomeId(matcherId);
        String detail = switch (reason) {
            case ACCOUNT_MISSING -> "ledger account " + ledgerAccount + " does not exist";
            case ACCOUNT_CLOSED -> "ledger account " + ledgerAccount + " is closed";
            default -> "ledger account " + ledgerAccount + " holds " + account.map(LedgerAccount::currency).orElse("?")
                    + ", the item is in " + r.currency();
        };
        int updated = dsl.update(Item.T).set(Item.STATUS, Status.BREAK.name()).set(Item.OUTCOME_ID, id)
                .set(Item.REASON, reason).set(Item.LEVEL, Level.L3.name())
                .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(key.side().name())).and(Item.ID.eq(key.id())))
                .and(Item.STATUS.isNull())
                .execute();
        if (updated == 0) {
            return; // decided before
        }
        boolean isNew = !outcomeExists(tenant, id);
        ReconciliationOutcomeRecorded outcome = new ReconciliationOutcomeRecorded(tenant, id, matcherId,
                Status.BREAK.name(), null, reason, Level.L3.name(), detail, List.of(key.toString()), List.of());
        commands.sendAndWait(new RecordOutcome(outcome));
        // it is closed for the matcher at once: nothing can match it
        dsl.update(Item.T).set(Item.CLOSED, true)
                .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(key.side().name())).and(Item.ID.eq(key.id())))
                .execute();
        if (isNew) {
            alerts.breakOpened(tenant, outcome, ledgerAccount);
        }
    }

    private boolean outcomeExists(String tenant, String id) {
        return dsl.fetchExists(dsl.selectOne().from(ReconTables.OutcomeRow.T).where(ReconTables.OutcomeRow.TENANT
                .eq(tenant).and(ReconTables.OutcomeRow.ID.eq(id)).and(ReconTables.OutcomeRow.STATUS.eq("BREAK"))));
    }

    @ResetHandler
    synchronized void reset() {
        books.clear();
        dsl.deleteFrom(Item.T).where(Item.SIDE.eq(Side.LEDGER.name())).execute();
        dsl.update(Item.T).set(Item.STATUS, (String) null).set(Item.OUTCOME_ID, (String) null)
                .set(Item.CLOSED, false).execute();
        dsl.deleteFrom(ReconTables.OutcomeRow.T).execute();
    }

    /** Moves every tenant's matcher to now: items past their settlement window become breaks. */
    public synchronized void tick() {
        Instant now = clock.get();
        transactions.executeInTransaction(() -> {
            for (Map.Entry<String, Book> e : books.entrySet()) {
                if (now.isAfter(e.getValue().matcher.now())) {
                    apply(e.getKey(), e.getValue(), e.getValue().matcher.advanceTo(now));
                }
            }
        });
    }

    // ---------------------------------------------------------------- matching

    private void arriveLedger(String tenant, Posting p) {
        String id = p.transferId() + "@" + p.accountId();
        int inserted = dsl.insertInto(Item.T)
                .set(Item.TENANT, tenant).set(Item.SIDE, Side.LEDGER.name()).set(Item.ID, id)
                .set(Item.REFERENCE, p.reference()).set(Item.AMOUNT, p.amount()).set(Item.CURRENCY, p.currency())
                .set(Item.VALUE_DATE, p.valueDate()).set(Item.ACCOUNT, p.accountId())
                .set(Item.COUNTERPARTY, p.counterparty()).set(Item.TRANSFER_ID, p.transferId())
                .set(Item.LEDGER_ACCOUNT, p.accountId())
                .onConflictDoNothing()
                .execute();
        if (inserted == 0) {
            return; // taken before (from the account's statement, or delivered again)
        }
        Book book = book(tenant);
        MatchItem item = new MatchItem(ItemKey.of(Side.LEDGER, id), p.reference(), null, p.amount(), p.currency(),
                p.valueDate(), p.accountId(), p.counterparty());
        apply(tenant, book, arrive(book, item));
    }

    private List<Transition> arrive(Book book, MatchItem item) {
        Instant now = clock.get();
        List<Transition> transitions = new ArrayList<>();
        if (now.isAfter(book.matcher.now())) {
            transitions.addAll(book.matcher.advanceTo(now));
        }
        transitions.addAll(book.matcher.arrive(item));
        return transitions;
    }

    private Book book(String tenant) {
        Book book = books.get(tenant);
        if (book == null) {
            book = new Book(new Matcher(rules, clock.get()));
            // rebuild from the open items: their states come out as stored
            for (Record r : dsl.select(Item.SIDE, Item.ID, Item.REFERENCE, Item.GROUP_KEY, Item.AMOUNT, Item.CURRENCY,
                            Item.VALUE_DATE, Item.LEDGER_ACCOUNT, Item.ACCOUNT, Item.COUNTERPARTY)
                    .from(Item.T)
                    .where(Item.TENANT.eq(tenant).and(Item.STATUS.isNotNull()).and(Item.CLOSED.isFalse()))
                    .orderBy(Item.SIDE, Item.ID)
                    .fetch()) {
                String account = r.get(Item.LEDGER_ACCOUNT) != null ? r.get(Item.LEDGER_ACCOUNT) : r.get(Item.ACCOUNT);
                MatchItem item = new MatchItem(ItemKey.of(Side.valueOf(r.get(Item.SIDE)), r.get(Item.ID)),
                        r.get(Item.REFERENCE), r.get(Item.GROUP_KEY), r.get(Item.AMOUNT), r.get(Item.CURRENCY),
                        r.get(Item.VALUE_DATE), account, r.get(Item.COUNTERPARTY));
                for (Transition t : book.matcher.arrive(item)) {
                    track(book, t);
                }
            }
            books.put(tenant, book);
        }
        return book;
    }

    private static void track(Book book, Transition t) {
        String before = t.before() == null ? null : t.before().outcomeId();
        String after = t.after().outcomeId();
        if (before != null && !before.equals(after)) {
            Set<ItemKey> members = book.members.get(before);
            if (members != null) {
                members.remove(t.key());
                if (members.isEmpty()) {
                    book.members.remove(before);
                }
            }
        }
        if (after != null) {
            book.members.computeIfAbsent(after, k -> new TreeSet<>()).add(t.key());
        }
    }

    /** Writes the changed items' states and records every outcome they left or joined. */
    private void apply(String tenant, Book book, List<Transition> transitions) {
        if (transitions.isEmpty()) {
            return;
        }
        Set<String> changed = new HashSet<>();
        Map<ItemKey, ItemState> last = new LinkedHashMap<>();
        for (Transition t : transitions) {
            track(book, t);
            if (t.before() != null && t.before().outcomeId() != null) {
                changed.add(t.before().outcomeId());
            }
            if (t.after().outcomeId() != null) {
                changed.add(t.after().outcomeId());
            }
            last.put(t.key(), t.after());
        }
        for (ItemState s : last.values()) {
            dsl.update(Item.T)
                    .set(Item.STATUS, s.status().name())
                    .set(Item.OUTCOME_ID, s.outcomeId() == null ? null : outcomeId(s.outcomeId()))
                    .set(Item.KIND, s.kind() == null ? null : s.kind().name())
                    .set(Item.REASON, s.reason() == null ? null : s.reason().name())
                    .set(Item.LEVEL, s.level() == null ? null : s.level().name())
                    .set(Item.FIXES, s.fixes().isEmpty() ? null : OutcomeProjection.json(s.fixes()))
                    .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(s.key().side().name())).and(Item.ID.eq(s.key().id())))
                    .execute();
        }
        for (String matcherId : new TreeSet<>(changed)) {
            ReconciliationOutcomeRecorded outcome = outcome(tenant, book, matcherId);
            boolean isNew = Status.BREAK.name().equals(outcome.status()) && !outcomeExists(tenant, outcome.outcomeId());
            commands.sendAndWait(new RecordOutcome(outcome));
            if (isNew) {
                String account = book.members.getOrDefault(matcherId, Set.of()).stream()
                        .map(k -> dsl.select(Item.LEDGER_ACCOUNT).from(Item.T).where(Item.TENANT.eq(tenant)
                                .and(Item.SIDE.eq(k.side().name())).and(Item.ID.eq(k.id()))).fetchOne(Item.LEDGER_ACCOUNT))
                        .filter(a -> a != null).findFirst().orElse(null);
                alerts.breakOpened(tenant, outcome, account);
            }
        }
        for (ItemState closed : book.matcher.drainClosed()) {
            dsl.update(Item.T).set(Item.CLOSED, true)
                    .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(closed.key().side().name()))
                            .and(Item.ID.eq(closed.key().id())))
                    .execute();
        }
    }

    private static ReconciliationOutcomeRecorded outcome(String tenant, Book book, String matcherId) {
        Set<ItemKey> members = book.members.getOrDefault(matcherId, Set.of());
        List<ItemState> states = new ArrayList<>();
        for (ItemKey key : members) {
            book.matcher.state(key).ifPresent(states::add);
        }
        if (states.isEmpty()) {
            return new ReconciliationOutcomeRecorded(tenant, outcomeId(matcherId), matcherId, "DISSOLVED", null, null,
                    null, null, List.of(), List.of());
        }
        ItemState first = states.get(0);
        List<Normalisation> fixes = new ArrayList<>();
        for (ItemState s : states) {
            for (Fix f : s.fixes()) {
                fixes.add(new Normalisation(s.key().toString(), f.field(), f.original(), f.normalised(), f.rule()));
            }
        }
        Level level = first.status() == Status.MATCHED ? (fixes.isEmpty() ? null : Level.L1)
                : first.reason().level();
        return new ReconciliationOutcomeRecorded(tenant, outcomeId(matcherId), matcherId, first.status().name(),
                first.kind() == null ? null : first.kind().name(), first.reason() == null ? null : first.reason().name(),
                level == null ? null : level.name(), first.detail(),
                states.stream().map(s -> s.key().toString()).toList(), fixes);
    }

    /** A short, stable id for an outcome: {@code m-} (a match) or {@code b-} (a break) and 20 hex digits of the SHA-256 of the matcher's id. */
    static String outcomeId(String matcherId) {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(matcherId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return (matcherId.startsWith("match:") ? "m-" : "b-") + HexFormat.of().formatHex(hash, 0, 10);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
