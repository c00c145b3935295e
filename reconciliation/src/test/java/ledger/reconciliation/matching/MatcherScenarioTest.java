package ledger.reconciliation.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * One business day built to contain exactly known differences (docs/reconciliation.md,
 * "Matching" and "Break levels"): an L1 format difference, an L2 amount and an L2 currency
 * mismatch, an L3 unknown account, a Stripe-style payout (many-to-one), an ambiguous pair, a match
 * by amount, a match within tolerance, and an item nobody answers. Every item ends where expected.
 */
class MatcherScenarioTest {
    static final String BANK_ACCOUNT = "DE89370400440532013000";
    static final String LEDGER_ACCOUNT = "LEDGER-CASH";
    static final String STRIPE = "stripe-balance-transactions";
    static final Instant START = Instant.parse("2026-03-02T00:00:00Z");
    static final LocalDate DAY = LocalDate.of(2026, 3, 2);

    static RuleSet rules() {
        return RuleSet.defaults()
                .withTolerance(new BigDecimal("0.01"), BigDecimal.ZERO)
                .withWindows(3, Duration.ofDays(5))
                .withKnownAccounts(Set.of(BANK_ACCOUNT, LEDGER_ACCOUNT, STRIPE));
    }

    static MatchItem ledger(String id, String ref, String amount, LocalDate date) {
        return MatchItem.of(Side.LEDGER, id, ref, amount, "EUR", date).withAccount(LEDGER_ACCOUNT);
    }

    static MatchItem bank(String id, String ref, String amount, String currency, String date) {
        return new MatchItem(ItemKey.of(Side.BANK, id), ref, null, new BigDecimal(amount), currency, date, BANK_ACCOUNT, null);
    }

    static MatchItem processor(String id, String source, String payout, String net) {
        return new MatchItem(ItemKey.of(Side.PROCESSOR, id), source, payout, new BigDecimal(net), "EUR", DAY.minusDays(1).toString(),
                STRIPE, null);
    }

    /** The day's items; tests feed them in different orders. */
    static List<MatchItem> day() {
        return List.of(
                // L1: the bank writes the reference in lower case with a prefix and a blank, the currency in
                // lower case and the date German style.
                ledger("L-1", "INV-1001", "1250.00", DAY),
                bank("B-1", " ref: inv-1001 ", "1250.00", "eur", "02.03.2026"),
                // L2 amount: same reference, 2.00 short.
                ledger("L-2", "INV-1002", "500.00", DAY),
                bank("B-2", "INV-1002", "498.00", "EUR", "2026-03-02"),
                // L2 currency: same reference and number, other currency.
                ledger("L-3", "INV-1003", "80.00", DAY),
                bank("B-3", "INV-1003", "80.00", "USD", "2026-03-02"),
                // L3: a bank line on an account that is not ours; its ledger posting waits in vain.
                ledger("L-4", "INV-1004", "42.00", DAY),
                bank("B-4", "INV-1004", "42.00", "EUR", "2026-03-02").withAccount("DE00 9999 9999 9999 9999 99"),
                // Payout po_A settles three processor records: 96.80 + 48.25 - 20.00 = 125.05.
                processor("P-1", "ch_001", "po_A", "96.80"),
                processor("P-2", "ch_002", "po_A", "48.25"),
                processor("P-3", "re_001", "po_A", "-20.00"),
                bank("B-5", "po_A", "125.05", "EUR", "2026-03-02"),
                // Ambiguous: one posting without reference, two bank lines that fit it equally.
                ledger("L-6", null, "75.00", DAY),
                bank("B-6a", null, "75.00", "EUR", "2026-03-02"),
                bank("B-6b", "NONREF", "75.00", "EUR", "2026-03-03"),
                // By amount: the bank line lost the reference.
                ledger("L-7", "INV-1007", "310.40", DAY),
                bank("B-7", null, "310.40", "EUR", "20260303"),
                // Within the 0.01 tolerance.
                ledger("L-8", "INV-1008", "100.00", DAY),
                bank("B-8", "INV-1008", "100.01", "EUR", "2026-03-02"));
    }

