package ledger.reconciliation.matching;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import ledger.domain.money.CurrencyCode;

/**
 * The incremental matcher: items of the three sides arrive one at a time, in any order, and each
 * arrival is matched at once against what is waiting. Pure and in memory; time moves only through
 * {@link #advanceTo(Instant)}. Not thread-safe: one reconciliation, one caller.
 *
 * <p>The state of every open item is a function of the set of open items, not of the order they
 * came in (docs/reconciliation.md, "Matching"): an arrival may therefore turn an earlier match
 * into an ambiguous break, and the returned {@link Transition}s say so. A match is closed (kept
 * as it is, whatever arrives later) once the settlement window of all its items has passed; a break
 * once the late-match window after that has passed too ({@link RuleSet#lateMatchWindow()}), or when
 * the caller says it was resolved ({@link #retire}). An L3 item is closed at once. Closed items
 * leave every index and are handed over by {@link #drainClosed()}, so memory holds open items only.
 *
 * <p>Two ways to match:
 * <ol>
 *   <li><b>by key</b>: items sharing a normalised reference (or a processor record's payout id and
 *   the bank entry carrying it as reference), clustered by value date, match when at most one
 *   side has several items and every side's total agrees within tolerance (one-to-one,
 *   one-to-many, many-to-one, three-way). A disagreeing total is an L2 break, several equally
 *   fitting items an ambiguous one.</li>
 *   <li><b>by amount</b>: an item without reference, or whose reference found no other side, pairs
 *   with an item of another side of the same currency, amount within tolerance, value date
 *   within the window and no contradicting counterparty, provided at least one of the two has no
 *   reference. Exactly two items connected this way match; more are ambiguous.</li>
 * </ol>
 */
public final class Matcher {
    private final RuleSet rules;
    private final Normaliser normaliser;
    private final Set<String> knownAccounts;
    private final Set<String> knownCounterparties;
    private Instant now;

    private final Map<ItemKey, Entry> live = new HashMap<>();
    private final Map<ItemKey, Entry> closed = new HashMap<>();
    private final Map<LocalDate, Instant> deadlineByDate = new HashMap<>();
    private final Map<String, KeyGroup> byKey = new HashMap<>();
    /** Items that may pair by amount: by currency, then by side, then sorted by amount (a tolerance search is a range). */
    private final Map<String, EnumMap<Side, TreeMap<BigDecimal, List<Entry>>>> pool = new HashMap<>();
    /** Open items by the instant their settlement window closes; few distinct instants (one per value date). */
    private final TreeMap<Instant, List<Entry>> deadlines = new TreeMap<>();
    /** Open items by the instant their late-match window closes (a break of theirs is then closed). */
    private final TreeMap<Instant, List<Entry>> retirements = new TreeMap<>();

    /** Entries whose state may change in the current operation, with their state before it. */
    private final Map<Entry, ItemState> touched = new IdentityHashMap<>();

