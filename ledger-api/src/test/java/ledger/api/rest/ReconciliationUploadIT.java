package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * Statement uploads over the real HTTP port (docs/reconciliation.md, "Upload"): each format, the
 * same file twice, malformed files refused naming the line or element with nothing stored, the
 * parameters refused by name, the roles, and the records in the tenant's hash chain.
 */
class ReconciliationUploadIT extends RestSupport {
    /** The reconciliation module's own fixtures (in this repository). */
    private static final Path FIXTURES = Path.of("../reconciliation/src/test/resources/statements");

    static byte[] fixture(String name) {
        try {
            return Files.readAllBytes(FIXTURES.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response upload(LedgerClient c, String query, byte[] body, String contentType) {
        return raw(c, HttpRequest.newBuilder(c.uri("/v1/reconciliation/statements" + query))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertNotStored(LedgerClient c, byte[] file) {
        String id = "up-" + sha256(file).substring(0, 32);
        assertProblem(c.get("/v1/reconciliation/statements/" + id), 404, "upload_not_found");
    }

    @Test
    void aCamt053IsIngestedOnceAndTheSameFileAgainAnswersTheFirstUpload() {
        LedgerClient admin = newTenant("recon-camt");
        open(admin, "bank-eur", "EUR", "ASSET", "unlimited");
        LedgerClient finance = withRoles(admin, "finance");
        byte[] file = fixture("own-camt053-v08.xml");

        Response first = upload(finance, "?format=camt053&account=bank-eur", file, "application/xml");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        JsonNode up = first.json();
        assertThat(up.get("id").asText()).isEqualTo("up-" + sha256(file).substring(0, 32));
        assertThat(up.get("sha256").asText()).isEqualTo(sha256(file));
        assertThat(up.get("bytes").asLong()).isEqualTo(file.length);
        assertThat(up.get("status").asText()).isEqualTo("INGESTED");
        assertThat(up.get("records").asLong()).isEqualTo(4);
        assertThat(up.get("account").asText()).isEqualTo("bank-eur");
        assertThat(up.get("detectedFormat").asText()).startsWith("CAMT_053 urn:iso:std:iso:20022:tech:xsd:camt.053.001.08");
        JsonNode eur = up.get("statements").get(0);
        assertThat(eur.get("id").asText()).isEqualTo("OWN-STMT-EUR-0302");
        assertThat(eur.get("account").asText()).isEqualTo("DE89370400440532013000");
        assertThat(eur.get("ledgerAccount").asText()).isEqualTo("bank-eur");
        assertThat(eur.get("openingBalance").asText()).isEqualTo("1000.00");
        assertThat(eur.get("openingDate").asText()).isEqualTo("2026-03-01");
        assertThat(eur.get("closingBalance").asText()).isEqualTo("2450.10");
        assertThat(eur.get("closingDate").asText()).isEqualTo("2026-03-02");
        assertThat(up.get("statements")).hasSize(2);
        assertThat(up.get("statements").get(0).get("entries").asLong()
                + up.get("statements").get(1).get("entries").asLong()).isEqualTo(4);

        Response again = upload(finance, "?format=camt053&account=bank-eur", file, "application/xml");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(up);
        Response read = finance.get("/v1/reconciliation/statements/" + up.get("id").asText());
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.json()).isEqualTo(up);

        // the records are events of the tenant's hash chain, once
        LedgerClient auditor = withRoles(admin, "auditor");
        Response export = auditor.get("/v1/audit/export");
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        assertThat(count(export.body(), "ledger.StatementUploadStarted")).isEqualTo(1);
        // one chunk per statement here: a statement's records are recorded before its balances
        assertThat(count(export.body(), "ledger.StatementRecordsIngested")).isEqualTo(2);
        assertThat(count(export.body(), "ledger.BankStatementRead")).isEqualTo(2);
        assertThat(count(export.body(), "ledger.StatementUploadCompleted")).isEqualTo(1);
        assertThat(export.body()).contains("E2E-INV-1001");
    }

    /** Export lines (one event each) that name {@code word}. */
    private static long count(String export, String word) {
        return export.lines().filter(line -> line.contains(word)).count();
    }

    @Test
    void eachFormatIsIngested() {
        LedgerClient admin = newTenant("recon-formats");
        Response camt054 = upload(admin, "?format=camt054", fixture("own-camt054-v04.xml"), "application/xml");
        assertThat(camt054.status()).as(camt054.toString()).isEqualTo(201);
        assertThat(camt054.json().get("records").asLong()).isEqualTo(1);

        Response mt940 = upload(admin, "?format=mt940", fixture("own-mt940-fin.sta"), "text/plain");
        assertThat(mt940.status()).as(mt940.toString()).isEqualTo(201);
        assertThat(mt940.json().get("records").asLong()).isPositive();
        assertThat(mt940.json().get("statements").get(0).get("openingBalance").asText()).isEqualTo("1000.00");

        Response stripe = upload(admin, "?format=csv&mapping=stripe", fixture("stripe-balance.csv"), "text/csv");
        assertThat(stripe.status()).as(stripe.toString()).isEqualTo(201);
        assertThat(stripe.json().get("records").asLong()).isEqualTo(4);
        assertThat(stripe.json().get("statements")).isEmpty();

        Response paypal = upload(admin, "?format=csv&mapping=paypal", fixture("paypal-settlement.csv"),
                "application/octet-stream");
        assertThat(paypal.status()).as(paypal.toString()).isEqualTo(201);
        assertThat(paypal.json().get("records").asLong()).isEqualTo(3);
    }

    @Test
    void aMalformedFileIsRefusedNamingWhereAndNothingIsStored() {
        LedgerClient admin = newTenant("recon-bad");
        String camt = new String(fixture("own-camt053-v08.xml"), StandardCharsets.UTF_8);
        byte[] badAmount = camt.replace("<Amt Ccy=\"EUR\">1250.00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>",
                "<Amt Ccy=\"EUR\">1250,00</Amt>\n        <CdtDbtInd>CRDT</CdtDbtInd>\n        <Sts>").getBytes(StandardCharsets.UTF_8);
        assertThat(badAmount).isNotEqualTo(fixture("own-camt053-v08.xml"));
        JsonNode problem = assertProblem(upload(admin, "?format=camt053", badAmount, "application/xml"), 400,
                "statement_malformed");
        detailMentions(problem, "/Document/BkToCstmrStmt/Stmt[1]/Ntry[1]/Amt", "1250,00");
        assertNotStored(admin, badAmount);

        // cut off in the middle: not well-formed
        byte[] cut = java.util.Arrays.copyOf(fixture("own-camt053-v08.xml"), 2000);
        detailMentions(assertProblem(upload(admin, "?format=camt053", cut, "application/xml"), 400,
                "statement_malformed"), "/Document/BkToCstmrStmt");
        assertNotStored(admin, cut);

        String mt940 = new String(fixture("own-mt940-fin.sta"), StandardCharsets.UTF_8);
        byte[] badMt940 = mt940.replaceFirst(":60F:C260227EUR1000,00", ":60F:C260227EUR1000.00")
                .getBytes(StandardCharsets.UTF_8);
        detailMentions(assertProblem(upload(admin, "?format=mt940", badMt940, "text/plain"), 400,
                "statement_malformed"), "line 5");
        assertNotStored(admin, badMt940);

        byte[] badCsv = (new String(fixture("stripe-balance.csv"), StandardCharsets.UTF_8) + "txn_9,2026-03-02 10:00:00,eur,"
                + "10.00,1.00,9.10,charge,ch_9,x,po_B\n").getBytes(StandardCharsets.UTF_8);
        detailMentions(assertProblem(upload(admin, "?format=csv&mapping=stripe", badCsv, "text/csv"), 400,
                "statement_malformed"), "line 6", "net");
        assertNotStored(admin, badCsv);

        // a camt.054 is not a camt053
        byte[] notification = fixture("own-camt054-v04.xml");
        detailMentions(assertProblem(upload(admin, "?format=camt053", notification, "application/xml"), 400,
                "statement_malformed"), "CAMT_054", "camt053");
        assertNotStored(admin, notification);

        byte[] empty = new byte[0];
        assertProblem(upload(admin, "?format=mt940", empty, "text/plain"), 400, "statement_malformed");
        assertNotStored(admin, empty);
    }

    @Test
    void parametersAndRolesAreChecked() {
        LedgerClient admin = newTenant("recon-params");
        byte[] file = fixture("stripe-balance.csv");
        detailMentions(assertProblem(upload(admin, "", file, "text/csv"), 400, "validation_failed"), "format");
        detailMentions(assertProblem(upload(admin, "?format=xlsx", file, "text/csv"), 400, "validation_failed"),
                "camt053", "xlsx");
        detailMentions(assertProblem(upload(admin, "?format=csv", file, "text/csv"), 400, "validation_failed"),
                "mapping", "stripe", "paypal");
        detailMentions(assertProblem(upload(admin, "?format=csv&mapping=square", file, "text/csv"), 400,
                "validation_failed"), "square");
        assertProblem(upload(admin, "?format=mt940&mapping=stripe", file, "text/csv"), 400, "validation_failed");
        detailMentions(assertProblem(upload(admin, "?format=csv&mapping=stripe&account=nowhere", file, "text/csv"),
                404, "account_not_found"), "nowhere");
        assertNotStored(admin, file);

        LedgerClient payments = withRoles(admin, "payments");
        assertProblem(upload(payments, "?format=csv&mapping=stripe", file, "text/csv"), 403, "forbidden");
        LedgerClient auditor = withRoles(admin, "auditor");
        assertProblem(upload(auditor, "?format=csv&mapping=stripe", file, "text/csv"), 403, "forbidden");
        assertNotStored(admin, file);
        assertProblem(admin.get("/v1/reconciliation/statements/up-nothing"), 404, "upload_not_found");

        // another tenant's upload is not visible
        Response mine = upload(admin, "?format=csv&mapping=stripe", file, "text/csv");
        assertThat(mine.status()).isEqualTo(201);
        LedgerClient other = newTenant("recon-other");
        assertProblem(other.get("/v1/reconciliation/statements/" + mine.json().get("id").asText()), 404,
                "upload_not_found");
        // and the same file is new to another tenant
        assertThat(upload(other, "?format=csv&mapping=stripe", file, "text/csv").status()).isEqualTo(201);
    }
}
