package ledger.reconciliation.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The matcher's promise (docs/reconciliation.md, "Matching"): what every item ends as depends on
 * the set of items, not on the order they arrive in. Seeded: set -Dseed=N to replay a run.
 */
class MatcherArrivalOrderProperties {
    private static final int BOOKS = 40;
    private static final int ORDERS_PER_BOOK = 6;

    @Test
    void anyArrivalOrderGivesTheSameStatesAsTheExpectedOnes() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("MatcherArrivalOrderProperties seed=" + seed + " (replay with -Dseed=" + seed + ")");
        Random random = new Random(seed);
        for (int b = 0; b < BOOKS; b++) {
            SyntheticBook book = new SyntheticBook(random);
            int cases = 5 + random.nextInt(40);
            for (int c = 0; c < cases; c++) {
                switch (random.nextInt(11)) {
                    case 0 -> book.referencePair(false);
                    case 1 -> book.referencePair(true);
                    case 2 -> book.amountPair();
                    case 3 -> book.amountMismatch();
                    case 4 -> book.ambiguousTriple();
                    case 5 -> book.payout();
                    case 6 -> book.duplicateBankLine();
                    case 7 -> book.recurringReference();
                    case 8 -> book.shadowedLineWithoutReference();
                    case 9 -> book.threeWayPayout();
                    default -> book.lonely(random.nextBoolean() ? Side.LEDGER : Side.BANK);
                }
            }
            Map<ItemKey, ItemState> first = null;
            for (int o = 0; o < ORDERS_PER_BOOK; o++) {
                Matcher m = new Matcher(MatcherScenarioTest.rules().withKnownAccounts(null), Instant.parse("2026-01-01T00:00:00Z"));
                book.shuffled(random).forEach(m::arrive);
                Map<ItemKey, ItemState> states = m.states();
                String context = "seed " + seed + ", book " + b + ", order " + o;
                states.forEach((key, state) -> {
                    SyntheticBook.Expected want = book.expected.get(key);
                    assertThat(state.status()).as(context + ", " + key).isEqualTo(want.status());
                    assertThat(state.reason()).as(context + ", " + key).isEqualTo(want.reason());
                    assertThat(state.kind()).as(context + ", " + key).isEqualTo(want.kind());
                });
                if (first == null) {
                    first = states;
                } else {
                    assertThat(states.keySet()).isEqualTo(first.keySet());
                    for (Map.Entry<ItemKey, ItemState> s : states.entrySet()) {
                        assertThat(s.getValue()).as(context + ": same state, outcome id and detail as in the first order")
                                .isEqualTo(first.get(s.getKey()));
                    }
                }
            }
        }
    }
}
