package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import ledger.api.FxRatesFile;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Random settlements in JPY, USD, EUR and BHD at random rates, through the real service
 * (docs/settlement.md): every identity holds exactly, on the settlement's record and on the
 * ledger's postings. Seeded: the seed is printed; replay with {@code -Dsettle.seed=N}.
 *
 * <ul>
 *   <li>source × rate = destination + rounding difference, exactly; the destination is the rule's
 *       rounding of it (sell: HALF_EVEN to the destination's unit; buy: the least source whose value
 *       covers the destination); value at mid = destination + spread + rounding posted;</li>
 *   <li>the ledger posted exactly those amounts: the reservation S, the destination entry's legs;</li>
 *   <li>every account's balance is what the settlements add up to (customers, positions, revenue,
 *       rounding), and each currency's postings sum to zero (trial balance).</li>
 * </ul>
 */
class SettlementPropertiesIT extends RestSupport {
    private static final String[] CURRENCIES = {"JPY", "USD", "EUR", "BHD"};
    private static final Map<String, Integer> SCALE = Map.of("JPY", 0, "USD", 2, "EUR", 2, "BHD", 3);
    /** The file's pairs (one direction each; the other is the inverse) and a typical bid. */
    private static final Map<String, String> PAIRS = Map.of("USD,JPY", "150", "EUR,USD", "1.08", "USD,BHD", "0.376",
            "EUR,JPY", "162", "EUR,BHD", "0.406", "BHD,JPY", "400");
    private static final String FUNDED = "100000000000";
    private static final int ROUNDS = 3;
    private static final int SETTLEMENTS_PER_ROUND = 8;

    @AfterAll
    static void restoreRates() {
        FxRatesFile.write(); // the other settlement tests price at the fixed rates
    }

    private record Done(String id, String from, String to, JsonNode view) {
    }

    @Test
    void everySettlementIsExactOnItsRecordAndOnTheLedger() throws Exception {
        long seed = Long.getLong("settle.seed", System.nanoTime());
        System.out.println("SettlementPropertiesIT seed " + seed + " (replay with -Dsettle.seed=" + seed + ")");
        Random random = new Random(seed);
        LedgerClient c = newTenant("fxp");
        for (String currency : CURRENCIES) {
            openBook(c, currency, "c-" + currency);
            fund(c, "c-" + currency, amount(FUNDED, currency), currency);
        }

        List<Done> accepted = new ArrayList<>();
        int n = 0;
        for (int round = 0; round < ROUNDS; round++) {
            writeRates(random);
            for (int i = 0; i < SETTLEMENTS_PER_ROUND; i++) {
                String from = CURRENCIES[random.nextInt(CURRENCIES.length)];
                String to = CURRENCIES[random.nextInt(CURRENCIES.length)];
                if (from.equals(to)) {
                    i--;
                    continue;
                }
                boolean sell = random.nextBoolean();
                String currency = sell ? from : to;
                long minor = 1 + (long) (Math.pow(10, 3 + random.nextInt(4) + SCALE.get(currency)) * random.nextDouble());
                String value = BigDecimal.valueOf(minor, SCALE.get(currency)).toPlainString();
                String id = "p-" + (++n);
                Response r = c.post("/v1/settlements", key(), json("id", id, "sourceAccount", "c-" + from,
                        "destinationAccount", "c-" + to, sell ? "sourceAmount" : "destinationAmount", value));
                if (r.status() == 422 && "amount_invalid".equals(r.code())) {
                    continue; // converts to nothing (or beyond the limit): refused, nothing started
                }
                assertThat(r.status()).as("%s %s→%s %s: %s", id, from, to, value, r).isEqualTo(202);
                accepted.add(new Done(id, from, to, null));
            }
        }
        assertThat(accepted).hasSizeGreaterThan(ROUNDS * SETTLEMENTS_PER_ROUND / 2);

        List<Done> done = new ArrayList<>();
        for (Done d : accepted) {
            JsonNode view = awaitFinished(c, d.id());
            assertThat(view.get("status").asText()).as("seed %d: %s", seed, view).isEqualTo("COMPLETED");
            done.add(new Done(d.id(), d.from(), d.to(), view));
        }

        Map<String, BigDecimal> expected = new HashMap<>();
        for (String currency : CURRENCIES) {
            expected.put("c-" + currency, new BigDecimal(FUNDED));
        }
        for (Done d : done) {
            checkRecord(seed, d);
            checkPostings(seed, c, d);
            JsonNode v = d.view();
            BigDecimal s = new BigDecimal(v.get("sourceAmount").asText());
            BigDecimal dst = new BigDecimal(v.get("destinationAmount").asText());
            add(expected, "c-" + d.from(), s.negate());
            add(expected, "c-" + d.to(), dst);
            add(expected, "fx.position." + d.from(), s.negate()); // ASSET: credited S
            add(expected, "fx.position." + d.to(), new BigDecimal(v.get("valueAtMid").asText()));
            add(expected, "fx.revenue." + d.to(), new BigDecimal(v.get("spreadRevenue").asText()));
            add(expected, "fx.rounding." + d.to(), new BigDecimal(v.get("rounding").asText()));
        }
        for (Map.Entry<String, BigDecimal> account : expected.entrySet()) {
            JsonNode a = c.account(account.getKey()).json();
            String currency = a.get("currency").asText();
            assertThat(new BigDecimal(a.get("balance").asText()))
                    .as("seed %d: balance of %s", seed, account.getKey())
                    .isEqualByComparingTo(account.getValue().setScale(SCALE.get(currency)));
            assertThat(a.get("available").asText()).as("seed %d: nothing left reserved on %s", seed, account.getKey())
                    .isEqualTo(a.get("balance").asText());
        }
        for (String currency : CURRENCIES) {
            JsonNode totals = trialBalance(c, "currency=" + currency).json().get("totals");
            assertThat(totals.size()).isEqualTo(1);
            assertThat(totals.get(0).get("debits").asText()).as("seed %d: %s sums to zero", seed, currency)
                    .isEqualTo(totals.get(0).get("credits").asText());
        }
    }

