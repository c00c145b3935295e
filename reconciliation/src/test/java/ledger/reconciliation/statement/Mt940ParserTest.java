package ledger.reconciliation.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** MT940 as docs/reconciliation.md ("MT940") describes it, on our own fixture and on broken files. */
class Mt940ParserTest {
    private final Mt940Parser parser = new Mt940Parser(StandardCharsets.UTF_8);

    @Test
    void readsAFinWrappedStatementWithReversalSupplementaryDetailsAndNewYearEntryDate() throws Exception {
        Collected got = new Collected();
        ParseSummary summary = parser.parse(Fixtures.open("own-mt940-fin.sta"), got);

        assertThat(summary.statements()).isEqualTo(1);
        assertThat(summary.entries()).isEqualTo(3);
        assertThat(summary.sha256()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Fixtures.bytes("own-mt940-fin.sta"))));
        StatementInfo s = got.ended.get(0);
        assertThat(s.statementId()).isEqualTo("STMT-2026-03");
        assertThat(s.sequenceNumber()).isEqualTo("61/1");
        assertThat(s.account()).isEqualTo(new AccountIdentification(AccountIdentification.Scheme.IBAN, "DE89370400440532013000"));
        assertThat(s.currency()).isEqualTo("EUR");
        assertThat(s.opening().orElseThrow().amount()).isEqualTo(new BigDecimal("1000.00"));
        assertThat(s.opening().orElseThrow().date()).isEqualTo(LocalDate.of(2026, 2, 27));
        assertThat(s.closing().orElseThrow().amount()).isEqualTo(new BigDecimal("2100.10"));
        assertThat(s.balance(Balance.Kind.OTHER).orElseThrow().typeCode()).isEqualTo("64");
        assertThat(s.information()).isEqualTo("Statement note");
        assertThat(got.started.get(0).closing()).as("the closing balance comes after the entries").isEmpty();

        StatementEntry first = got.entries.get(0);
        assertThat(first.direction()).isEqualTo(Direction.CREDIT);
        assertThat(first.amount()).isEqualTo(new BigDecimal("1250.00"));
        assertThat(first.valueDate()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(first.bookingDate()).isEqualTo(LocalDate.of(2026, 3, 2));
        assertThat(first.bankTransactionCode()).isEqualTo("NTRF");
        assertThat(first.ownerReference()).isEqualTo("E2E-INV-1001");
        assertThat(first.accountServicerReference()).isEqualTo("BANKREF-1");
        assertThat(first.supplementaryDetails()).isEqualTo("ACME GMBH ORDER 1001");
        assertThat(first.remittanceInformation()).isEqualTo("Invoice 1001\nACME GmbH");
        assertThat(first.location()).isEqualTo("line 6");

        StatementEntry second = got.entries.get(1);
        assertThat(second.amount()).isEqualTo(new BigDecimal("99.90"));
        assertThat(second.signedAmount()).isEqualTo(new BigDecimal("-99.90"));
        assertThat(second.bookingDate()).as("entry date before value date").isEqualTo(LocalDate.of(2026, 3, 2));

        StatementEntry reversal = got.entries.get(2);
        assertThat(reversal.reversal()).isTrue();
        assertThat(reversal.direction()).as("a reversed credit takes the money out").isEqualTo(Direction.DEBIT);
        assertThat(reversal.amount()).isEqualTo(new BigDecimal("50.00"));
        assertThat(reversal.valueDate()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(reversal.bookingDate()).as("booked in the new year").isEqualTo(LocalDate.of(2027, 1, 2));

        BigDecimal sum = got.entries.stream().map(StatementEntry::signedAmount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertThat(s.opening().orElseThrow().amount().add(sum)).isEqualTo(s.closing().orElseThrow().amount());
    }

    @Test
    void sameBytesGiveTheSameDigestAndOtherBytesAnother() throws Exception {
        String a = parser.parse(Fixtures.open("own-mt940-fin.sta"), new Collected()).sha256();
        String b = parser.parse(Fixtures.open("own-mt940-fin.sta"), new Collected()).sha256();
        byte[] changed = Fixtures.bytes("own-mt940-fin.sta");
        changed[changed.length - 3] ^= 1; // inside the trailer: still parses
        String c = parser.parse(new ByteArrayInputStream(changed), new Collected()).sha256();
        assertThat(a).isEqualTo(b).isNotEqualTo(c).hasSize(64);
    }

    @Test
    void field25IsAnIbanOnlyWhenItsCheckDigitsSaySo() throws Exception {
        assertThat(account(":25:NL91ABNA0417164300EUR")).isEqualTo(
                new AccountIdentification(AccountIdentification.Scheme.IBAN, "NL91ABNA0417164300"));
        assertThat(account(":25:NL92ABNA0417164300")).as("wrong check digits").isEqualTo(
                new AccountIdentification(AccountIdentification.Scheme.OTHER, "NL92ABNA0417164300"));
        assertThat(account(":25:ABNANL2A/0417164300")).isEqualTo(
                new AccountIdentification(AccountIdentification.Scheme.OTHER, "ABNANL2A/0417164300"));
    }

    private AccountIdentification account(String field25) throws Exception {
        Collected got = new Collected();
        parser.parse(Fixtures.text(":20:S\n" + field25 + "\n:60F:C260301EUR0,\n:62F:C260301EUR0,\n"), got);
        return got.ended.get(0).account();
    }

    private static final String GOOD_HEAD = ":20:S1\n:25:NL91ABNA0417164300\n:28C:1/1\n:60F:C260301EUR100,00\n";

    @Test
    void refusesAnAmountThatIsNotADecimalNamingItsLine() {
        String file = GOOD_HEAD + ":61:260302C12.50NTRFREF1\n:62F:C260302EUR112,50\n";
        assertRefused(file, "line 5", "decimal comma such as 1234,50: \"12\" in :61:\"260302C12.50NTRFREF1\"");
    }

    @Test
    void refusesMoreDecimalsThanTheCurrencyHas() {
        String file = GOOD_HEAD + ":61:260302C12,505NTRFREF1\n:62F:C260302EUR112,50\n";
        assertRefused(file, "line 5", "more decimals than EUR allows (2)");
    }

    @Test
    void refusesAStatementWithoutClosingBalance() {
        String file = GOOD_HEAD + ":61:260302C12,50NTRFREF1\n:86:text\n";
        assertRefused(file, "line 7 (end of file)", "ends without a closing balance");
    }

    @Test
    void refusesAStatementLineBeforeTheOpeningBalance() {
        String file = ":20:S1\n:25:NL91ABNA0417164300\n:61:260302C12,50NTRFREF1\n:62F:C260302EUR112,50\n";
        assertRefused(file, "line 3", "before the opening balance");
    }

    @Test
    void refusesAnImpossibleValueDate() {
        String file = GOOD_HEAD + ":61:261332C12,50NTRFREF1\n:62F:C260302EUR112,50\n";
        assertRefused(file, "line 5", "value date is not a calendar date");
    }

    @Test
    void refusesAGarbledDebitCreditMark() {
        String file = GOOD_HEAD + ":61:260302X12,50NTRFREF1\n:62F:C260302EUR112,50\n";
        assertRefused(file, "line 5", "debit/credit mark");
    }

    @Test
    void refusesAnUnknownCurrency() {
        String file = ":20:S1\n:25:NL91ABNA0417164300\n:60F:C260301XEU100,00\n:62F:C260302XEU100,00\n";
        assertRefused(file, "line 3", "unknown ISO 4217 currency \"XEU\"");
    }

    @Test
    void refusesFieldsBeforeTheTransactionReference() {
        assertRefused(":25:NL91ABNA0417164300\n:20:S1\n", "line 1", "before the statement's :20:");
    }

    @Test
    void refusesBytesThatAreNotTheDeclaredCharset() {
        byte[] head = (GOOD_HEAD + ":61:260302C12,50NTRFREF1\n:86:caf").getBytes(StandardCharsets.US_ASCII);
        byte[] file = new byte[head.length + 1];
        System.arraycopy(head, 0, file, 0, head.length);
        file[head.length] = (byte) 0xE9; // ISO-8859-1 é, not UTF-8
        assertThatThrownBy(() -> parser.parse(new ByteArrayInputStream(file), new Collected()))
                .isInstanceOf(StatementFormatException.class)
                .hasMessageContaining("not valid UTF-8");
    }

    @Test
    void refusesAFileWithoutStatements() {
        assertRefused("hello\nworld\n", "end of file", "no MT940 statement");
    }

    private void assertRefused(String file, String location, String why) {
        assertThatThrownBy(() -> parser.parse(Fixtures.text(file), new Collected()))
                .isInstanceOf(StatementFormatException.class)
                .satisfies(e -> assertThat(((StatementFormatException) e).location()).contains(location))
                .hasMessageContaining(why);
    }
}