    static void assertDayEnded(Matcher m) {
        Map<ItemKey, ItemState> s = m.states();
        assertThat(s).hasSize(19);

        assertMatched(s, MatchKind.ONE_TO_ONE, "L-1", "B-1");
        ItemState b1 = s.get(ItemKey.of(Side.BANK, "B-1"));
        assertThat(b1.level()).isEqualTo(Level.L1);
        assertThat(b1.fixes()).extracting(Fix::field, Fix::original, Fix::normalised).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("reference", " ref: inv-1001 ", "INV-1001"),
                org.assertj.core.groups.Tuple.tuple("currency", "eur", "EUR"),
                org.assertj.core.groups.Tuple.tuple("valueDate", "02.03.2026", "2026-03-02"));
        assertThat(s.get(ItemKey.of(Side.LEDGER, "L-1")).fixes()).isEmpty();

        assertBreak(s, BreakReason.AMOUNT_MISMATCH, "L-2", "B-2");
        assertThat(s.get(ItemKey.of(Side.BANK, "B-2")).detail()).contains("LEDGER 500.00", "BANK 498.00");
        assertBreak(s, BreakReason.CURRENCY_MISMATCH, "L-3", "B-3");
        assertThat(s.get(ItemKey.of(Side.BANK, "B-3")).level()).isEqualTo(Level.L2);

        ItemState b4 = s.get(ItemKey.of(Side.BANK, "B-4"));
        assertThat(b4.status()).isEqualTo(Status.BREAK);
        assertThat(b4.reason()).isEqualTo(BreakReason.UNKNOWN_ACCOUNT);
        assertThat(b4.level()).isEqualTo(Level.L3);
        assertThat(b4.detail()).contains("DE00999999999999999999");

