package ledger.reconciliation.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import ledger.reconciliation.statement.ParseSummary;
import ledger.reconciliation.statement.StatementFormatException;
import org.junit.jupiter.api.Test;

/** Processor CSV reports as docs/reconciliation.md ("Processor reports") describes them. */
class ProcessorReportParserTest {

    private static InputStream fixture(String name) {
        return ProcessorReportParserTest.class.getResourceAsStream("/statements/" + name);
    }

    private static InputStream text(String csv) {
        return new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAStripeBalanceTransactionExport() throws Exception {
        List<ProcessorRecord> got = new ArrayList<>();
        ParseSummary summary = new ProcessorReportParser(CsvColumnMapping.stripeBalanceTransactions())
                .parse(fixture("stripe-balance.csv"), got::add);

        assertThat(summary.entries()).isEqualTo(4);
        assertThat(summary.sha256()).hasSize(64);
        ProcessorRecord first = got.get(0);
        assertThat(first.recordId()).isEqualTo("txn_001");
        assertThat(first.line()).isEqualTo(2);
        assertThat(first.created()).isEqualTo(Instant.parse("2026-03-01T10:00:00Z"));
        assertThat(first.currency()).as("lower case repaired").isEqualTo("EUR");
        assertThat(first.gross()).isEqualTo(new BigDecimal("100.00"));
        assertThat(first.fee()).isEqualTo(new BigDecimal("3.20"));
        assertThat(first.net()).isEqualTo(new BigDecimal("96.80"));
        assertThat(first.category()).isEqualTo("charge");
        assertThat(first.sourceId()).isEqualTo("ch_001");
        assertThat(first.description()).isEqualTo("Order 1, gift card");
        assertThat(first.payoutId()).isEqualTo("po_A");

        ProcessorRecord refund = got.get(2);
        assertThat(refund.gross()).isEqualTo(new BigDecimal("-20.00"));
        assertThat(refund.net()).isEqualTo(new BigDecimal("-20.00"));

        ProcessorRecord yen = got.get(3);
        assertThat(yen.net()).isEqualTo(new BigDecimal("1455"));
        assertThat(got.stream().filter(r -> "po_A".equals(r.payoutId())).map(ProcessorRecord::net)
                .reduce(BigDecimal.ZERO, BigDecimal::add)).isEqualTo(new BigDecimal("125.05"));
    }

    @Test
    void readsAPaypalStyleSettlementReportInMinorUnitsWithDebitCreditColumns() throws Exception {
        List<ProcessorRecord> got = new ArrayList<>();
        new ProcessorReportParser(CsvColumnMapping.paypalSettlement()).parse(fixture("paypal-settlement.csv"), got::add);

        assertThat(got).hasSize(3);
        ProcessorRecord sale = got.get(0);
        assertThat(sale.created()).isEqualTo(Instant.parse("2026-03-01T16:00:00Z"));
        assertThat(sale.gross()).isEqualTo(new BigDecimal("10.50"));
        assertThat(sale.fee()).as("DR fee: charged").isEqualTo(new BigDecimal("0.61"));
        assertThat(sale.net()).isEqualTo(new BigDecimal("9.89"));
        assertThat(sale.sourceId()).isEqualTo("INV-9");
        assertThat(sale.payoutId()).isNull();

        ProcessorRecord refund = got.get(1);
        assertThat(refund.gross()).isEqualTo(new BigDecimal("-5.00"));
        assertThat(refund.fee()).as("CR fee: given back").isEqualTo(new BigDecimal("-0.15"));
        assertThat(refund.net()).isEqualTo(new BigDecimal("-4.85"));

        ProcessorRecord yen = got.get(2);
        assertThat(yen.gross()).as("JPY minor units are yen").isEqualTo(new BigDecimal("2000"));
        assertThat(yen.created()).isEqualTo(Instant.parse("2026-03-01T15:30:00Z"));
        assertThat(yen.description()).isNull();
    }

    private static final String STRIPE_HEADER =
            "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,description,automatic_payout_id\n";

    @Test
    void refusesANetThatIsNotGrossLessFeeNamingLineAndColumn() {
        String csv = STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,eur,10.00,1.00,9.00,charge,ch_1,,po\n"
                + "txn_2,2026-03-01 10:00:00,eur,10.00,1.00,9.10,charge,ch_2,,po\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 3, column \"net\"", "is not gross 10.00 - fee 1.00");
    }

