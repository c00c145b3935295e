package ledger.sagas.reconciliation;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
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
import ledger.sagas.reconciliation.ReconTables.OutcomeRow;
import ledger.sagas.reconciliation.ReconTables.Upload;
import ledger.sagas.reconciliation.ReconciliationCommands.RecordOutcomes;
import ledger.sagas.reconciliation.ReconciliationEvents.ExternalRecord;
import ledger.sagas.reconciliation.ReconciliationEvents.Normalisation;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationBreakResolved;
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
import org.jooq.Query;
import org.jooq.Record;

/**
 * The continuous matcher (docs/reconciliation.md, "Continuous matching"): a tracking processor
 * that feeds every external record as it is ingested, and every ledger posting on a reconciled
 * account as it is committed, into one in-memory {@link Matcher} per tenant, and moves the
 * matchers' clocks on a schedule ({@link #tick}) so that items past their settlement window become
 * breaks. Each item's state is written to {@code recon_item} in the processor's transaction; the
 * matches and breaks that change in one event's handling (or one tick) are recorded together by one
 * command as one {@link ReconciliationEvents.ReconciliationOutcomesRecorded} event (with the L1
 * normalisations), so they are in the hash chain without a command per break.
 *
 * <p>A reconciled account is a ledger account some upload was mapped to ({@code account}). The
 * processor's event source passes over every other ledger posting ({@link #concerns}), so ordinary
 * transfers cost it nothing; when an account first becomes reconciled, its postings so far are
 * taken from the account's statement ({@link PostingSource}).
 *
 * <p>Memory holds open items only: the matcher closes matches and breaks once final (past their
 * windows, resolved, or L3) and they are then marked {@code closed} and forgotten here too.
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

    /** The ledger as the matcher needs it: an account's postings so far (when it becomes reconciled), an account, a transfer's metadata. */
    public interface PostingSource {
        List<Posting> postings(String tenant, String accountId);

        Optional<LedgerAccount> account(String tenant, String accountId);

        /** A transfer's metadata (a pending transfer's, when it is posted later); empty if none or unknown. */
        Map<String, String> metadata(String tenant, String transferId);
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

    /** One tenant's matcher and which items each of its open outcomes holds. */
    private static final class Book {
        final Matcher matcher;
        final Map<String, Set<ItemKey>> members = new HashMap<>();

        Book(Matcher matcher) {
            this.matcher = matcher;
        }
    }

    /** What one event's handling (or one tick) decided: written and recorded together by {@link #flush}. */
    private static final class Decisions {
        final List<Transition> transitions = new ArrayList<>();
        /** L3 breaks decided here (not by the matcher), with the reconciled account. */
        final List<ReconciliationOutcomeRecorded> atOnce = new ArrayList<>();
        final Map<String, String> atOnceAccount = new HashMap<>();
    }

    /** A break that opened, with its reconciled account: its alert is raised once its decision is recorded. */
    private record Opened(String tenant, ReconciliationOutcomeRecorded outcome, String account) {
    }

    /**
     * Alerts whose raising waits for the transaction that recorded their breaks: a freeze is a ledger
     * command of its own, which must not wait for a transaction that waits for it (the tick and a
     * change of rules record in a transaction of their own; the processor's events are appended only
     * when its batch commits, so its alerts are raised at once).
     */
    private List<Opened> deferred;

    // ---------------------------------------------------------------- which events

    /** Whether the processor reads an event: the uploads' events, resolutions, and postings on reconciled accounts. */
    public boolean concerns(Object payload) {
        if (payload instanceof TransferPosted posted) {
            loadAccounts();
            for (Leg leg : posted.legs()) {
                if (isReconciled(posted.tenant(), leg.accountId())) {
                    return true;
                }
            }
            return false;
        }
        if (payload instanceof PendingTransferPosted posted) {
            loadAccounts();
            return isReconciled(posted.tenant(), posted.debitAccount())
                    || isReconciled(posted.tenant(), posted.creditAccount());
        }
        return payload instanceof StatementUploadStarted || payload instanceof StatementRecordsIngested
                || payload instanceof ReconciliationBreakResolved;
    }

    /**
     * Whether any account is reconciled yet: while none is, no posting concerns the processor, and
     * its filter need not read (deserialize) a posting to say so.
     */
    public boolean reconcilesAny() {
        loadAccounts();
        return !reconciled.isEmpty();
    }

    private boolean isReconciled(String tenant, String account) {
        return reconciled.contains(tenant + '\n' + account);
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
            Book book = book(started.tenant());
            Decisions decisions = new Decisions();
            for (Posting p : postings.postings(started.tenant(), started.ledgerAccount())) {
                arriveLedger(started.tenant(), book, p, decisions);
            }
            flush(started.tenant(), book, decisions);
        }
    }

    @EventHandler
    synchronized void on(TransferPosted posted, @Timestamp Instant at) {
        if (posted.metadata() != null && posted.metadata().containsKey(RESOLVES_BREAK)) {
            return;
        }
        Map<String, String> metadata = posted.metadata() == null ? Map.of() : posted.metadata();
        Book book = null;
        Decisions decisions = new Decisions();
        for (Leg leg : posted.legs()) {
            if (isReconciled(posted.tenant(), leg.accountId())) {
                book = book == null ? book(posted.tenant()) : book;
                // money into a reconciled (bank or clearing, asset) account is a debit of it
                arriveLedger(posted.tenant(), book, posting(posted.transferId(), leg.accountId(), leg.amount(),
                        "debit".equals(leg.side()), leg.currency(), metadata, at), decisions);
            }
        }
        if (book != null) {
            flush(posted.tenant(), book, decisions);
        }
    }

    /** A pending transfer posted later: an item like a posted transfer, with the amount actually posted. */
    @EventHandler
    synchronized void on(PendingTransferPosted posted, @Timestamp Instant at) {
        boolean debit = isReconciled(posted.tenant(), posted.debitAccount());
        boolean credit = isReconciled(posted.tenant(), posted.creditAccount());
        if (!debit && !credit) {
            return;
        }
        Map<String, String> metadata = postings.metadata(posted.tenant(), posted.transferId());
        if (metadata.containsKey(RESOLVES_BREAK)) {
            return;
        }
        Book book = book(posted.tenant());
        Decisions decisions = new Decisions();
        if (debit) {
            arriveLedger(posted.tenant(), book, posting(posted.transferId(), posted.debitAccount(), posted.amount(), true,
                    posted.currency(), metadata, at), decisions);
        }
        if (credit) {
            arriveLedger(posted.tenant(), book, posting(posted.transferId(), posted.creditAccount(), posted.amount(), false,
                    posted.currency(), metadata, at), decisions);
        }
        flush(posted.tenant(), book, decisions);
    }

    private static Posting posting(String transferId, String account, String amount, boolean moneyIn, String currency,
                                   Map<String, String> metadata, Instant at) {
        BigDecimal value = new BigDecimal(amount);
        String date = at.atZone(ZoneOffset.UTC).toLocalDate().toString();
        return new Posting(transferId, account, moneyIn ? value : value.negate(), currency,
                metadata.getOrDefault(VALUE_DATE, date), metadata.getOrDefault("reference", transferId),
                metadata.get("counterparty"));
    }

    @EventHandler
    synchronized void on(StatementRecordsIngested chunk) {
        String ledgerAccount = dsl.select(Upload.LEDGER_ACCOUNT).from(Upload.T)
                .where(Upload.TENANT.eq(chunk.tenant()).and(Upload.ID.eq(chunk.uploadId())))
                .fetchOne(Upload.LEDGER_ACCOUNT);
        Book book = book(chunk.tenant());
        Optional<LedgerAccount> account = ledgerAccount == null ? Optional.empty()
                : postings.account(chunk.tenant(), ledgerAccount);
        if (ledgerAccount != null) {
            // the chunk's items are on the mapped account: one statement per side (a file has one side)
            Map<String, List<String>> bySide = new HashMap<>();
            for (ExternalRecord r : chunk.records()) {
                bySide.computeIfAbsent(r.side(), k -> new ArrayList<>()).add(r.itemId());
            }
            bySide.forEach((side, ids) -> dsl.update(Item.T).set(Item.LEDGER_ACCOUNT, ledgerAccount)
                    .where(Item.TENANT.eq(chunk.tenant()).and(Item.SIDE.eq(side)).and(Item.ID.in(ids)))
                    .execute());
        }
        Decisions decisions = new Decisions();
        List<ExternalRecord> refused = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        for (ExternalRecord r : chunk.records()) {
            Side side = Side.valueOf(r.side());
            String l3 = ledgerAccount == null ? null
                    : account.isEmpty() ? ACCOUNT_MISSING
                    : "CLOSED".equals(account.get().status()) ? ACCOUNT_CLOSED
                    : !account.get().currency().equalsIgnoreCase(r.currency().trim()) ? CURRENCY_NOT_HELD
                    : null;
            if (l3 != null) {
                refused.add(r);
                reasons.add(l3);
                continue;
            }
            MatchItem item = new MatchItem(ItemKey.of(side, r.itemId()), r.reference(), r.groupKey(),
                    new BigDecimal(r.amount()), r.currency(), r.valueDate(),
                    ledgerAccount != null ? ledgerAccount : r.account(), r.counterparty());
            decisions.transitions.addAll(arrive(book, item));
        }
        breakAtOnce(chunk.tenant(), refused, reasons, ledgerAccount, account, decisions);
        flush(chunk.tenant(), book, decisions);
    }

    /**
     * Items the mapped ledger account cannot take (missing, closed, another currency) are L3 breaks
     * of their own, never matched: decided here, not by the matcher, and closed at once.
     */
    private void breakAtOnce(String tenant, List<ExternalRecord> records, List<String> reasons, String ledgerAccount,
                             Optional<LedgerAccount> account, Decisions decisions) {
        if (records.isEmpty()) {
            return;
        }
        List<Query> updates = new ArrayList<>(records.size());
        List<ReconciliationOutcomeRecorded> outcomes = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            ExternalRecord r = records.get(i);
            String reason = reasons.get(i);
            ItemKey key = ItemKey.of(Side.valueOf(r.side()), r.itemId());
            String matcherId = "break:" + key + ":" + reason;
            String id = outcomeId(matcherId);
            String detail = switch (reason) {
                case ACCOUNT_MISSING -> "ledger account " + ledgerAccount + " does not exist";
                case ACCOUNT_CLOSED -> "ledger account " + ledgerAccount + " is closed";
                default -> "ledger account " + ledgerAccount + " holds " + account.map(LedgerAccount::currency).orElse("?")
                        + ", the item is in " + r.currency();
            };
            updates.add(dsl.update(Item.T).set(Item.STATUS, Status.BREAK.name()).set(Item.OUTCOME_ID, id)
                    .set(Item.REASON, reason).set(Item.LEVEL, Level.L3.name()).set(Item.CLOSED, true)
                    .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(key.side().name())).and(Item.ID.eq(key.id())))
                    .and(Item.STATUS.isNull()));
            outcomes.add(new ReconciliationOutcomeRecorded(tenant, id, matcherId, Status.BREAK.name(), null, reason,
                    Level.L3.name(), detail, List.of(key.toString()), List.of()));
        }
        int[] updated = dsl.batch(updates).execute();
        for (int i = 0; i < updated.length; i++) {
            if (updated[i] > 0) { // else decided before
                decisions.atOnce.add(outcomes.get(i));
                decisions.atOnceAccount.put(outcomes.get(i).outcomeId(), ledgerAccount);
            }
        }
    }

    /** A resolved break is final: its items leave the matcher (a later arrival opens a new break). */
    @EventHandler
    synchronized void on(ReconciliationBreakResolved resolved) {
        String matcherId = dsl.select(OutcomeRow.MATCHER_ID).from(OutcomeRow.T)
                .where(OutcomeRow.TENANT.eq(resolved.tenant()).and(OutcomeRow.ID.eq(resolved.outcomeId())))
                .fetchOne(OutcomeRow.MATCHER_ID);
        if (matcherId == null) {
            return;
        }
        Book book = book(resolved.tenant());
        Set<ItemKey> members = book.members.get(matcherId);
        if (members == null) {
            return; // closed already, or no longer this break
        }
        book.matcher.retire(matcherId, List.copyOf(members));
        flush(resolved.tenant(), book, new Decisions());
    }

    @ResetHandler
    synchronized void reset() {
        books.clear();
        dsl.deleteFrom(Item.T).where(Item.SIDE.eq(Side.LEDGER.name())).execute();
        dsl.update(Item.T).set(Item.STATUS, (String) null).set(Item.OUTCOME_ID, (String) null)
                .set(Item.CLOSED, false).execute();
        dsl.deleteFrom(OutcomeRow.T).execute();
    }

    /** Moves every tenant's matcher to now: items past their settlement window become breaks. */
    public synchronized void tick() {
        Instant now = clock.get();
        inOwnTransaction(() -> {
            for (Map.Entry<String, Book> e : books.entrySet()) {
                if (now.isAfter(e.getValue().matcher.now())) {
                    Decisions decisions = new Decisions();
                    decisions.transitions.addAll(e.getValue().matcher.advanceTo(now));
                    flush(e.getKey(), e.getValue(), decisions);
                }
            }
        });
    }

    /** Runs {@code work} in a transaction of its own; the alerts of breaks it opened are raised after its commit. */
    private void inOwnTransaction(Runnable work) {
        deferred = new ArrayList<>();
        List<Opened> raise;
        try {
            transactions.executeInTransaction(work);
            raise = deferred;
        } finally {
            deferred = null;
        }
        for (Opened o : raise) {
            alerts.breakOpened(o.tenant(), o.outcome(), o.account());
        }
    }

    /**
     * The tenant's rules changed (its known counterparties): its matcher is built again from the open
     * items under the new rules, and every item whose state changes with them is written and recorded
     * (an open item from a counterparty no longer known becomes an L3 break, with its alert).
     */
    public synchronized void rulesChanged(String tenant) {
        inOwnTransaction(() -> {
            books.remove(tenant);
            Map<ItemKey, String[]> stored = new HashMap<>();
            Book book = build(tenant, stored);
            Decisions decisions = new Decisions();
            List<ItemKey> changed = new ArrayList<>();
            Set<String> left = new HashSet<>();
            for (ItemKey key : stored.keySet()) {
                Optional<ItemState> now = book.matcher.state(key);
                String[] before = stored.get(key);
                if (now.isPresent() && (!now.get().status().name().equals(before[0])
                        || !java.util.Objects.equals(now.get().outcomeId() == null ? null : outcomeId(now.get().outcomeId()),
                        before[1]))) {
                    changed.add(key);
                    if (before[1] != null) {
                        left.add(before[1]);
                    }
                }
            }
            // the outcomes the changed items belonged to are recorded again (a match may dissolve)
            Map<String, String> matcherIds = left.isEmpty() ? Map.of()
                    : dsl.select(OutcomeRow.ID, OutcomeRow.MATCHER_ID).from(OutcomeRow.T)
                    .where(OutcomeRow.TENANT.eq(tenant).and(OutcomeRow.ID.in(left)))
                    .fetchMap(OutcomeRow.ID, OutcomeRow.MATCHER_ID);
            for (ItemKey key : changed) {
                String[] before = stored.get(key);
                String matcherId = before[1] == null ? null : matcherIds.get(before[1]);
                ItemState was = new ItemState(key, Status.valueOf(before[0]), matcherId, null, null, null, List.of());
                decisions.transitions.add(new Transition(key, was, book.matcher.state(key).orElseThrow()));
            }
            books.put(tenant, book);
            decisions.transitions.sort(java.util.Comparator.comparing(Transition::key));
            flush(tenant, book, decisions);
        });
    }

    // ---------------------------------------------------------------- matching

    private void arriveLedger(String tenant, Book book, Posting p, Decisions decisions) {
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
        MatchItem item = new MatchItem(ItemKey.of(Side.LEDGER, id), p.reference(), null, p.amount(), p.currency(),
                p.valueDate(), p.accountId(), p.counterparty());
        decisions.transitions.addAll(arrive(book, item));
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
            book = build(tenant, null);
            books.put(tenant, book);
            // items closed while it was rebuilt (past their windows meanwhile) are final
            markClosed(tenant, book, book.matcher.drainClosed());
        }
        return book;
    }

    /**
     * A matcher rebuilt from the tenant's open items under its rules (the known counterparties it set);
     * {@code stored}, if given, receives each item's stored status and outcome id.
     */
    private Book build(String tenant, Map<ItemKey, String[]> stored) {
        Book book = new Book(new Matcher(rulesOf(tenant), clock.get()));
        for (Record r : dsl.select(Item.SIDE, Item.ID, Item.REFERENCE, Item.GROUP_KEY, Item.AMOUNT, Item.CURRENCY,
                        Item.VALUE_DATE, Item.LEDGER_ACCOUNT, Item.ACCOUNT, Item.COUNTERPARTY, Item.STATUS, Item.OUTCOME_ID)
                .from(Item.T)
                .where(Item.TENANT.eq(tenant).and(Item.STATUS.isNotNull()).and(Item.CLOSED.isFalse()))
                .orderBy(Item.SIDE, Item.ID)
                .fetch()) {
            String account = r.get(Item.LEDGER_ACCOUNT) != null ? r.get(Item.LEDGER_ACCOUNT) : r.get(Item.ACCOUNT);
            ItemKey key = ItemKey.of(Side.valueOf(r.get(Item.SIDE)), r.get(Item.ID));
            MatchItem item = new MatchItem(key, r.get(Item.REFERENCE), r.get(Item.GROUP_KEY), r.get(Item.AMOUNT),
                    r.get(Item.CURRENCY), r.get(Item.VALUE_DATE), account, r.get(Item.COUNTERPARTY));
            if (stored != null) {
                stored.put(key, new String[] {r.get(Item.STATUS), r.get(Item.OUTCOME_ID)});
            }
            for (Transition t : book.matcher.arrive(item)) {
                track(book, t);
            }
        }
        return book;
    }

    /** The service's rule set with the tenant's known counterparties, when it set a list. */
    private RuleSet rulesOf(String tenant) {
        String[] known = dsl.select(ReconTables.Counterparties.NAMES).from(ReconTables.Counterparties.T)
                .where(ReconTables.Counterparties.TENANT.eq(tenant))
                .fetchOne(ReconTables.Counterparties.NAMES);
        return known == null ? rules : rules.withKnownCounterparties(Set.of(known));
    }

    private static void track(Book book, Transition t) {
        String before = t.before() == null ? null : t.before().outcomeId();
        String after = t.after().outcomeId();
        if (before != null && !before.equals(after)) {
            forget(book, before, t.key());
        }
        if (after != null) {
            book.members.computeIfAbsent(after, k -> new TreeSet<>()).add(t.key());
        }
    }

    private static void forget(Book book, String matcherId, ItemKey key) {
        Set<ItemKey> members = book.members.get(matcherId);
        if (members != null) {
            members.remove(key);
            if (members.isEmpty()) {
                book.members.remove(matcherId);
            }
        }
    }

    /**
     * Writes the changed items' states (one batch of statements), records every outcome they left or
     * joined that differs from its view, in commands of at most {@link
     * ReconciliationCommands#OUTCOMES_PER_EVENT} outcomes (one, mostly), raises the alerts of breaks
     * that are new, and marks the items the matcher closed.
     */
    private void flush(String tenant, Book book, Decisions decisions) {
        Set<String> changed = new TreeSet<>();
        Map<ItemKey, ItemState> last = new LinkedHashMap<>();
        for (Transition t : decisions.transitions) {
            track(book, t);
            if (t.before() != null && t.before().outcomeId() != null) {
                changed.add(t.before().outcomeId());
            }
            if (t.after().outcomeId() != null) {
                changed.add(t.after().outcomeId());
            }
            last.put(t.key(), t.after());
        }
        if (!last.isEmpty()) {
            writeStates(tenant, last.values());
        }
        List<ReconciliationOutcomeRecorded> outcomes = new ArrayList<>(decisions.atOnce);
        for (String matcherId : changed) {
            outcomes.add(outcome(tenant, book, matcherId));
        }
        record(tenant, book, outcomes, decisions.atOnceAccount);
        markClosed(tenant, book, book.matcher.drainClosed());
    }

    /**
     * The items' states in one statement (arrays unnested): a chunk's 500 updates as one round trip
     * and one plan, not 500 statements rendered and parsed one by one.
     */
    private void writeStates(String tenant, Collection<ItemState> states) {
        int n = states.size();
        String[] side = new String[n];
        String[] id = new String[n];
        String[] status = new String[n];
        String[] outcome = new String[n];
        String[] kind = new String[n];
        String[] reason = new String[n];
        String[] level = new String[n];
        String[] fixes = new String[n];
        int i = 0;
        for (ItemState s : states) {
            side[i] = s.key().side().name();
            id[i] = s.key().id();
            status[i] = s.status().name();
            outcome[i] = s.outcomeId() == null ? null : outcomeId(s.outcomeId());
            kind[i] = s.kind() == null ? null : s.kind().name();
            reason[i] = s.reason() == null ? null : s.reason().name();
            level[i] = s.level() == null ? null : s.level().name();
            fixes[i] = s.fixes().isEmpty() ? null : OutcomeProjection.json(s.fixes());
            i++;
        }
        dsl.execute("""
                UPDATE recon_item i SET status = u.status, outcome_id = u.outcome_id, kind = u.kind,
                       reason = u.reason, level = u.level, fixes = u.fixes
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                            ?::varchar[], ?::text[]) AS u(side, item_id, status, outcome_id, kind, reason, level, fixes)
                WHERE i.tenant = ? AND i.side = u.side AND i.item_id = u.item_id""",
                side, id, status, outcome, kind, reason, level, fixes, tenant);
    }

    private void record(String tenant, Book book, List<ReconciliationOutcomeRecorded> outcomes,
                        Map<String, String> accounts) {
        if (outcomes.isEmpty()) {
            return;
        }
        // the views as they are: a decision equal to its view records nothing; a break not a break before is new
        Map<String, View> known = new HashMap<>();
        List<String> ids = outcomes.stream().map(ReconciliationOutcomeRecorded::outcomeId).toList();
        for (Record r : dsl.select(OutcomeRow.ID, OutcomeRow.MATCHER_ID, OutcomeRow.STATUS, OutcomeRow.KIND,
                        OutcomeRow.REASON, OutcomeRow.LEVEL, OutcomeRow.DETAIL, OutcomeRow.ITEMS, OutcomeRow.FIXES)
                .from(OutcomeRow.T).where(OutcomeRow.TENANT.eq(tenant).and(OutcomeRow.ID.in(ids))).fetch()) {
            known.put(r.get(OutcomeRow.ID), new View(r.get(OutcomeRow.MATCHER_ID), r.get(OutcomeRow.STATUS),
                    r.get(OutcomeRow.KIND), r.get(OutcomeRow.REASON), r.get(OutcomeRow.LEVEL), r.get(OutcomeRow.DETAIL),
                    r.get(OutcomeRow.ITEMS), r.get(OutcomeRow.FIXES)));
        }
        List<ReconciliationOutcomeRecorded> toRecord = new ArrayList<>();
        List<ReconciliationOutcomeRecorded> opened = new ArrayList<>();
        for (ReconciliationOutcomeRecorded o : outcomes) {
            View before = known.get(o.outcomeId());
            if (before != null && sameAsView(o, before)) {
                continue;
            }
            toRecord.add(o);
            if (Status.BREAK.name().equals(o.status()) && (before == null || !Status.BREAK.name().equals(before.status()))) {
                opened.add(o);
            }
        }
        for (int from = 0; from < toRecord.size(); from += ReconciliationCommands.OUTCOMES_PER_EVENT) {
            List<ReconciliationOutcomeRecorded> part = List.copyOf(toRecord.subList(from,
                    Math.min(toRecord.size(), from + ReconciliationCommands.OUTCOMES_PER_EVENT)));
            commands.sendAndWait(new RecordOutcomes(tenant, UUID.randomUUID().toString(), part));
        }
        Map<String, String> l3Accounts = l3Accounts(tenant, opened, accounts);
        for (ReconciliationOutcomeRecorded o : opened) {
            if (deferred != null) {
                deferred.add(new Opened(tenant, o, l3Accounts.get(o.outcomeId())));
            } else {
                alerts.breakOpened(tenant, o, l3Accounts.get(o.outcomeId()));
            }
        }
    }

    /** The reconciled ledger account of each new L3 break (the alerts need it; L2 ones do not): one query. */
    private Map<String, String> l3Accounts(String tenant, List<ReconciliationOutcomeRecorded> opened,
                                           Map<String, String> known) {
        Map<String, String> result = new HashMap<>(known);
        Map<String, String> byItem = new HashMap<>();
        for (ReconciliationOutcomeRecorded o : opened) {
            if (Level.L3.name().equals(o.level()) && !result.containsKey(o.outcomeId())) {
                o.items().forEach(item -> byItem.put(item, o.outcomeId()));
            }
        }
        if (byItem.isEmpty()) {
            return result;
        }
        var condition = org.jooq.impl.DSL.noCondition();
        for (String item : byItem.keySet()) {
            int colon = item.indexOf(':');
            ItemKey key = ItemKey.of(Side.valueOf(item.substring(0, colon)), item.substring(colon + 1));
            condition = condition.or(Item.SIDE.eq(key.side().name()).and(Item.ID.eq(key.id())));
        }
        for (Record r : dsl.select(Item.SIDE, Item.ID, Item.LEDGER_ACCOUNT).from(Item.T)
                .where(Item.TENANT.eq(tenant)).and(condition).and(Item.LEDGER_ACCOUNT.isNotNull()).fetch()) {
            result.putIfAbsent(byItem.get(r.get(Item.SIDE) + ":" + r.get(Item.ID)), r.get(Item.LEDGER_ACCOUNT));
        }
        return result;
    }

    /** An outcome as its view holds it (items and fixes as JSON). */
    private record View(String matcherId, String status, String kind, String reason, String level, String detail,
                        String items, String fixes) {
    }

    private static boolean sameAsView(ReconciliationOutcomeRecorded next, View view) {
        return java.util.Objects.equals(next.status(), view.status()) && java.util.Objects.equals(next.kind(), view.kind())
                && java.util.Objects.equals(next.reason(), view.reason())
                && java.util.Objects.equals(next.level(), view.level())
                && java.util.Objects.equals(next.detail(), view.detail())
                && java.util.Objects.equals(next.matcherId(), view.matcherId())
                && OutcomeProjection.json(next.items()).equals(view.items())
                && OutcomeProjection.json(next.fixes()).equals(view.fixes());
    }

    /** Items the matcher closed are final: marked closed (not rebuilt after a restart) and forgotten here. */
    private void markClosed(String tenant, Book book, Collection<ItemState> closed) {
        if (closed.isEmpty()) {
            return;
        }
        Map<String, List<String>> bySide = new HashMap<>();
        for (ItemState s : closed) {
            bySide.computeIfAbsent(s.key().side().name(), k -> new ArrayList<>()).add(s.key().id());
            if (s.outcomeId() != null) {
                forget(book, s.outcomeId(), s.key());
            }
        }
        for (Map.Entry<String, List<String>> side : bySide.entrySet()) {
            List<String> ids = side.getValue();
            for (int from = 0; from < ids.size(); from += 1_000) {
                dsl.update(Item.T).set(Item.CLOSED, true)
                        .where(Item.TENANT.eq(tenant).and(Item.SIDE.eq(side.getKey()))
                                .and(Item.ID.in(ids.subList(from, Math.min(ids.size(), from + 1_000)))))
                        .execute();
            }
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
