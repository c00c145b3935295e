package ledger.reconciliation.matching;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A seeded generator of reconciliation cases whose outcome is known by construction: every item
 * comes with the status and reason it must end in. Amounts are unique per case (a step of 0.07
 * against a tolerance of 0.01), so cases cannot stray into each other. Used by the property test,
 * the 100k test and {@link MatcherBenchmark}.
 */
final class SyntheticBook {
    static final LocalDate FIRST_DAY = LocalDate.of(2026, 1, 1);

    /** What an item must end as: status, and the reason for a break (null otherwise). */
    record Expected(Status status, BreakReason reason, MatchKind kind) {
    }

    final List<MatchItem> items = new ArrayList<>();
    final Map<ItemKey, Expected> expected = new HashMap<>();
    private final Random random;
    private int serial;

    SyntheticBook(Random random) {
        this.random = random;
    }

    private BigDecimal nextAmount() {
        serial++;
        return new BigDecimal("100.00").add(new BigDecimal("0.07").multiply(BigDecimal.valueOf(serial)));
    }

    private LocalDate nextDate() {
        return FIRST_DAY.plusDays(random.nextInt(28));
    }

    private void add(MatchItem item, Status status, BreakReason reason, MatchKind kind) {
        items.add(item);
        expected.put(item.key(), new Expected(status, reason, kind));
    }

    private static MatchItem item(Side side, String id, String ref, BigDecimal amount, String currency, String date) {
        return new MatchItem(ItemKey.of(side, id), ref, null, amount, currency, date, null, null);
    }

    /** A ledger posting and its bank line with the same reference; with {@code noisy}, L1 differences on the bank side. */
    void referencePair(boolean noisy) {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        String ref = "INV-" + n;
        add(item(Side.LEDGER, "L" + n, ref, amount, "EUR", date.toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
        String bankRef = noisy ? " ref: inv-" + n : ref;
        String bankDate = noisy ? String.format("%02d.%02d.%d", date.getDayOfMonth(), date.getMonthValue(), date.getYear()) : date.toString();
        add(item(Side.BANK, "B" + n, bankRef, amount, noisy ? "eur" : "EUR", bankDate), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
    }

    /** The bank line lost its reference: matched by amount and date. */
    void amountPair() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        add(item(Side.LEDGER, "L" + n, "INV-" + n, amount, "EUR", date.toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
        add(item(Side.BANK, "B" + n, null, amount, "EUR", date.plusDays(1).toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
    }

    /** Same reference, the bank paid 1.00 less: L2. */
    void amountMismatch() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        add(item(Side.LEDGER, "L" + n, "INV-" + n, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMOUNT_MISMATCH, null);
        add(item(Side.BANK, "B" + n, "INV-" + n, amount.subtract(BigDecimal.ONE), "EUR", date.toString()),
                Status.BREAK, BreakReason.AMOUNT_MISMATCH, null);
    }

    /** One posting without reference and two bank lines that fit it equally: ambiguous. */
    void ambiguousTriple() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        add(item(Side.LEDGER, "L" + n, null, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
        add(item(Side.BANK, "B" + n + "a", null, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
        add(item(Side.BANK, "B" + n + "b", "NONREF", amount, "EUR", date.plusDays(1).toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
    }

    /** A payout of 2..6 processor records (net amounts, one possibly a refund) against one bank line. */
    void payout() {
        int n = serial;
        int records = 2 + random.nextInt(5);
        BigDecimal total = BigDecimal.ZERO;
        LocalDate date = nextDate();
        for (int i = 0; i < records; i++) {
            BigDecimal net = nextAmount();
            if (i == records - 1 && records > 2) {
                net = net.negate().divide(BigDecimal.TEN, 2, java.math.RoundingMode.HALF_EVEN);
            }
            total = total.add(net);
            add(new MatchItem(ItemKey.of(Side.PROCESSOR, "P" + n + "-" + i), "ch_" + n + "_" + i, "po_" + n, net, "EUR",
                    date.minusDays(2).toString(), null, null), Status.MATCHED, null, MatchKind.MANY_TO_ONE);
        }
        add(item(Side.BANK, "B" + n, "PO_" + n, total, "EUR", date.toString()), Status.MATCHED, null, MatchKind.MANY_TO_ONE);
    }

    /** The bank sent the same line twice: one posting, two bank lines with its reference. Never guessed. */
    void duplicateBankLine() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        add(item(Side.LEDGER, "L" + n, "INV-" + n, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
        add(item(Side.BANK, "B" + n + "a", "INV-" + n, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
        add(item(Side.BANK, "B" + n + "b", "inv-" + n, amount, "EUR", date.toString()), Status.BREAK, BreakReason.AMBIGUOUS, null);
    }

    /** A subscription: the same reference in two months, matched month by month. */
    void recurringReference() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = FIRST_DAY.plusDays(random.nextInt(20));
        for (int month = 0; month < 2; month++) {
            LocalDate d = date.plusMonths(month);
            add(item(Side.LEDGER, "L" + n + "m" + month, "SUB-" + n, amount, "EUR", d.toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
            add(item(Side.BANK, "B" + n + "m" + month, "SUB-" + n, amount, "EUR", d.plusDays(1).toString()),
                    Status.MATCHED, null, MatchKind.ONE_TO_ONE);
        }
    }

    /**
     * A posting and its bank line share a reference; a second bank line without reference has the same
     * amount and date. Depending on the order it may pair with the posting for a while; in the end the
     * reference wins and the stray line waits.
     */
    void shadowedLineWithoutReference() {
        int n = serial;
        BigDecimal amount = nextAmount();
        LocalDate date = nextDate();
        add(item(Side.LEDGER, "L" + n, "INV-" + n, amount, "EUR", date.toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
        add(item(Side.BANK, "B" + n, "INV-" + n, amount, "EUR", date.toString()), Status.MATCHED, null, MatchKind.ONE_TO_ONE);
        add(item(Side.BANK, "B" + n + "x", null, amount, "EUR", date.toString()), Status.WAITING, null, null);
    }

    /** A payout seen three ways: its processor records, the bank line, and the ledger posting of the payout. */
    void threeWayPayout() {
        int n = serial;
        LocalDate date = nextDate();
        BigDecimal total = BigDecimal.ZERO;
        for (int i = 0; i < 3; i++) {
            BigDecimal net = nextAmount();
            total = total.add(net);
            add(new MatchItem(ItemKey.of(Side.PROCESSOR, "P" + n + "-" + i), "ch_" + n + "_" + i, "po_" + n, net, "EUR",
                    date.minusDays(1).toString(), null, null), Status.MATCHED, null, MatchKind.THREE_WAY);
        }
        add(item(Side.BANK, "B" + n, "PO_" + n, total, "EUR", date.toString()), Status.MATCHED, null, MatchKind.THREE_WAY);
        add(item(Side.LEDGER, "L" + n, "po_" + n, total, "EUR", date.toString()), Status.MATCHED, null, MatchKind.THREE_WAY);
    }

    /** An item nobody answers: WAITING (a break once its window closes). */
    void lonely(Side side) {
        int n = serial;
        BigDecimal amount = nextAmount();
        add(item(side, (side == Side.LEDGER ? "L" : "B") + n, "LONE-" + n, amount, "EUR", nextDate().toString()),
                Status.WAITING, null, null);
    }

    /** Arrival order: a seeded shuffle. */
    List<MatchItem> shuffled(Random order) {
        List<MatchItem> copy = new ArrayList<>(items);
        Collections.shuffle(copy, order);
        return copy;
    }
}
