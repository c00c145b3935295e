package ledger.reconciliation.matching;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * 100,000 ledger postings against 100,000 bank statement lines, arriving interleaved in a seeded
 * random order: every item ends as its case says, and the counts come out exactly. The time is
 * printed, never asserted (docs/reconciliation.md, "Performance"; MatcherBenchmark measures it).
 */
class HundredThousandTest {

    /** The 100k × 100k book: how many cases of each kind. */
    static SyntheticBook book(Random random) {
        SyntheticBook book = new SyntheticBook(random);
        for (int i = 0; i < 64_000; i++) {
            book.referencePair(false);
        }
        for (int i = 0; i < 16_000; i++) {
            book.referencePair(true);
        }
        for (int i = 0; i < 15_000; i++) {
            book.amountPair();
        }
        for (int i = 0; i < 4_000; i++) {
            book.amountMismatch();
        }
        for (int i = 0; i < 1_000; i++) {
            book.lonely(Side.LEDGER);
            book.lonely(Side.BANK);
        }
        return book;
    }

    @Test
    void matchesAHundredThousandPostingsAgainstAHundredThousandBankLines() {
        long seed = Long.getLong("seed", 20260302L);
        SyntheticBook book = book(new Random(seed));
        List<MatchItem> arrivals = book.shuffled(new Random(seed + 1));
        Map<Side, Long> sides = new EnumMap<>(Side.class);
        arrivals.forEach(i -> sides.merge(i.key().side(), 1L, Long::sum));
        assertThat(sides).containsEntry(Side.LEDGER, 100_000L).containsEntry(Side.BANK, 100_000L);

        Matcher m = new Matcher(MatcherScenarioTest.rules().withKnownAccounts(null), Instant.parse("2026-01-01T00:00:00Z"));
        long started = System.nanoTime();
        arrivals.forEach(m::arrive);
        long arrivedMs = (System.nanoTime() - started) / 1_000_000;
        m.advanceTo(Instant.parse("2026-03-01T00:00:00Z"));
        long totalMs = (System.nanoTime() - started) / 1_000_000;
        System.out.println("100k x 100k (seed " + seed + "): arrivals " + arrivedMs + " ms, with clock " + totalMs + " ms");

        Map<String, Integer> counts = new HashMap<>();
        m.states().forEach((key, state) -> {
            SyntheticBook.Expected want = book.expected.get(key);
            Status status = want.status() == Status.WAITING ? Status.BREAK : want.status();
            BreakReason reason = want.status() == Status.WAITING ? BreakReason.UNMATCHED_AFTER_SETTLEMENT_WINDOW : want.reason();
            assertThat(state.status()).as(key.toString()).isEqualTo(status);
            assertThat(state.reason()).as(key.toString()).isEqualTo(reason);
            counts.merge(state.status() + (state.reason() == null ? "" : " " + state.reason()), 1, Integer::sum);
        });
        assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of(
                "MATCHED", 2 * 95_000,
                "BREAK AMOUNT_MISMATCH", 2 * 4_000,
                "BREAK UNMATCHED_AFTER_SETTLEMENT_WINDOW", 2 * 1_000));
        List<Outcome> outcomes = m.outcomes();
        assertThat(outcomes.stream().filter(o -> o.status() == Status.MATCHED).count()).isEqualTo(95_000);
        assertThat(outcomes.stream().filter(o -> o.status() == Status.MATCHED).mapToLong(o -> o.fixes().size()).sum())
                .as("three L1 fixes (reference, currency, date) on each noisy bank line").isEqualTo(3L * 16_000);
    }
}
