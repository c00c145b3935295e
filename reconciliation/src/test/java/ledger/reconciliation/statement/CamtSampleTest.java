package ledger.reconciliation.statement;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import ledger.reconciliation.Samples;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every camt file in shared/samples/statements/camt parses (053 v2/v4/v8, 054 v2/v4/v8). They come
 * without expected parses, so each is checked against the file itself, read a second, independent
 * way (regular expressions over the text): the number of statements and entries, each entry's
 * amount, currency and direction in file order, the digest. docs/reconciliation.md, "camt".
 */
class CamtSampleTest {
    private static final Pattern NTRY = Pattern.compile("<Ntry>(.*?)</Ntry>", Pattern.DOTALL);
    private static final Pattern ENTRY_AMOUNT = Pattern.compile("^\\s*(?:<NtryRef>[^<]*</NtryRef>\\s*)?<Amt Ccy=\"([A-Z]{3})\">([0-9.]+)</Amt>\\s*<CdtDbtInd>(CRDT|DBIT)</CdtDbtInd>");

    @TestFactory
    Stream<DynamicTest> parsesEverySample() throws Exception {
        Path dir = Samples.require("statements/camt");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.toString().endsWith(".xml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> check(file)));
    }

    private void check(Path file) throws Exception {
        Collected got = new Collected();
        ParseSummary summary;
        try (InputStream in = Files.newInputStream(file)) {
            summary = new CamtParser().parse(in, got);
        }
        byte[] bytes = Files.readAllBytes(file);
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertThat(summary.sha256()).isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        String kind = text.contains("camt.053") ? "Stmt" : "Ntfctn";
        assertThat(summary.format()).contains(text.contains("camt.053") ? "CAMT_053" : "CAMT_054");
        assertThat(got.ended).hasSize(count(text, "<" + kind + ">"));
        assertThat(got.started).hasSize(got.ended.size());
        for (StatementInfo s : got.ended) {
            assertThat(s.statementId()).isNotBlank();
            assertThat(s.account()).isNotNull();
        }
        Matcher ntry = NTRY.matcher(text);
        int i = 0;
        while (ntry.find()) {
            StatementEntry e = got.entries.get(i++);
            Matcher head = ENTRY_AMOUNT.matcher(ntry.group(1));
            assertThat(head.find()).as("entry %d of %s starts with Amt and CdtDbtInd", i, file.getFileName()).isTrue();
            assertThat(e.currency()).isEqualTo(head.group(1));
            assertThat(e.amount()).isEqualByComparingTo(new BigDecimal(head.group(2)));
            assertThat(e.direction()).isEqualTo(head.group(3).equals("CRDT") ? Direction.CREDIT : Direction.DEBIT);
            assertThat(e.bookingDate() != null || e.valueDate() != null).isTrue();
            assertThat(e.details()).hasSize(count(ntry.group(1), "<TxDtls>"));
            assertThat(e.status()).isIn("BOOK", "PDNG", "INFO");
        }
        assertThat(got.entries).hasSize(i);
    }

    private static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }
}