    /** The identities of one settlement's record, recomputed from its rates and amounts alone. */
    private static void checkRecord(long seed, Done d) {
        JsonNode v = d.view();
        int toScale = SCALE.get(d.to());
        int fromScale = SCALE.get(d.from());
        BigDecimal s = new BigDecimal(v.get("sourceAmount").asText());
        BigDecimal dst = new BigDecimal(v.get("destinationAmount").asText());
        BigDecimal rate = new BigDecimal(v.get("quote").get("rate").asText());
        BigDecimal mid = new BigDecimal(v.get("quote").get("mid").asText());
        BigDecimal difference = new BigDecimal(v.get("roundingDifference").asText());
        String what = "seed " + seed + ": " + v;
        assertThat(s.scale()).as(what).isEqualTo(fromScale);
        assertThat(dst.scale()).as(what).isEqualTo(toScale);
        assertThat(s.multiply(rate)).as(what).isEqualByComparingTo(dst.add(difference));
        assertThat(new BigDecimal(v.get("exactValue").asText())).as(what).isEqualByComparingTo(s.multiply(rate));
        if ("DESTINATION_HALF_EVEN".equals(v.get("roundingRule").asText())) {
            assertThat(s.multiply(rate).setScale(toScale, RoundingMode.HALF_EVEN)).as(what).isEqualByComparingTo(dst);
        } else {
            BigDecimal unit = BigDecimal.ONE.movePointLeft(fromScale);
            assertThat(s.multiply(rate).compareTo(dst)).as(what).isGreaterThanOrEqualTo(0);
            assertThat(s.subtract(unit).multiply(rate).compareTo(dst)).as(what).isLessThan(0);
        }
        BigDecimal valueAtMid = new BigDecimal(v.get("valueAtMid").asText());
        assertThat(valueAtMid).as(what).isEqualByComparingTo(s.multiply(mid).setScale(toScale, RoundingMode.HALF_EVEN));
        assertThat(valueAtMid).as(what).isEqualByComparingTo(dst.add(new BigDecimal(v.get("spreadRevenue").asText()))
                .add(new BigDecimal(v.get("rounding").asText())));
    }

    /** What the ledger posted for it: the reservation's amount and the destination entry's legs. */
    private static void checkPostings(long seed, LedgerClient c, Done d) {
        JsonNode v = d.view();
        String what = "seed " + seed + ": " + d.id();
        JsonNode reservation = c.get("/v1/transfers/" + d.id() + ":fx-reserve").json();
        assertThat(reservation.get("status").asText()).as(what).isEqualTo("POSTED");
        assertThat(reservation.get("postedAmount").asText()).as(what).isEqualTo(v.get("sourceAmount").asText());
        Map<String, BigDecimal> signed = new HashMap<>();
        c.get("/v1/transfers/" + d.id() + ":fx-destination").json().get("legs").forEach(leg -> {
            BigDecimal amount = new BigDecimal(leg.get("amount").asText());
            signed.put(leg.get("account").asText(), "debit".equals(leg.get("side").asText()) ? amount : amount.negate());
        });
        assertThat(signed.get("fx.position." + d.to())).as(what)
                .isEqualByComparingTo(new BigDecimal(v.get("valueAtMid").asText()));
        assertThat(signed.get("c-" + d.to())).as(what)
                .isEqualByComparingTo(new BigDecimal(v.get("destinationAmount").asText()).negate());
        assertThat(signed.getOrDefault("fx.revenue." + d.to(), BigDecimal.ZERO)).as(what)
                .isEqualByComparingTo(new BigDecimal(v.get("spreadRevenue").asText()).negate());
        assertThat(signed.getOrDefault("fx.rounding." + d.to(), BigDecimal.ZERO)).as(what)
                .isEqualByComparingTo(new BigDecimal(v.get("rounding").asText()).negate());
        assertThat(signed.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)).as(what).isZero();
    }

    private static void writeRates(Random random) throws IOException {
        StringBuilder file = new StringBuilder("base,quote,bid,ask\n");
        PAIRS.forEach((pair, typical) -> {
            BigDecimal factor = BigDecimal.valueOf(500 + random.nextInt(1001), 3); // 0.500 .. 1.500
            BigDecimal bid = new BigDecimal(typical).multiply(factor).round(new MathContext(6, RoundingMode.HALF_EVEN));
            BigDecimal spread = BigDecimal.valueOf(random.nextInt(101), 4); // 0 .. 1 %
            BigDecimal ask = bid.add(bid.multiply(spread)).round(new MathContext(8, RoundingMode.CEILING));
            file.append(pair).append(',').append(bid.stripTrailingZeros().toPlainString()).append(',')
                    .append(ask.stripTrailingZeros().toPlainString()).append('\n');
        });
        Files.writeString(DATA_DIR.resolve("fx-rates.csv"), file.toString());
    }

    private static JsonNode awaitFinished(LedgerClient c, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = c.get("/v1/settlements/" + id);
            if (last.status() == 200 && !"PENDING".equals(last.json().get("status").asText())) {
                return last.json();
            }
            pause(25);
        }
        throw new AssertionError("settlement " + id + " did not finish: " + last);
    }

    private static void add(Map<String, BigDecimal> balances, String account, BigDecimal amount) {
        balances.merge(account, amount, BigDecimal::add);
    }

    private static String amount(String major, String currency) {
        return new BigDecimal(major).setScale(SCALE.get(currency)).toPlainString();
    }
}