        assertMatched(s, MatchKind.MANY_TO_ONE, "P-1", "P-2", "P-3", "B-5");
        assertBreak(s, BreakReason.AMBIGUOUS, "L-6", "B-6a", "B-6b");
        assertMatched(s, MatchKind.ONE_TO_ONE, "L-7", "B-7");
        assertMatched(s, MatchKind.ONE_TO_ONE, "L-8", "B-8");
    }

    @Test
    void everyItemOfTheDayEndsInItsExpectedState() {
        Matcher m = new Matcher(rules(), START);
        day().forEach(m::arrive);

        assertDayEnded(m);
        assertThat(m.state(ItemKey.of(Side.LEDGER, "L-4")).orElseThrow().status()).isEqualTo(Status.WAITING);

        // The ambiguous break lists the posting and both candidates.
        Outcome ambiguous = m.outcomes().stream().filter(o -> o.reason() == BreakReason.AMBIGUOUS).findFirst().orElseThrow();
        assertThat(ambiguous.items()).containsExactly(ItemKey.of(Side.LEDGER, "L-6"), ItemKey.of(Side.BANK, "B-6a"),
                ItemKey.of(Side.BANK, "B-6b"));
        Outcome payout = m.outcomes().stream().filter(o -> o.kind() == MatchKind.MANY_TO_ONE).findFirst().orElseThrow();
        assertThat(payout.items()).hasSize(4);
        assertThat(payout.detail()).contains("PO_A", "125.05 EUR");
    }

    @Test
    void anItemNobodyAnswersBecomesABreakWhenItsSettlementWindowCloses() {
        Matcher m = new Matcher(rules(), START);
        day().forEach(m::arrive);

        // Value date 2026-03-02 + 5 days: the window closes at 2026-03-07T00:00Z.
        assertThat(m.advanceTo(Instant.parse("2026-03-06T23:59:59Z"))).isEmpty();
        List<Transition> closing = m.advanceTo(Instant.parse("2026-03-07T00:00:00Z"));

        assertThat(closing).extracting(Transition::key).containsExactly(ItemKey.of(Side.LEDGER, "L-4"));
        ItemState l4 = closing.get(0).after();
        assertThat(l4.status()).isEqualTo(Status.BREAK);
        assertThat(l4.reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
        assertThat(l4.level()).isEqualTo(Level.L2);
        assertDayEnded(m);
    }

    @Test
    void aLateDuplicateTurnsAMatchIntoAnAmbiguousBreakAndSaysSo() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        List<Transition> first = m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));
        assertThat(first).extracting(t -> t.after().status()).containsOnly(Status.MATCHED);

        List<Transition> second = m.arrive(bank("B2", "INV-9", "10.00", "EUR", "2026-03-02"));

        assertThat(second).extracting(Transition::key).containsExactly(ItemKey.of(Side.LEDGER, "L"),
                ItemKey.of(Side.BANK, "B1"), ItemKey.of(Side.BANK, "B2"));
        assertThat(second).extracting(t -> t.after().reason()).containsOnly(BreakReason.AMBIGUOUS);
        assertThat(second.get(0).before().status()).isEqualTo(Status.MATCHED);
    }

    @Test
    void aClosedMatchStaysClosedWhateverArrivesLater() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));
        m.advanceTo(Instant.parse("2026-03-08T00:00:00Z"));

        List<Transition> late = m.arrive(bank("B2", "INV-9", "10.00", "EUR", "2026-03-02"));

        // Its own window has already passed: alone, the duplicate is a break at once; the match is untouched.
        assertThat(late).extracting(Transition::key).containsExactly(ItemKey.of(Side.BANK, "B2"));
        assertThat(late.get(0).after().reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
        assertThat(m.state(ItemKey.of(Side.LEDGER, "L")).orElseThrow().status()).isEqualTo(Status.MATCHED);
        assertThat(m.state(ItemKey.of(Side.BANK, "B1")).orElseThrow().status()).isEqualTo(Status.MATCHED);
    }

    @Test
    void closedMatchesCanBeHandedOverAndForgotten() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));
        m.arrive(ledger("L2", "INV-10", "11.00", DAY.plusDays(10)));
        m.advanceTo(Instant.parse("2026-03-08T00:00:00Z"));

        assertThat(m.drainClosed()).extracting(ItemState::key)
                .containsExactly(ItemKey.of(Side.LEDGER, "L"), ItemKey.of(Side.BANK, "B1"));
        assertThat(m.drainClosed()).isEmpty();
        assertThat(m.states()).containsOnlyKeys(ItemKey.of(Side.LEDGER, "L2"));
    }

    @Test
    void aLatePairPastItsWindowsMatchesAndClosesAtOnce() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.advanceTo(Instant.parse("2026-03-09T00:00:00Z"));
        assertThat(m.state(ItemKey.of(Side.LEDGER, "L")).orElseThrow().reason())
                .isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);

        List<Transition> late = m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));
        assertThat(late).extracting(t -> t.after().status()).containsOnly(Status.MATCHED);

        // Closed: a duplicate coming even later does not reopen it.
        m.arrive(bank("B2", "INV-9", "10.00", "EUR", "2026-03-02"));
        assertMatched(m.states(), MatchKind.ONE_TO_ONE, "L", "B1");
        assertThat(m.state(ItemKey.of(Side.BANK, "B2")).orElseThrow().reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
    }

    @Test
    void aBreakPastItsLateMatchWindowIsClosedAndForgotten() {
        Matcher m = new Matcher(rules().withLateMatching(Duration.ofDays(10)), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.arrive(ledger("L2", "INV-10", "11.00", DAY.plusDays(30)));
        // window ends 2026-03-07, the late-match window 10 days later
        m.advanceTo(Instant.parse("2026-03-16T23:59:59Z"));
        assertThat(m.drainClosed()).isEmpty();

        m.advanceTo(Instant.parse("2026-03-17T00:00:00Z"));

        List<ItemState> closed = m.drainClosed();
        assertThat(closed).extracting(ItemState::key).containsExactly(ItemKey.of(Side.LEDGER, "L"));
        assertThat(closed.get(0).reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
        assertThat(m.states()).containsOnlyKeys(ItemKey.of(Side.LEDGER, "L2"));
        // final: its counterpart coming now is a break of its own, and closed at once too
        List<Transition> late = m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));
        assertThat(late).extracting(Transition::key).containsExactly(ItemKey.of(Side.BANK, "B1"));
        assertThat(late.get(0).after().reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
        assertThat(m.drainClosed()).extracting(ItemState::key).containsExactly(ItemKey.of(Side.BANK, "B1"));
    }

    @Test
    void aBreakOfSeveralItemsClosesWhenTheLastOfThemIsPastItsLateMatchWindow() {
        Matcher m = new Matcher(rules().withLateMatching(Duration.ofDays(10)), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.arrive(bank("B", "INV-9", "9.00", "EUR", "2026-03-04"));
        m.advanceTo(Instant.parse("2026-03-18T00:00:00Z"));
        assertThat(m.drainClosed()).isEmpty(); // the bank line's late window ends on 2026-03-19

        m.advanceTo(Instant.parse("2026-03-19T00:00:00Z"));

        assertThat(m.drainClosed()).extracting(ItemState::reason)
                .containsExactly(BreakReason.AMOUNT_MISMATCH, BreakReason.AMOUNT_MISMATCH);
        assertThat(m.states()).isEmpty();
    }

    @Test
    void anItemArrivingPastItsLateMatchWindowIsABreakClosedAtOnce() {
        Matcher m = new Matcher(rules(), Instant.parse("2026-12-06T00:00:00Z"));

        List<Transition> old = m.arrive(bank("B1", "INV-9", "10.00", "EUR", "2026-03-02"));

        assertThat(old.get(0).after().reason()).isEqualTo(BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW);
        assertThat(m.drainClosed()).extracting(ItemState::key).containsExactly(ItemKey.of(Side.BANK, "B1"));
        assertThat(m.states()).isEmpty();
    }

    @Test
    void aResolvedBreakIsRetiredWithAllItsItems() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-9", "10.00", DAY));
        m.arrive(bank("B", "INV-9", "9.00", "EUR", "2026-03-02"));
        m.arrive(ledger("L2", "INV-10", "11.00", DAY));
        String breakId = m.state(ItemKey.of(Side.LEDGER, "L")).orElseThrow().outcomeId();

        m.retire("another", List.of(ItemKey.of(Side.LEDGER, "L")));
        assertThat(m.drainClosed()).isEmpty();
        m.retire(breakId, List.of(ItemKey.of(Side.LEDGER, "L"), ItemKey.of(Side.BANK, "B"), ItemKey.of(Side.LEDGER, "L2")));

        assertThat(m.drainClosed()).extracting(ItemState::key)
                .containsExactly(ItemKey.of(Side.LEDGER, "L"), ItemKey.of(Side.BANK, "B"));
        assertThat(m.states()).containsOnlyKeys(ItemKey.of(Side.LEDGER, "L2"));
        // a new line with that reference finds nothing to pair with
        m.arrive(bank("B2", "INV-9", "10.00", "EUR", "2026-03-02"));
        assertThat(m.state(ItemKey.of(Side.BANK, "B2")).orElseThrow().status()).isEqualTo(Status.WAITING);
    }

    @Test
    void anL3ItemIsClosedAtOnce() {
        Matcher m = new Matcher(rules().withKnownCounterparties(Set.of("DE02100100100006820101")), START);

        List<Transition> stranger = m.arrive(new MatchItem(ItemKey.of(Side.BANK, "B"), "INV-9", null, new BigDecimal("10.00"),
                "EUR", "2026-03-02", BANK_ACCOUNT, "DE44 5001 0517 5407 3249 31"));

        assertThat(stranger.get(0).after().reason()).isEqualTo(BreakReason.UNKNOWN_COUNTERPARTY);
        assertThat(stranger.get(0).after().level()).isEqualTo(Level.L3);
        assertThat(m.drainClosed()).extracting(ItemState::key).containsExactly(ItemKey.of(Side.BANK, "B"));
    }

    @Test
    void aRecurringReferenceIsMatchedPerOccurrenceByDate() {
        // January's items are older than settlement and late-match window at START: kept open for the test
        Matcher m = new Matcher(rules().withLateMatching(Duration.ofDays(90)), START);
        m.arrive(ledger("L-jan", "SUB-7", "9.99", LocalDate.of(2026, 1, 5)));
        m.arrive(ledger("L-feb", "SUB-7", "9.99", LocalDate.of(2026, 2, 5)));
        m.arrive(bank("B-feb", "SUB-7", "9.99", "EUR", "2026-02-06"));
        m.arrive(bank("B-jan", "SUB-7", "9.99", "EUR", "2026-01-05"));

        Map<ItemKey, ItemState> s = m.states();
        assertMatched(s, MatchKind.ONE_TO_ONE, "L-jan", "B-jan");
        assertMatched(s, MatchKind.ONE_TO_ONE, "L-feb", "B-feb");
    }

    @Test
    void aPayoutWaitsForItsLastRecordThenMatches() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(bank("B", "po_Z", "30.00", "EUR", "2026-03-02"));
        m.arrive(processor("P1", "ch_1", "po_Z", "10.00"));
        assertThat(m.state(ItemKey.of(Side.BANK, "B")).orElseThrow().reason()).isEqualTo(BreakReason.AMOUNT_MISMATCH);

        List<Transition> last = m.arrive(processor("P2", "ch_2", "po_Z", "20.00"));

        assertThat(last).extracting(t -> t.after().status()).containsOnly(Status.MATCHED);
        assertThat(last).hasSize(3);
        assertThat(last.get(0).after().kind()).isEqualTo(MatchKind.MANY_TO_ONE);
    }

    @Test
    void aLargePayoutMatchesAsOneManyToOne() {
        Matcher m = new Matcher(rules(), START);
        for (int i = 0; i < 5_000; i++) {
            m.arrive(processor("P" + i, "ch_" + i, "po_BIG", "1.00"));
        }
        List<Transition> payout = m.arrive(bank("B", "po_BIG", "5000.00", "EUR", "2026-03-02"));

        assertThat(payout).hasSize(5_001);
        assertThat(payout).extracting(t -> t.after().kind()).containsOnly(MatchKind.MANY_TO_ONE);
        assertThat(m.outcomes()).singleElement().satisfies(o -> assertThat(o.items()).hasSize(5_001));
    }

    @Test
    void aCrowdOfEqualAmountsIsAmbiguousWithoutBeingExploredWhole() {
        Matcher m = new Matcher(rules(), START);
        for (int i = 0; i < 2_000; i++) {
            m.arrive(ledger("L" + i, "SUB-" + i, "9.99", DAY));
        }
        m.arrive(bank("B", null, "9.99", "EUR", "2026-03-02"));

        ItemState b = m.state(ItemKey.of(Side.BANK, "B")).orElseThrow();
        assertThat(b.reason()).isEqualTo(BreakReason.AMBIGUOUS);
        assertThat(b.detail()).startsWith("more than 64 items");
        long crowd = m.states().values().stream().filter(x -> x.reason() == BreakReason.AMBIGUOUS).count();
        assertThat(crowd).isBetween(65L, 67L);
    }

    @Test
    void aPayoutWhoseRecordsAddUpToMoreIsAnAmountMismatchNotAnAmbiguity() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(processor("P1", "ch_1", "po_Y", "100.00"));
        m.arrive(processor("P2", "ch_2", "po_Y", "20.00"));
        m.arrive(bank("B", "po_Y", "100.00", "EUR", "2026-03-02"));
        assertBreak(m.states(), BreakReason.AMOUNT_MISMATCH, "P1", "P2", "B");
        assertThat(m.state(ItemKey.of(Side.BANK, "B")).orElseThrow().detail()).contains("PROCESSOR 120.00", "BANK 100.00");
    }

    @Test
    void twoBankLinesEachFittingAPostingAreAmbiguous() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-3", "100.00", DAY));
        m.arrive(bank("B1", "INV-3", "100.00", "EUR", "2026-03-02"));
        m.arrive(bank("B2", "INV-3", "20.00", "EUR", "2026-03-02"));
        assertBreak(m.states(), BreakReason.AMBIGUOUS, "L", "B1", "B2");
    }

    @Test
    void oneLedgerPostingPaidByTwoBankEntriesIsOneToMany() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "INV-5", "300.00", DAY));
        m.arrive(bank("B1", "INV-5", "100.00", "EUR", "2026-03-02"));
        m.arrive(bank("B2", "INV-5", "200.00", "EUR", "2026-03-03"));
        assertMatched(m.states(), MatchKind.ONE_TO_MANY, "L", "B1", "B2");
    }

    @Test
    void relativeToleranceAppliesToTheLargerAmount() {
        Matcher m = new Matcher(rules().withTolerance(BigDecimal.ZERO, new BigDecimal("0.0005")), START);
        m.arrive(ledger("L1", "BIG-1", "10000.00", DAY));
        m.arrive(bank("B1", "BIG-1", "10005.00", "EUR", "2026-03-02"));
        m.arrive(ledger("L2", "BIG-2", "10000.00", DAY));
        m.arrive(bank("B2", "BIG-2", "10005.01", "EUR", "2026-03-02"));
        assertMatched(m.states(), MatchKind.ONE_TO_ONE, "L1", "B1");
        assertBreak(m.states(), BreakReason.AMOUNT_MISMATCH, "L2", "B2");
    }

    @Test
    void anAmountMatchNeedsTheCounterpartiesToAgreeWhenBothAreKnown() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", null, "60.00", DAY).withCounterparty("FR14 2004 1010 0505 0001 3M02 606"));
        m.arrive(bank("B-other", null, "60.00", "EUR", "2026-03-02").withCounterparty("DE02120300000000202051"));
        assertThat(m.state(ItemKey.of(Side.LEDGER, "L")).orElseThrow().status()).isEqualTo(Status.WAITING);
        m.arrive(bank("B-same", null, "60.00", "EUR", "2026-03-02").withCounterparty("fr1420041010050500013m02606"));
        assertMatched(m.states(), MatchKind.ONE_TO_ONE, "L", "B-same");
    }

    @Test
    void anUnknownCounterpartyOrCurrencyIsAnAlert() {
        Matcher m = new Matcher(rules().withKnownCounterparties(Set.of("DE02120300000000202051")), START);
        m.arrive(bank("B1", "X-1", "5.00", "EUR", "2026-03-02").withCounterparty("GB33BUKB20201555555555"));
        m.arrive(bank("B2", "X-2", "5.00", "EUR", "2026-03-02").withCounterparty("DE02 1203 0000 0000 2020 51"));
        m.arrive(bank("B3", "X-3", "5.00", "XYZ", "2026-03-02"));
        // the ledger's own posting naming a counterparty off the list is no alert: only what comes from outside is
        m.arrive(ledger("L4", "X-4", "7.00", DAY).withCounterparty("GB33BUKB20201555555555"));
        Map<ItemKey, ItemState> s = m.states();
        assertThat(s.get(ItemKey.of(Side.LEDGER, "L4")).status()).isEqualTo(Status.WAITING);
        assertThat(s.get(ItemKey.of(Side.BANK, "B1")).reason()).isEqualTo(BreakReason.UNKNOWN_COUNTERPARTY);
        assertThat(s.get(ItemKey.of(Side.BANK, "B1")).level()).isEqualTo(Level.L3);
        assertThat(s.get(ItemKey.of(Side.BANK, "B2")).status()).isEqualTo(Status.WAITING);
        assertThat(s.get(ItemKey.of(Side.BANK, "B3")).reason()).isEqualTo(BreakReason.UNKNOWN_CURRENCY);
    }

    @Test
    void aCurrencyAliasIsRepairedAndRecorded() {
        Matcher m = new Matcher(rules(), START);
        m.arrive(ledger("L", "A-1", "7.00", DAY));
        m.arrive(bank("B", "A-1", "7", "€", "2026-03-02T23:30:00+01:00"));
        assertMatched(m.states(), MatchKind.ONE_TO_ONE, "L", "B");
        assertThat(m.state(ItemKey.of(Side.BANK, "B")).orElseThrow().fixes()).extracting(Fix::field, Fix::rule).contains(
                org.assertj.core.groups.Tuple.tuple("currency", "alias"),
                org.assertj.core.groups.Tuple.tuple("amount", "scale to EUR minor unit"),
                org.assertj.core.groups.Tuple.tuple("valueDate", "date-time in UTC"));
    }

    @Test
    void readsEveryDateFormatTheDocumentNames() {
        Matcher m = new Matcher(rules(), START);
        String[] formats = {"2026-03-02", "20260302", "02.03.2026", "2026/03/02", "2026-03-02 10:00:00", "2026-03-02T10:00:00",
            "2026-03-02T10:00:00+02:00", "2026-03-02T10:00:00Z"};
        for (int i = 0; i < formats.length; i++) {
            m.arrive(ledger("L" + i, "D-" + i, "1.00", DAY));
            m.arrive(bank("B" + i, "D-" + i, "1.00", "EUR", formats[i]));
            assertThat(m.state(ItemKey.of(Side.BANK, "B" + i)).orElseThrow().status()).as(formats[i]).isEqualTo(Status.MATCHED);
        }
    }

    @Test
    void theSameItemTwiceChangesNothingAndAnotherUnderItsKeyIsRefused() {
        Matcher m = new Matcher(rules(), START);
        MatchItem item = ledger("L", "R", "1.00", DAY);
        m.arrive(item);
        assertThat(m.arrive(item)).isEmpty();
        assertThatThrownBy(() -> m.arrive(ledger("L", "R", "2.00", DAY))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("LEDGER:L");
    }

    @Test
    void refusesWhatItCannotRead() {
        Matcher m = new Matcher(rules(), START);
        assertThatThrownBy(() -> m.arrive(bank("B", "R", "1.001", "EUR", "2026-03-02"))).hasMessageContaining("more decimals than EUR");
        assertThatThrownBy(() -> m.arrive(bank("B", "R", "1.00", "EUR", "March 2nd"))).hasMessageContaining("no known format");
        assertThatThrownBy(() -> m.advanceTo(START.minusSeconds(1))).hasMessageContaining("does not go back");
    }

    static void assertMatched(Map<ItemKey, ItemState> s, MatchKind kind, String... ids) {
        String outcome = null;
        for (String id : ids) {
            ItemState state = find(s, id);
            assertThat(state.status()).as(id).isEqualTo(Status.MATCHED);
            assertThat(state.kind()).as(id).isEqualTo(kind);
            outcome = outcome == null ? state.outcomeId() : outcome;
            assertThat(state.outcomeId()).as(id + " in the same match").isEqualTo(outcome);
        }
        String id = outcome;
        assertThat(s.values().stream().filter(x -> id.equals(x.outcomeId())).count()).as("members of " + id).isEqualTo(ids.length);
    }

    static void assertBreak(Map<ItemKey, ItemState> s, BreakReason reason, String... ids) {
        String outcome = null;
        for (String id : ids) {
            ItemState state = find(s, id);
            assertThat(state.status()).as(id).isEqualTo(Status.BREAK);
            assertThat(state.reason()).as(id).isEqualTo(reason);
            outcome = outcome == null ? state.outcomeId() : outcome;
            assertThat(state.outcomeId()).as(id + " in the same break").isEqualTo(outcome);
        }
        String id = outcome;
        assertThat(s.values().stream().filter(x -> id.equals(x.outcomeId())).count()).as("members of " + id).isEqualTo(ids.length);
    }

    private static ItemState find(Map<ItemKey, ItemState> s, String id) {
        return s.values().stream().filter(x -> x.key().id().equals(id)).findFirst().orElseThrow(() -> new AssertionError("no item " + id));
    }
}
