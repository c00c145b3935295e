package ledger.reconciliation.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** camt as docs/reconciliation.md ("camt") describes it, on our own fixtures and on broken files. */
class CamtParserTest {
    private final CamtParser parser = new CamtParser();

    @Test
    void readsStatementsBalancesBatchesAndCounterpartiesOfACamt053V08() throws Exception {
        Collected got = new Collected();
        ParseSummary summary = parser.parse(Fixtures.open("own-camt053-v08.xml"), got);

        assertThat(summary.format()).isEqualTo("CAMT_053 urn:iso:std:iso:20022:tech:xsd:camt.053.001.08");
        assertThat(summary.statements()).isEqualTo(2);
        assertThat(summary.entries()).isEqualTo(4);

        StatementInfo eur = got.ended.get(0);
        assertThat(eur.messageId()).isEqualTo("OWN-MSG-0001");
        assertThat(eur.statementId()).isEqualTo("OWN-STMT-EUR-0302");
        assertThat(eur.sequenceNumber()).isEqualTo("61");
        assertThat(eur.account()).isEqualTo(new AccountIdentification(AccountIdentification.Scheme.IBAN, "DE89370400440532013000"));
        assertThat(eur.currency()).isEqualTo("EUR");
        assertThat(eur.opening().orElseThrow().amount()).isEqualTo(new BigDecimal("1000.00"));
        assertThat(eur.opening().orElseThrow().date()).isEqualTo(LocalDate.of(2026, 3, 1));
        assertThat(eur.closing().orElseThrow().amount()).isEqualTo(new BigDecimal("2450.10"));
        assertThat(eur.balance(Balance.Kind.OTHER).orElseThrow().typeCode()).isEqualTo("CLAV");
        assertThat(eur.information()).isEqualTo("Own fixture");
        assertThat(eur.entryCount()).isEqualTo(3);
        assertThat(got.started.get(0).closing()).as("camt gives balances before entries").isPresent();

        StatementEntry in = got.entries.get(0);
        assertThat(in.location()).isEqualTo("/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]");
        assertThat(in.direction()).isEqualTo(Direction.CREDIT);
        assertThat(in.amount()).isEqualTo(new BigDecimal("1250.00"));
        assertThat(in.bookingDate()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(in.valueDate()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(in.status()).isEqualTo("BOOK");
        assertThat(in.bankTransactionCode()).isEqualTo("PMNT/RCDT/ESCT");
        assertThat(in.accountServicerReference()).isEqualTo("BANKREF-1");
        assertThat(in.endToEndId()).isEqualTo("E2E-INV-1001");
        assertThat(in.remittanceInformation()).isEqualTo("Invoice 1001");
        assertThat(in.counterpartyName()).as("v8 Dbtr/Pty/Nm").isEqualTo("ACME GmbH");
        assertThat(in.counterpartyAccount()).isEqualTo("DE02120300000000202051");

        StatementEntry out = got.entries.get(1);
        assertThat(out.signedAmount()).isEqualTo(new BigDecimal("-99.90"));
        assertThat(out.counterpartyName()).as("for a debit the creditor is the other party").isEqualTo("Office Supplies Ltd");
        assertThat(out.counterpartyAccount()).isEqualTo("GB-7781");
        assertThat(out.remittanceInformation()).isEqualTo("RF18539007547034");
        assertThat(out.bankTransactionCode()).isEqualTo("MSC");

        StatementEntry batch = got.entries.get(2);
        assertThat(batch.details()).hasSize(2);
        assertThat(batch.endToEndId()).as("a batch has no single reference").isNull();
        assertThat(batch.details()).extracting(TransactionDetails::endToEndId).containsExactly("BATCH-A", "BATCH-B");
        assertThat(batch.details()).extracting(TransactionDetails::amount)
                .containsExactly(new BigDecimal("100.00"), new BigDecimal("200.00"));
        assertThat(batch.supplementaryDetails()).isEqualTo("Collective credit");

        BigDecimal sum = got.entriesOf("OWN-STMT-EUR-0302").stream().map(StatementEntry::signedAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(eur.opening().orElseThrow().amount().add(sum)).isEqualTo(eur.closing().orElseThrow().amount());

        StatementInfo jpy = got.ended.get(1);
        assertThat(jpy.account()).isEqualTo(new AccountIdentification(AccountIdentification.Scheme.OTHER, "JP-0099-1"));
        assertThat(jpy.opening().orElseThrow().typeCode()).isEqualTo("PRCD");
        StatementEntry yen = got.entries.get(3);
        assertThat(yen.amount()).as("JPY has no minor unit").isEqualTo(new BigDecimal("1500"));
        assertThat(yen.location()).isEqualTo("/Document/BkToCstmrStmt/Stmt[2]/Ntry[1]");
    }

    @Test
    void readsACamt054Notification() throws Exception {
        Collected got = new Collected();
        ParseSummary summary = parser.parse(Fixtures.open("own-camt054-v04.xml"), got);
        assertThat(summary.format()).startsWith("CAMT_054");
        StatementEntry e = got.entries.get(0);
        assertThat(e.statementId()).isEqualTo("OWN-NTF-1-1");
        assertThat(e.amount()).isEqualTo(new BigDecimal("42.00"));
        assertThat(e.endToEndId()).isEqualTo("E2E-42");
        assertThat(e.accountServicerReference()).isEqualTo("SVC-42");
        assertThat(e.counterpartyName()).isEqualTo("Jane Doe");
        assertThat(e.counterpartyAccount()).isEqualTo("FR1420041010050500013M02606");
        assertThat(e.status()).isEqualTo("BOOK");
    }

    @Test
    void readsACamt052AccountReport() throws Exception {
        String xml = """
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08">
                  <BkToCstmrAcctRpt>
                    <GrpHdr><MsgId>RPT-1</MsgId></GrpHdr>
                    <Rpt>
                      <Id>RPT-1-1</Id>
                      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
                      <Bal><Tp><CdOrPrtry><Cd>ITBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">5.00</Amt>
                        <CdtDbtInd>DBIT</CdtDbtInd><Dt><Dt>2026-03-02</Dt></Dt></Bal>
                      <Ntry><Amt Ccy="EUR">7.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts><Cd>PDNG</Cd></Sts>
                        <ValDt><Dt>2026-03-03</Dt></ValDt></Ntry>
                    </Rpt>
                  </BkToCstmrAcctRpt>
                </Document>
                """;
        Collected got = new Collected();
        ParseSummary summary = parser.parse(Fixtures.text(xml), got);
        assertThat(summary.format()).startsWith("CAMT_052");
        StatementInfo report = got.ended.get(0);
        assertThat(report.opening().orElseThrow().kind()).isEqualTo(Balance.Kind.INTERMEDIATE_OPENING);
        assertThat(report.opening().orElseThrow().amount()).as("a debit balance is negative").isEqualTo(new BigDecimal("-5.00"));
        StatementEntry pending = got.entries.get(0);
        assertThat(pending.status()).isEqualTo("PDNG");
        assertThat(pending.bookingDate()).isNull();
        assertThat(pending.valueDate()).isEqualTo(LocalDate.of(2026, 3, 3));
    }

    private static String statement(String entries) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">
                  <BkToCstmrStmt>
                    <GrpHdr><MsgId>M</MsgId></GrpHdr>
                    <Stmt>
                      <Id>S</Id>
                      <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>
                """ + entries + """
                    </Stmt>
                  </BkToCstmrStmt>
                </Document>
                """;
    }

    private static String entry(String amount, String ccy, String direction) {
        return "<Ntry><Amt Ccy=\"" + ccy + "\">" + amount + "</Amt><CdtDbtInd>" + direction
                + "</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry>\n";
    }

    @Test
    void refusesABadAmountNamingTheElementPath() {
        String xml = statement(entry("10.00", "EUR", "CRDT") + entry("12,50", "EUR", "CRDT"));
        assertRefused(xml, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt", "unsigned decimal");
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas() {
        assertRefused(statement(entry("1500.5", "JPY", "CRDT")), "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt",
                "more decimals than JPY allows (0)");
    }

    @Test
    void refusesAnUnknownCurrency() {
        assertRefused(statement(entry("1.00", "EURO", "CRDT")), "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt/@Ccy",
                "unknown ISO 4217 currency \"EURO\"");
    }

    @Test
    void refusesABadCreditDebitIndicator() {
        assertRefused(statement(entry("1.00", "EUR", "CREDIT")), "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/CdtDbtInd",
                "CRDT or DBIT");
    }

    @Test
    void refusesAnEntryWithoutAmount() {
        assertRefused(statement("<Ntry><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry>"),
                "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]", "entry has no Amt");
    }

    @Test
    void refusesABadDate() {
        assertRefused(statement("<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-02-30</Dt></BookgDt></Ntry>"),
                "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/BookgDt/Dt", "not an ISO date");
    }

    @Test
    void refusesAStatementWithoutAccount() {
        String xml = statement(entry("1.00", "EUR", "CRDT")).replace("<Acct><Id><IBAN>DE89370400440532013000</IBAN></Id></Acct>", "");
        assertRefused(xml, "/Document/BkToCstmrStmt/Stmt[1]/Acct/Id", "names no account");
    }

    @Test
    void refusesAnotherIso20022Message() {
        String xml = "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.001.001.09\"><CstmrCdtTrfInitn/></Document>";
        assertRefused(xml, "/Document", "not a camt.052/053/054 document");
    }

    @Test
    void refusesTruncatedXmlNamingWhereItStopped() {
        String xml = statement(entry("1.00", "EUR", "CRDT"));
        assertRefused(xml.substring(0, xml.indexOf("</Stmt>")), "/Document/BkToCstmrStmt/Stmt[1]", "not well-formed XML");
    }

    @Test
    void refusesDoctypesSoNoEntityIsEverExpanded() {
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>&x;</BkToCstmrStmt></Document>";
        assertThatThrownBy(() -> parser.parse(Fixtures.text(xml), new Collected()))
                .isInstanceOf(StatementFormatException.class)
                .hasMessageContaining("not well-formed XML")
                .hasMessageContaining("\"x\"")
                .hasMessageNotContaining("root:");
    }

    private void assertRefused(String xml, String location, String why) {
        assertThatThrownBy(() -> parser.parse(Fixtures.text(xml), new Collected()))
                .isInstanceOf(StatementFormatException.class)
                .satisfies(e -> assertThat(((StatementFormatException) e).location()).startsWith(location))
                .hasMessageContaining(why);
    }
}
