package ledger.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import ledger.reconciliation.matching.Fix;
import ledger.reconciliation.matching.ItemKey;
import ledger.reconciliation.matching.ItemState;
import ledger.reconciliation.matching.MatchItem;
import ledger.reconciliation.matching.MatchItems;
import ledger.reconciliation.matching.MatchKind;
import ledger.reconciliation.matching.Matcher;
import ledger.reconciliation.matching.RuleSet;
import ledger.reconciliation.matching.Side;
import ledger.reconciliation.matching.Status;
import ledger.reconciliation.processor.CsvColumnMapping;
import ledger.reconciliation.processor.ProcessorReportParser;
import ledger.reconciliation.statement.CamtParser;
import ledger.reconciliation.statement.Mt940Parser;
import ledger.reconciliation.statement.ParseSummary;
import ledger.reconciliation.statement.StatementEntry;
import ledger.reconciliation.statement.StatementInfo;
import ledger.reconciliation.statement.StatementListener;
import org.junit.jupiter.api.Test;

/**
 * The whole core in one pass, as the service will use it: parsed camt and MT940 entries and a
 * Stripe report, turned into items by {@link MatchItems}, pushed straight from the parsers' listeners
 * into the matcher together with ledger postings.
 */
class ParseThenMatchTest {
    private static final String MT940_PAYOUT = """
            :20:PAYOUTS-0303
            :25:DE89370400440532013000
            :60F:C260302EUR0,00
            :61:2603030303C125,05NTRFPO_A
            :86:STRIPE PAYOUT
            :62F:C260303EUR125,05
            -
            """;

    @Test
    void parsedStatementsAndReportsReconcileAgainstLedgerPostings() throws Exception {
        RuleSet rules = RuleSet.defaults().withWindows(3, Duration.ofDays(5))
                .withKnownAccounts(Set.of("DE89 3704 0044 0532 0130 00", "JP-0099-1", "stripe-balance-transactions", "LEDGER"));
        Matcher matcher = new Matcher(rules, Instant.parse("2026-03-03T00:00:00Z"));

        ParseSummary camt = new CamtParser().parse(resource("own-camt053-v08.xml"), new BankFeed("camt-0302", matcher));
        ParseSummary mt940 = new Mt940Parser(StandardCharsets.UTF_8)
                .parse(new ByteArrayInputStream(MT940_PAYOUT.getBytes(StandardCharsets.UTF_8)), new BankFeed("mt940-0303", matcher));
        assertThat(camt.entries() + mt940.entries()).isEqualTo(5);
        new ProcessorReportParser(CsvColumnMapping.stripeBalanceTransactions()).parse(resource("stripe-balance.csv"),
                r -> matcher.arrive(MatchItems.processorRecord(r, ZoneOffset.UTC)));
        LocalDate day = LocalDate.of(2026, 3, 2);
        matcher.arrive(MatchItem.of(Side.LEDGER, "L-1001", "INV-1001", "1250.00", "EUR", day).withAccount("LEDGER"));
        matcher.arrive(MatchItem.of(Side.LEDGER, "L-supplies", null, "-99.90", "EUR", day.plusDays(1))
                .withAccount("LEDGER").withCounterparty("GB-7781"));
        matcher.arrive(MatchItem.of(Side.LEDGER, "L-batch", "COLLECT-0302", "300.00", "EUR", day).withAccount("LEDGER"));
        matcher.arrive(MatchItem.of(Side.LEDGER, "L-jp", "JP-ORDER-7", "1500", "JPY", day).withAccount("LEDGER"));

        Map<ItemKey, ItemState> states = matcher.states();
        assertThat(states).hasSize(13);
        ItemState invoice = states.get(ItemKey.of(Side.LEDGER, "L-1001"));
        assertThat(invoice.status()).isEqualTo(Status.MATCHED);
        ItemState invoiceBank = states.values().stream()
                .filter(s -> s.key().side() == Side.BANK && invoice.outcomeId().equals(s.outcomeId())).findFirst().orElseThrow();
        assertThat(invoiceBank.fixes()).extracting(Fix::original, Fix::normalised).contains(
                org.assertj.core.groups.Tuple.tuple("E2E-INV-1001", "INV-1001"));
        assertThat(states.get(ItemKey.of(Side.LEDGER, "L-supplies")).status()).as("by amount and counterparty").isEqualTo(Status.MATCHED);
        assertThat(states.get(ItemKey.of(Side.LEDGER, "L-batch")).status()).as("the batch entry has no single reference")
                .isEqualTo(Status.MATCHED);
        assertThat(states.get(ItemKey.of(Side.LEDGER, "L-jp")).status()).isEqualTo(Status.MATCHED);
        for (String txn : new String[] {"txn_001", "txn_002", "txn_003"}) {
            ItemState s = states.get(ItemKey.of(Side.PROCESSOR, txn));
            assertThat(s.status()).as(txn).isEqualTo(Status.MATCHED);
            assertThat(s.kind()).isEqualTo(MatchKind.MANY_TO_ONE);
        }
        assertThat(states.get(ItemKey.of(Side.PROCESSOR, "txn_004")).status()).as("payout po_B has not reached the bank yet")
                .isEqualTo(Status.WAITING);
        assertThat(states.values().stream().filter(s -> s.status() == Status.MATCHED).count()).isEqualTo(12);
        // Only differences between the sides are L1 fixes: "po_A" against the bank's "PO_A", not "ch_001" alone.
        assertThat(states.get(ItemKey.of(Side.PROCESSOR, "txn_001")).fixes()).extracting(Fix::field).containsExactly("groupKey");
        assertThat(states.get(ItemKey.of(Side.LEDGER, "L-supplies")).fixes()).isEmpty();
        assertThat(matcher.outcomes().stream().filter(o -> o.status() == Status.MATCHED).map(o -> o.items().size()))
                .containsExactlyInAnyOrder(2, 2, 2, 2, 4);
    }

    private static InputStream resource(String name) {
        return ParseThenMatchTest.class.getResourceAsStream("/statements/" + name);
    }

    /** Hands each parsed entry to the matcher as it is read, with its statement's account. */
    private static final class BankFeed implements StatementListener {
        private final String fileId;
        private final Matcher matcher;
        private StatementInfo statement;

        BankFeed(String fileId, Matcher matcher) {
            this.fileId = fileId;
            this.matcher = matcher;
        }

        @Override
        public void statementStarted(StatementInfo started) {
            statement = started;
        }

        @Override
        public void entry(StatementEntry entry) {
            matcher.arrive(MatchItems.bankEntry(fileId, statement, entry));
        }
    }
}