    @Test
    void refusesAnAmountWithMoreDecimalsThanTheCurrency() {
        String csv = STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,jpy,10.5,0,10.5,charge,ch_1,,po\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 2, column \"gross\"", "more decimals than JPY allows (0)");
    }

    @Test
    void refusesADateOutsideTheMappingsPattern() {
        String csv = STRIPE_HEADER + "txn_1,01/03/2026,eur,10.00,0.00,10.00,charge,ch_1,,po\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 2, column \"created_utc\"", "pattern");
    }

    @Test
    void refusesAMissingColumn() {
        String csv = "balance_transaction_id,created_utc,currency,gross\ntxn_1,2026-03-01 10:00:00,eur,1.00\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 1", "no column \"fee\"");
    }

    @Test
    void refusesAShortRow() {
        String csv = STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,eur\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 2", "has 3 fields, the header has 10");
    }

    @Test
    void refusesAnUnknownDebitCreditMark() {
        String csv = "Transaction ID,Invoice ID,Transaction Event Code,Transaction Initiation Date,Transaction Debit or Credit,"
                + "Gross Transaction Amount,Gross Transaction Currency,Fee Debit or Credit,Fee Amount,Custom Field\n"
                + "T1,INV,T0006,2026/03/01 08:00:00 +0000,CREDIT,100,USD,DR,1,\n";
        assertRefused(CsvColumnMapping.paypalSettlement(), csv, "line 2, column \"Transaction Debit or Credit\"", "must be one of [CR]");
    }

    @Test
    void skipsAByteOrderMarkAndNamesTheLineWhereAMultiLineRecordEnds() {
        String csv = "\uFEFF" + STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,eur,10.00,0.00,10.00,charge,ch_1,\"two\nlines\",po\n"
                + "txn_2,2026-03-01 10:00:00,eur,10.00,0.00,10.00,charge,ch_2,x,po\n"
                + "txn_3,2026-03-01 10:00:00,eur,10.00,0.00,9.00,charge,ch_3,x,po";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 5, column \"net\"", "is not gross");
    }

    @Test
    void refusesADuplicateHeaderName() {
        String csv = "balance_transaction_id,balance_transaction_id\nx,y\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 1", "bad header");
    }

    @Test
    void letsTheConsumersOwnExceptionThrough() {
        String csv = STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,eur,10.00,0.00,10.00,charge,ch_1,,po\n";
        assertThatThrownBy(() -> new ProcessorReportParser(CsvColumnMapping.stripeBalanceTransactions())
                .parse(text(csv), r -> {
                    throw new IllegalArgumentException("downstream refused " + r.recordId());
                }))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("downstream refused txn_1");
    }

    @Test
    void refusesAnUnterminatedQuote() {
        String csv = STRIPE_HEADER + "txn_1,2026-03-01 10:00:00,eur,10.00,0.00,10.00,charge,ch_1,\"never closed,po\n";
        assertRefused(CsvColumnMapping.stripeBalanceTransactions(), csv, "line 2", "not valid CSV");
    }

    private static void assertRefused(CsvColumnMapping mapping, String csv, String location, String why) {
        assertThatThrownBy(() -> new ProcessorReportParser(mapping).parse(text(csv), r -> { }))
                .isInstanceOf(StatementFormatException.class)
                .satisfies(e -> assertThat(((StatementFormatException) e).location()).isEqualTo(location))
                .hasMessageContaining(why);
    }
}