    public Matcher(RuleSet rules, Instant now) {
        this.rules = Objects.requireNonNull(rules, "rules");
        this.now = Objects.requireNonNull(now, "now");
        this.normaliser = new Normaliser(rules);
        this.knownAccounts = rules.knownAccounts() == null ? null
                : rules.knownAccounts().stream().map(Normaliser::canonicalIdentifier).collect(Collectors.toUnmodifiableSet());
        this.knownCounterparties = rules.knownCounterparties() == null ? null
                : rules.knownCounterparties().stream().map(Normaliser::canonicalIdentifier).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * Takes one item and matches it against what is open. Returns every item whose state changed,
     * this one included, in key order. The same item delivered again changes nothing; another item
     * under a key already seen is refused.
     *
     * @throws IllegalArgumentException for an item the matcher cannot read (a date in no known
     *     format, more decimals than its currency has) or a reused key
     */
    public List<Transition> arrive(MatchItem item) {
        Entry known = live.get(item.key());
        Entry done = closed.get(item.key());
        if (known != null || done != null) {
            MatchItem earlier = known != null ? known.item : done.item;
            if (earlier.equals(item)) {
                return List.of();
            }
            throw new IllegalArgumentException("item " + item.key() + " arrived before with different content");
        }
        Entry e = entry(item);
        touched.clear();
        live.put(e.key, e);
        touch(e);
        if (e.alert != null) {
            // an L3 item is never matched: final at once
            live.remove(e.key);
            closed.put(e.key, e);
        } else {
            // An item that comes in after its window waits for nothing: unmatched, it is a break at once.
            e.expired = !e.deadline.isAfter(now);
            if (!e.expired) {
                deadlines.computeIfAbsent(e.deadline, d -> new ArrayList<>()).add(e);
            }
            Set<Entry> poolSeeds = new LinkedHashSet<>();
            if (e.matchKey != null) {
                byKey.computeIfAbsent(e.matchKey, k -> new KeyGroup()).add(e);
                reevaluateKey(e.matchKey, poolSeeds);
            } else {
                poolSeeds.add(e);
            }
            updatePool(poolSeeds);
            // A late item that completes a match of items all past their windows closes it now: no tick will.
            Verdict v = verdict(e);
            if (e.expired && v != null && v.status == Status.MATCHED && allExpired(v.members)) {
                close(v);
            }
            if (e.retireAt.isAfter(now)) {
                retirements.computeIfAbsent(e.retireAt, d -> new ArrayList<>()).add(e);
            } else {
                retireIfBreak(e);
            }
        }
        return finish();
    }

    /**
     * Moves the clock on: items still WAITING after their settlement window become breaks, and
     * matches whose items are all past it are closed.
     */
    public List<Transition> advanceTo(Instant instant) {
        if (instant.isBefore(now)) {
            throw new IllegalArgumentException("the clock does not go back: " + instant + " is before " + now);
        }
        now = instant;
        touched.clear();
        List<Entry> expired = new ArrayList<>();
        while (!deadlines.isEmpty() && !deadlines.firstKey().isAfter(now)) {
            for (Entry e : deadlines.pollFirstEntry().getValue()) {
                if (live.get(e.key) == e) {
                    e.expired = true;
                    touch(e);
                    expired.add(e);
                }
            }
        }
        for (Entry e : expired) {
            Verdict v = verdict(e);
            if (live.get(e.key) == e && v != null && v.status == Status.MATCHED && allExpired(v.members)) {
                close(v);
            }
        }
        while (!retirements.isEmpty() && !retirements.firstKey().isAfter(now)) {
            for (Entry e : retirements.pollFirstEntry().getValue()) {
                retireIfBreak(e);
            }
        }
        return finish();
    }

    /**
     * Closes the break {@code outcomeId} (as {@link ItemState#outcomeId()} names it) that these items
     * hold, whatever the time: it was resolved, so it is final and leaves memory. Items that no longer
     * belong to that break are left as they are. Changes no state; {@link #drainClosed()} hands them over.
     */
    public void retire(String outcomeId, java.util.Collection<ItemKey> keys) {
        touched.clear();
        for (ItemKey key : keys) {
            Entry e = live.get(key);
            if (e == null || e.state == null || !outcomeId.equals(e.state.outcomeId()) || e.state.status() != Status.BREAK) {
                continue;
            }
            Verdict v = verdict(e);
            if (v != null) {
                close(v);
            } else {
                closeAlone(e);
            }
        }
        finish();
    }

    /** Past its late-match window: an item that is (in) a break whose items are all past theirs is closed. */
    private void retireIfBreak(Entry e) {
        if (live.get(e.key) != e) {
            return;
        }
        Verdict v = verdict(e);
        if (v == null) {
            if (e.expired) {
                closeAlone(e);
            }
            return;
        }
        if (v.status == Status.BREAK) {
            for (Entry m : v.members) {
                if (m.retireAt.isAfter(now)) {
                    return; // the last member's retirement closes it
                }
            }
            close(v);
        }
    }

    /** Closes an item that belongs to no match or break of several items (unmatched after its window). */
    private void closeAlone(Entry e) {
        touch(e);
        e.closing = true;
        if (e.matchKey != null) {
            KeyGroup keyGroup = byKey.get(e.matchKey);
            if (keyGroup != null) {
                keyGroup.removeClosing();
                if (keyGroup.members.isEmpty()) {
                    byKey.remove(e.matchKey);
                }
            }
        }
        if (e.inPool) {
            poolRemove(e);
        }
        live.remove(e.key);
        closed.put(e.key, e);
    }

    private static boolean allExpired(List<Entry> members) {
        for (Entry m : members) {
            if (!m.expired) {
                return false;
            }
        }
        return true;
    }

    public Optional<ItemState> state(ItemKey key) {
        Entry e = live.get(key);
        if (e != null) {
            return Optional.of(e.state);
        }
        Entry c = closed.get(key);
        return c == null ? Optional.empty() : Optional.of(c.state);
    }

    /** Every item's state, open and closed, in key order. */
    public Map<ItemKey, ItemState> states() {
        Map<ItemKey, ItemState> all = new TreeMap<>();
        live.forEach((k, e) -> all.put(k, e.state));
        closed.forEach((k, c) -> all.put(k, c.state));
        return all;
    }

    /** Every current match and break with all its items, in id order. */
    public List<Outcome> outcomes() {
        Map<String, List<ItemState>> byOutcome = new TreeMap<>();
        for (ItemState s : states().values()) {
            if (s.outcomeId() != null) {
                byOutcome.computeIfAbsent(s.outcomeId(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Outcome> result = new ArrayList<>(byOutcome.size());
        byOutcome.forEach((id, members) -> {
            ItemState first = members.get(0);
            result.add(new Outcome(id, first.status(), first.kind(), first.reason(), first.detail(),
                    members.stream().map(ItemState::key).toList(),
                    members.stream().flatMap(m -> m.fixes().stream()).toList()));
        });
        return result;
    }

    /**
     * Hands over the closed items (final matches) and forgets them, so a long-running matcher's
     * memory holds only open items. The caller stores them; the matcher will then no longer
     * recognise a redelivery of those keys, so the caller's own idempotency must.
     */
    public List<ItemState> drainClosed() {
        List<ItemState> done = new ArrayList<>(closed.size());
        closed.values().forEach(c -> done.add(c.state));
        done.sort(Comparator.comparing(ItemState::key));
        closed.clear();
        return done;
    }

    public Instant now() {
        return now;
    }

    // ---------------------------------------------------------------- arrival

    private Entry entry(MatchItem item) {
        List<Fix> fixes = new ArrayList<>();
        Optional<CurrencyCode> currency = normaliser.currency(item.currency(), fixes);
        LocalDate date = normaliser.date(item.valueDate(), fixes);
        String account = normaliser.identifier("account", item.account(), fixes);
        String counterparty = normaliser.identifier("counterparty", item.counterparty(), fixes);
        String group = normaliser.reference("groupKey", item.groupKey(), fixes);
        String reference = normaliser.reference("reference", item.reference(), fixes);
        BigDecimal amount = currency.isPresent() ? normaliser.amount(item.amount(), currency.get(), fixes) : item.amount();
        Instant deadline = deadlineByDate.computeIfAbsent(date,
                d -> d.atStartOfDay(rules.zone()).toInstant().plus(rules.settlementWindow()));
        Entry e = new Entry(item, group != null ? group : reference, group != null, amount,
                currency.map(CurrencyCode::code).orElse(item.currency()), date, counterparty, fixes, deadline,
                deadline.plus(rules.lateMatchWindow()));
        if (currency.isEmpty()) {
            e.alert = BreakReason.UNKNOWN_CURRENCY;
            e.alertDetail = "currency \"" + item.currency() + "\" is not known";
        } else if (knownAccounts != null && (account == null || !knownAccounts.contains(account))) {
            e.alert = BreakReason.UNKNOWN_ACCOUNT;
            e.alertDetail = account == null ? "the item names no account" : "account " + account + " is not one of ours";
        } else if (knownCounterparties != null && item.key().side() != Side.LEDGER && counterparty != null
                && !knownCounterparties.contains(counterparty)) {
            // the ledger's own postings are what the books know; a bank or processor naming a stranger is not
            e.alert = BreakReason.UNKNOWN_COUNTERPARTY;
            e.alertDetail = "counterparty " + counterparty + " is not known";
        }
        return e;
    }

    // ---------------------------------------------------------------- matching by key

    private void reevaluateKey(String key, Set<Entry> poolSeeds) {
        KeyGroup keyGroup = byKey.get(key);
        List<Entry> members = keyGroup.members;
        boolean group = keyGroup.group;
        if (Integer.bitCount(keyGroup.sides) < 2) {
            // One side only: nobody else's verdict changes (a payout's records waiting for their bank line).
            Entry newest = members.get(members.size() - 1);
            newest.tier1 = null;
            if (!newest.fromGroup && eligibleForPool(newest) != newest.inPool) {
                poolSeeds.add(newest);
            }
            return;
        }
        // A payout's records span the days before it; references recur (monthly), so they are split by date.
        List<List<Entry>> clusters = group ? List.of(members) : clusterByDate(members);
        for (List<Entry> cluster : clusters) {
            int sides = 0;
            for (Entry m : cluster) {
                sides |= 1 << m.key.side().ordinal();
            }
            Verdict v = Integer.bitCount(sides) >= 2 ? byKeyVerdict(key, cluster, group) : null;
            for (Entry m : cluster) {
                if (v != null || m.tier1 != null) {
                    // Only members whose verdict may change; a payout's records waiting for it stay as they are.
                    touch(m);
                }
                m.tier1 = v;
                if (!m.fromGroup && eligibleForPool(m) != m.inPool) {
                    poolSeeds.add(m);
                }
            }
        }
    }

    private List<List<Entry>> clusterByDate(List<Entry> members) {
        if (members.size() == 1) {
            return List.of(members);
        }
        if (members.size() == 2) {
            boolean near = Math.abs(ChronoUnit.DAYS.between(members.get(0).date, members.get(1).date)) <= rules.dateWindowDays();
            return near ? List.of(members) : List.of(List.of(members.get(0)), List.of(members.get(1)));
        }
        List<Entry> sorted = new ArrayList<>(members);
        sorted.sort(Comparator.comparing((Entry m) -> m.date).thenComparing(m -> m.key));
        List<List<Entry>> clusters = new ArrayList<>();
        List<Entry> current = new ArrayList<>();
        LocalDate last = null;
        for (Entry m : sorted) {
            if (last != null && ChronoUnit.DAYS.between(last, m.date) > rules.dateWindowDays()) {
                clusters.add(current);
                current = new ArrayList<>();
            }
            current.add(m);
            last = m.date;
        }
        clusters.add(current);
        return clusters;
    }

    private Verdict byKeyVerdict(String key, List<Entry> cluster, boolean payout) {
        List<Entry> members = sortedByKey(cluster);
        if (members.size() == 2 && members.get(0).currency.equals(members.get(1).currency)) {
            // The common case, without the general bookkeeping below: one item on each of two sides.
            Entry a = members.get(0);
            Entry b = members.get(1);
            if (withinTolerance(a.amount, b.amount)) {
                return Verdict.matched(MatchKind.ONE_TO_ONE, "reference " + key + ", " + a.amount.toPlainString() + " " + a.currency, members);
            }
            return Verdict.breakOf(BreakReason.AMOUNT_MISMATCH, "reference " + key + ": totals " + a.key.side() + " "
                    + a.amount.toPlainString() + ", " + b.key.side() + " " + b.amount.toPlainString() + " " + a.currency
                    + " differ by more than the tolerance", members);
        }
        Set<String> currencies = members.stream().map(m -> m.currency).collect(Collectors.toCollection(java.util.TreeSet::new));
        if (currencies.size() > 1) {
            return Verdict.breakOf(BreakReason.CURRENCY_MISMATCH, "reference " + key + " in " + String.join(" and ", currencies), members);
        }
        String currency = currencies.iterator().next();
        Map<Side, List<Entry>> bySide = new EnumMap<>(Side.class);
        members.forEach(m -> bySide.computeIfAbsent(m.key.side(), s -> new ArrayList<>()).add(m));
        long manySides = bySide.values().stream().filter(l -> l.size() > 1).count();
        if (manySides >= 2) {
            return Verdict.breakOf(BreakReason.AMBIGUOUS, "reference " + key + ": several items on more than one side "
                    + counts(bySide), members);
        }
        Map<Side, BigDecimal> totals = new EnumMap<>(Side.class);
        bySide.forEach((side, items) -> totals.put(side, items.stream().map(m -> m.amount).reduce(BigDecimal.ZERO, BigDecimal::add)));
        BigDecimal first = totals.values().iterator().next();
        boolean agree = totals.values().stream().allMatch(t -> withinTolerance(first, t));
        if (agree) {
            return Verdict.matched(kindOf(bySide), "reference " + key + ", " + first.toPlainString() + " " + currency, members);
        }
        String detail = "reference " + key + ": totals " + totals.entrySet().stream()
                .map(t -> t.getKey() + " " + t.getValue().toPlainString()).collect(Collectors.joining(", "))
                + " " + currency + " differ by more than the tolerance";
        if (manySides == 1 && !payout) {
            // One item of the many side that alone fits the single side(s): a duplicate or a split? Not ours to guess.
            // (A payout's records are never alternatives to each other: there a wrong total is a mismatch.)
            Side many = bySide.entrySet().stream().filter(x -> x.getValue().size() > 1).findFirst().orElseThrow().getKey();
            boolean oneFits = bySide.get(many).stream().anyMatch(m -> totals.entrySet().stream()
                    .filter(t -> t.getKey() != many).allMatch(t -> withinTolerance(m.amount, t.getValue())));
            if (oneFits) {
                return Verdict.breakOf(BreakReason.AMBIGUOUS, "reference " + key + ": " + bySide.get(many).size() + " "
                        + many + " items, more than one could be the counterpart", members);
            }
        }
        return Verdict.breakOf(BreakReason.AMOUNT_MISMATCH, detail, members);
    }

    private static String counts(Map<Side, List<Entry>> bySide) {
        return bySide.entrySet().stream().map(x -> x.getKey() + "×" + x.getValue().size()).collect(Collectors.joining(", "));
    }

    private static MatchKind kindOf(Map<Side, List<Entry>> bySide) {
        if (bySide.size() == 3) {
            return MatchKind.THREE_WAY;
        }
        var it = bySide.values().iterator();
        int lower = it.next().size();
        int higher = it.next().size();
        if (lower == 1 && higher == 1) {
            return MatchKind.ONE_TO_ONE;
        }
        return lower == 1 ? MatchKind.ONE_TO_MANY : MatchKind.MANY_TO_ONE;
    }

    // ---------------------------------------------------------------- matching by amount

    private boolean eligibleForPool(Entry e) {
        return e.alert == null && live.get(e.key) == e && (e.matchKey == null || (!e.fromGroup && e.tier1 == null));
    }

    private void updatePool(Set<Entry> seeds) {
        Set<Entry> dirty = new LinkedHashSet<>();
        for (Entry s : seeds) {
            if (s.tier2 != null) {
                dirty.addAll(s.tier2.members);
            }
            dirty.add(s);
            boolean should = eligibleForPool(s);
            if (should && !s.inPool) {
                poolAdd(s);
            } else if (!should && s.inPool) {
                poolRemove(s);
            }
        }
        for (Entry d : dirty) {
            touch(d);
            d.tier2 = null;
        }
        for (Entry d : dirty) {
            if (d.inPool && d.tier2 == null) {
                List<Entry> component = component(d);
                Verdict v = byAmountVerdict(component);
                for (Entry m : component) {
                    touch(m);
                    m.tier2 = v;
                }
            }
        }
    }

    /** The connected set of items that could pair by amount with {@code start}, at most componentSizeMax + 1. */
    private List<Entry> component(Entry start) {
        Set<Entry> seen = new LinkedHashSet<>();
        ArrayDeque<Entry> queue = new ArrayDeque<>();
        seen.add(start);
        queue.add(start);
        while (!queue.isEmpty() && seen.size() <= rules.componentSizeMax()) {
            Entry e = queue.poll();
            for (Entry n : neighbours(e, rules.componentSizeMax() + 1)) {
                if (seen.add(n)) {
                    queue.add(n);
                }
            }
        }
        return new ArrayList<>(seen);
    }

    /** Up to {@code limit} items of the other sides that could pair with {@code e}. */
    private List<Entry> neighbours(Entry e, int limit) {
        EnumMap<Side, TreeMap<BigDecimal, List<Entry>>> bySide = pool.get(e.currency);
        if (bySide == null) {
            return List.of();
        }
        BigDecimal reach = searchTolerance(e.amount);
        List<Entry> result = new ArrayList<>();
        for (Map.Entry<Side, TreeMap<BigDecimal, List<Entry>>> side : bySide.entrySet()) {
            if (side.getKey() == e.key.side()) {
                continue;
            }
            for (List<Entry> sameAmount : side.getValue().subMap(e.amount.subtract(reach), true, e.amount.add(reach), true).values()) {
                for (Entry x : sameAmount) {
                    if (pairable(e, x)) {
                        result.add(x);
                        if (result.size() >= limit) {
                            return result;
                        }
                    }
                }
            }
        }
        return result;
    }

    private boolean pairable(Entry a, Entry b) {
        return a.key.side() != b.key.side()
                && (a.matchKey == null || b.matchKey == null)
                && Math.abs(ChronoUnit.DAYS.between(a.date, b.date)) <= rules.dateWindowDays()
                && withinTolerance(a.amount, b.amount)
                && (a.counterparty == null || b.counterparty == null || a.counterparty.equals(b.counterparty));
    }

    private Verdict byAmountVerdict(List<Entry> component) {
        if (component.size() == 1) {
            return null;
        }
        List<Entry> members = sortedByKey(component);
        if (component.size() == 2) {
            Entry a = members.get(0);
            return Verdict.matched(MatchKind.ONE_TO_ONE, "amount " + a.amount.toPlainString() + " " + a.currency
                    + ", value dates within " + rules.dateWindowDays() + " days", members);
        }
        String size = component.size() > rules.componentSizeMax() ? "more than " + rules.componentSizeMax() : String.valueOf(component.size());
        return Verdict.breakOf(BreakReason.AMBIGUOUS, size + " items fit each other by amount, currency and value date", members);
    }

    private void poolAdd(Entry e) {
        pool.computeIfAbsent(e.currency, c -> new EnumMap<>(Side.class))
                .computeIfAbsent(e.key.side(), s -> new TreeMap<>())
                .computeIfAbsent(e.amount, a -> new ArrayList<>(1)).add(e);
        e.inPool = true;
    }

    private void poolRemove(Entry e) {
        TreeMap<BigDecimal, List<Entry>> byAmount = pool.get(e.currency).get(e.key.side());
        List<Entry> list = byAmount.get(e.amount);
        list.remove(e);
        if (list.isEmpty()) {
            byAmount.remove(e.amount);
        }
        e.inPool = false;
    }

    // ---------------------------------------------------------------- tolerance

    boolean withinTolerance(BigDecimal a, BigDecimal b) {
        BigDecimal diff = a.subtract(b).abs();
        if (diff.compareTo(rules.toleranceAbsolute()) <= 0) {
            return true;
        }
        BigDecimal larger = a.abs().max(b.abs());
        return diff.compareTo(larger.multiply(rules.toleranceRelative())) <= 0;
    }

    /** How far from {@code a} a partner within tolerance can lie: the relative part measured on the larger amount. */
    private BigDecimal searchTolerance(BigDecimal a) {
        BigDecimal rel = rules.toleranceRelative();
        BigDecimal relative = rel.signum() == 0 ? BigDecimal.ZERO
                : a.abs().multiply(rel).divide(BigDecimal.ONE.subtract(rel), a.scale() + 1, RoundingMode.UP);
        return rules.toleranceAbsolute().max(relative);
    }

    // ---------------------------------------------------------------- states

    private void touch(Entry e) {
        touched.putIfAbsent(e, e.state);
    }

    private Verdict verdict(Entry e) {
        return e.tier1 != null ? e.tier1 : e.inPool ? e.tier2 : null;
    }

    private ItemState derive(Entry e) {
        if (e.alert != null) {
            return new ItemState(e.key, Status.BREAK, "alert:" + e.key, null, e.alert, e.alertDetail, e.ownFixes());
        }
        Verdict v = verdict(e);
        if (v == null) {
            if (e.expired) {
                return new ItemState(e.key, Status.BREAK, "unmatched:" + e.key, null, BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW,
                        "still waiting at " + now + ", settlement window ended " + e.deadline, e.ownFixes());
            }
            return new ItemState(e.key, Status.WAITING, null, null, null, null, e.ownFixes());
        }
        return new ItemState(e.key, v.status, v.id, v.kind, v.reason, v.detail, v.differencesRepaired(e));
    }

    private void close(Verdict v) {
        Set<String> keys = new HashSet<>();
        for (Entry m : v.members) {
            touch(m);
            m.closing = true;
            if (m.matchKey != null) {
                keys.add(m.matchKey);
            }
        }
        for (String key : keys) {
            KeyGroup keyGroup = byKey.get(key);
            keyGroup.removeClosing();
            if (keyGroup.members.isEmpty()) {
                byKey.remove(key);
            }
        }
        for (Entry m : v.members) {
            m.tier1 = v; // the verdict it closes with, wherever it came from
            if (m.inPool) {
                poolRemove(m);
            }
            live.remove(m.key);
            closed.put(m.key, m);
        }
    }

    private List<Transition> finish() {
        List<Transition> changes = new ArrayList<>();
        for (Map.Entry<Entry, ItemState> t : touched.entrySet()) {
            Entry e = t.getKey();
            ItemState after = derive(e);
            e.state = after;
            if (!after.equals(t.getValue())) {
                changes.add(new Transition(e.key, t.getValue(), after));
            }
        }
        touched.clear();
        changes.sort(Comparator.comparing(Transition::key));
        return changes;
    }

    private static List<Entry> sortedByKey(List<Entry> entries) {
        if (entries.size() == 2) {
            Entry a = entries.get(0);
            Entry b = entries.get(1);
            return a.key.compareTo(b.key) <= 0 ? List.of(a, b) : List.of(b, a);
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparing(m -> m.key));
        return sorted;
    }

    // ---------------------------------------------------------------- records

    /** A match or break of a group of entries; its id is derived from the smallest key, so it does not depend on order. */
    private static final class Verdict {
        final String id;
        final Status status;
        final MatchKind kind;
        final BreakReason reason;
        final String detail;
        final List<Entry> members;
        /** Fields whose original text differs between members: only repairs of those were needed to match. */
        private Set<String> differing;

        private Verdict(String id, Status status, MatchKind kind, BreakReason reason, String detail, List<Entry> members) {
            this.id = id;
            this.status = status;
            this.kind = kind;
            this.reason = reason;
            this.detail = detail;
            this.members = members;
        }

        static Verdict matched(MatchKind kind, String detail, List<Entry> sortedMembers) {
            return new Verdict("match:" + sortedMembers.get(0).key, Status.MATCHED, kind, null, detail, sortedMembers);
        }

        static Verdict breakOf(BreakReason reason, String detail, List<Entry> sortedMembers) {
            return new Verdict("break:" + sortedMembers.get(0).key, Status.BREAK, null, reason, detail, sortedMembers);
        }

        /**
         * The L1 fixes of {@code e} that bridged a real difference: a field is repaired on one side and
         * written otherwise on another. Both sides writing "eur" is no difference between them.
         */
        List<Fix> differencesRepaired(Entry e) {
            if (e.fixes.isEmpty()) {
                return List.of();
            }
            if (differing == null) {
                Set<String> found = new HashSet<>();
                for (String field : Entry.COMPARED) {
                    Set<String> originals = new HashSet<>();
                    for (Entry m : members) {
                        originals.add(String.valueOf(m.original(field)));
                        if (originals.size() > 1) {
                            found.add(field);
                            break;
                        }
                    }
                }
                differing = found;
            }
            List<Fix> kept = new ArrayList<>(e.fixes.size());
            for (Fix f : e.ownFixes()) {
                if (differing.contains(Entry.comparedAs(f.field()))) {
                    kept.add(f);
                }
            }
            return kept;
        }
    }

    /** The open items sharing one key, with the sides present and whether a payout's records are among them. */
    private static final class KeyGroup {
        final List<Entry> members = new ArrayList<>(2);
        int sides;
        boolean group;

        void add(Entry e) {
            members.add(e);
            sides |= 1 << e.key.side().ordinal();
            group |= e.fromGroup;
        }

        void removeClosing() {
            members.removeIf(m -> m.closing);
            sides = 0;
            group = false;
            for (Entry m : members) {
                sides |= 1 << m.key.side().ordinal();
                group |= m.fromGroup;
            }
        }
    }

    private static final class Entry {
        static final List<String> COMPARED = List.of("key", "currency", "valueDate", "amount", "counterparty");

        final MatchItem item;
        final ItemKey key;
        final String matchKey;
        final boolean fromGroup;
        final BigDecimal amount;
        final String currency;
        final LocalDate date;
        final String counterparty;
        final List<Fix> fixes;
        final Instant deadline;
        final Instant retireAt;
        BreakReason alert;
        String alertDetail;
        Verdict tier1;
        Verdict tier2;
        boolean inPool;
        boolean expired;
        boolean closing;
        ItemState state;

        Entry(MatchItem item, String matchKey, boolean fromGroup, BigDecimal amount, String currency, LocalDate date,
              String counterparty, List<Fix> fixes, Instant deadline, Instant retireAt) {
            this.item = item;
            this.key = item.key();
            this.matchKey = matchKey;
            this.fromGroup = fromGroup;
            this.amount = amount;
            this.currency = currency;
            this.date = date;
            this.counterparty = counterparty;
            this.fixes = List.copyOf(fixes);
            this.deadline = deadline;
            this.retireAt = retireAt;
        }

        /** The text this item arrived with for a compared field; the key is the payout id or the reference. */
        Object original(String field) {
            return switch (field) {
                case "key" -> fromGroup ? item.groupKey() : item.reference();
                case "currency" -> item.currency();
                case "valueDate" -> item.valueDate();
                case "amount" -> item.amount().toPlainString();
                case "counterparty" -> item.counterparty();
                default -> throw new IllegalArgumentException(field);
            };
        }

        static String comparedAs(String fixField) {
            return fixField.equals("reference") || fixField.equals("groupKey") ? "key" : fixField;
        }

        /**
         * The repairs that bear on matching: not the account (looked up, never compared), not the
         * reference of a payout record (it matches through its payout id).
         */
        List<Fix> ownFixes() {
            if (fixes.isEmpty()) {
                return fixes;
            }
            List<Fix> own = new ArrayList<>(fixes.size());
            for (Fix f : fixes) {
                if (f.field().equals("account") || (fromGroup && f.field().equals("reference"))) {
                    continue;
                }
                own.add(f);
            }
            return own;
        }
    }
}
