package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * Continuous matching over the real service (docs/reconciliation.md, "Continuous matching"): a
 * ledger, a processor CSV and camt.053 statements built with exactly known differences, each item
 * ending in its expected state. The matcher's processor lags by design: reads wait for it, boundedly.
 */
class ReconciliationScenarioIT extends RestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** One camt.053 entry: amount (positive), credit (money in) or not, end-to-end id (null: none). */
    record Line(String amount, boolean credit, String endToEndId) {
    }

    /** A camt.053.001.08 statement of {@code lines} on one EUR account, all booked and valued on {@code day}. */
    static byte[] camt053(String statementId, LocalDate day, String opening, String closing, List<Line> lines) {
        StringBuilder xml = new StringBuilder("""
                <?xml version="1.0" encoding="UTF-8"?>
                <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt>
                <GrpHdr><MsgId>MSG-%s</MsgId><CreDtTm>%sT18:00:00Z</CreDtTm></GrpHdr>
                <Stmt><Id>%s</Id><ElctrncSeqNb>1</ElctrncSeqNb>
                <Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
                <Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>
                <Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">%s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>%s</Dt></Dt></Bal>
                """.formatted(statementId, day, statementId, opening, day, closing, day));
        int n = 0;
        for (Line line : lines) {
            n++;
            xml.append("<Ntry><Amt Ccy=\"EUR\">").append(line.amount()).append("</Amt><CdtDbtInd>")
                    .append(line.credit() ? "CRDT" : "DBIT").append("</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts>")
                    .append("<BookgDt><Dt>").append(day).append("</Dt></BookgDt><ValDt><Dt>").append(day)
                    .append("</Dt></ValDt><AcctSvcrRef>BANK-").append(statementId).append('-').append(n)
                    .append("</AcctSvcrRef>");
            if (line.endToEndId() != null) {
                xml.append("<NtryDtls><TxDtls><Refs><EndToEndId>").append(line.endToEndId())
                        .append("</EndToEndId></Refs></TxDtls></NtryDtls>");
            }
            xml.append("</Ntry>\n");
        }
        xml.append("</Stmt></BkToCstmrStmt></Document>\n");
        return xml.toString().getBytes(StandardCharsets.UTF_8);
    }

    static Response post(LedgerClient c, String id, String amount, String reference) {
        Map<String, String> metadata = reference == null ? Map.of() : Map.of("reference", reference);
        Response posted = c.post("/v1/transfers", key(), json("id", id, "debitAccount", "bank-eur", "creditAccount",
                "customers", "amount", amount, "currency", "EUR", "metadata", metadata));
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
        return posted;
    }

    static JsonNode await(LedgerClient c, String path, Predicate<JsonNode> done) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Response last = null;
        while (System.nanoTime() < deadline) {
            last = c.get(path);
            if (last.status() == 200 && done.test(last.json())) {
                return last.json();
            }
            pause(100);
        }
        throw new AssertionError("not reached within " + WAIT + ": " + path + " -> " + last);
    }

    static JsonNode awaitTransfer(LedgerClient c, String transferId, String bank, String processor) {
        return await(c, "/v1/reconciliation/transfers/" + transferId, t -> {
            JsonNode sides = t.at("/postings/0/sides");
            return bank.equals(sides.get("BANK").asText()) && processor.equals(sides.get("PROCESSOR").asText());
        });
    }

    /** "items amount" of one side and status (MATCHED or UNMATCHED), summed over its rows. */
    static String tally(JsonNode tallies, String side, String status) {
        long items = 0;
        java.math.BigDecimal amount = java.math.BigDecimal.ZERO.setScale(2);
        for (JsonNode t : tallies) {
            if (side.equals(t.get("side").asText()) && status.equals(t.get("status").asText())) {
                items += t.get("items").asLong();
                amount = amount.add(new java.math.BigDecimal(t.get("amount").asText()));
            }
        }
        return items + " " + amount.setScale(2).toPlainString();
    }

    @Test
    void everyItemEndsInItsExpectedState() {
        LedgerClient c = newTenant("recon-scenario");
        open(c, "bank-eur", "EUR", "ASSET", "unlimited");
        open(c, "customers", "EUR", "LIABILITY", null);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);

        // the ledger first: the bank account becomes reconciled only with the first statement
        post(c, "t-1001", "1250.00", "INV-1001");   // matched one to one
        post(c, "t-2002", "500.00", "INV-2002");    // L1: the bank writes REF:inv-2002
        post(c, "t-3003", "100.00", "INV-3003");    // L2: the bank received 99.00
        post(c, "t-po", "145.05", "po_A");          // a payout of two processor records, less fees
        post(c, "t-amb", "42.00", null);            // two bank lines of 42.00 without reference: ambiguous
        post(c, "t-5005", "10.00", "INV-5005");     // L2: the bank received 10.50, written off
        open(c, "reconciliation-write-off", "EUR", "EXPENSE", "unlimited");

        String csv = "balance_transaction_id,created_utc,currency,gross,fee,net,reporting_category,source_id,"
                + "description,automatic_payout_id\n"
                + "txn_001," + today + " 10:00:00,eur,100.00,3.20,96.80,charge,ch_001,Order 1,po_A\n"
                + "txn_002," + today + " 11:30:00,eur,50.00,1.75,48.25,charge,ch_002,Order 2,po_A\n";
        Response stripe = ReconciliationUploadIT.upload(c, "?format=csv&mapping=stripe&account=bank-eur",
                csv.getBytes(StandardCharsets.UTF_8), "text/csv");
        assertThat(stripe.status()).as(stripe.toString()).isEqualTo(201);

        List<Line> lines = new ArrayList<>(List.of(
                new Line("1250.00", true, "INV-1001"),
                new Line("500.00", true, "REF:inv-2002"),
                new Line("99.00", true, "INV-3003"),
                new Line("145.05", true, "po_A"),
                new Line("42.00", true, null),
                new Line("42.00", true, null),
                new Line("10.50", true, "INV-5005")));
        Response statement = ReconciliationUploadIT.upload(c, "?format=camt053&account=bank-eur",
                camt053("S-1", today, "0.00", "2088.55", lines), "application/xml");
        assertThat(statement.status()).as(statement.toString()).isEqualTo(201);

        JsonNode plain = awaitTransfer(c, "t-1001", "MATCHED", "UNMATCHED");
        assertThat(plain.at("/postings/0/sides/LEDGER").asText()).isEqualTo("MATCHED");
        assertThat(plain.at("/postings/0/level").isNull()).isTrue();
        JsonNode match = c.get("/v1/reconciliation/breaks/" + plain.at("/postings/0/match").asText()).json();
        assertThat(match.get("status").asText()).isEqualTo("MATCHED");
        assertThat(match.get("kind").asText()).isEqualTo("ONE_TO_ONE");
        assertThat(match.get("fixes")).isEmpty();

        JsonNode l1 = awaitTransfer(c, "t-2002", "MATCHED", "UNMATCHED");
        JsonNode l1Match = c.get("/v1/reconciliation/breaks/" + l1.at("/postings/0/match").asText()).json();
        assertThat(l1Match.get("level").asText()).isEqualTo("L1");
        assertThat(l1Match.get("fixes").toString()).contains("REF:inv-2002").contains("INV-2002");

        JsonNode l2 = awaitTransfer(c, "t-3003", "BREAK", "UNMATCHED");
        assertThat(l2.at("/postings/0/status").asText()).isEqualTo("BREAK");
        JsonNode amountBreak = c.get("/v1/reconciliation/breaks/" + l2.at("/postings/0/match").asText()).json();
        assertThat(amountBreak.get("reason").asText()).isEqualTo("AMOUNT_MISMATCH");
        assertThat(amountBreak.get("level").asText()).isEqualTo("L2");
        assertThat(amountBreak.get("status").asText()).isEqualTo("OPEN");
        assertThat(amountBreak.get("items")).hasSize(2);

        JsonNode payout = awaitTransfer(c, "t-po", "MATCHED", "MATCHED");
        JsonNode payoutMatch = c.get("/v1/reconciliation/breaks/" + payout.at("/postings/0/match").asText()).json();
        assertThat(payoutMatch.get("kind").asText()).isEqualTo("THREE_WAY");
        assertThat(payoutMatch.get("items")).hasSize(4);

        JsonNode ambiguous = awaitTransfer(c, "t-amb", "BREAK", "UNMATCHED");
        JsonNode ambiguousBreak = c.get("/v1/reconciliation/breaks/" + ambiguous.at("/postings/0/match").asText())
                .json();
        assertThat(ambiguousBreak.get("reason").asText()).isEqualTo("AMBIGUOUS");
        assertThat(ambiguousBreak.get("items")).hasSize(3); // the posting and both candidates

        JsonNode small = awaitTransfer(c, "t-5005", "BREAK", "UNMATCHED");
        String smallBreak = small.at("/postings/0/match").asText();

        JsonNode queue = c.get("/v1/reconciliation/breaks?level=L2&status=open").json();
        List<String> ids = new ArrayList<>();
        queue.get("breaks").forEach(b -> ids.add(b.get("id").asText()));
        assertThat(ids).containsExactlyInAnyOrder(amountBreak.get("id").asText(), ambiguousBreak.get("id").asText(),
                smallBreak);
        assertThat(c.get("/v1/reconciliation/breaks?level=L2&status=open&limit=2").json().get("next").asText())
                .isEqualTo(ids.stream().sorted().toList().get(1));

        // per statement: matched and unmatched counts and amounts
        String s1 = statement.json().get("id").asText();
        JsonNode tallies = c.get("/v1/reconciliation/statements/" + s1 + "/summary").json().get("tallies");
        assertThat(tally(tallies, "BANK", "MATCHED")).isEqualTo("3 1895.05");
        assertThat(tally(tallies, "BANK", "UNMATCHED")).isEqualTo("4 193.50");
        // per day and account
        JsonNode day = c.get("/v1/reconciliation/summary?date=" + today + "&account=bank-eur").json().get("tallies");
        assertThat(tally(day, "LEDGER", "MATCHED")).isEqualTo("3 1895.05");
        assertThat(tally(day, "LEDGER", "UNMATCHED")).isEqualTo("3 152.00");
        assertThat(tally(day, "PROCESSOR", "MATCHED")).isEqualTo("2 145.05");
        assertProblem(c.get("/v1/reconciliation/summary?date=yesterday"), 400, "validation_failed");
        // the statement's balances against the ledger's as of its dates: the bank got 41.50 more than was booked
        JsonNode balances = c.get("/v1/reconciliation/statements/" + s1 + "/balances").json().at("/statements/0");
        assertThat(balances.get("ledgerOpeningBalance").asText()).isEqualTo("0.00");
        assertThat(balances.get("ledgerClosingBalance").asText()).isEqualTo("2047.05");
        assertThat(balances.get("closingBalance").asText()).isEqualTo("2088.55");
        assertThat(balances.get("balanceCheck").asText()).isEqualTo("DIFFER");

        // resolving: adjust posts the correcting entry against the posting's counter-account
        String l2Id = amountBreak.get("id").asText();
        assertProblem(withRoles(c, "payments").post("/v1/reconciliation/breaks/" + l2Id + "/resolve", null,
                json("action", "accept")), 403, "forbidden");
        assertProblem(c.post("/v1/reconciliation/breaks/" + l2Id + "/resolve", null, json("action", "delete")), 400,
                "validation_failed");
        assertProblem(c.post("/v1/reconciliation/breaks/" + l2Id + "/resolve", null, null), 400, "validation_failed");
        String bankBefore = c.account("bank-eur").json().get("balance").asText();
        Response adjusted = c.post("/v1/reconciliation/breaks/" + l2Id + "/resolve", null,
                json("action", "adjust", "note", "the customer paid 99.00"));
        assertThat(adjusted.status()).as(adjusted.toString()).isEqualTo(200);
        assertThat(adjusted.json().get("status").asText()).isEqualTo("RESOLVED");
        assertThat(adjusted.json().at("/resolution/action").asText()).isEqualTo("adjust");
        assertThat(adjusted.json().at("/resolution/note").asText()).isEqualTo("the customer paid 99.00");
        String correction = adjusted.json().at("/resolution/transferId").asText();
        JsonNode legs = c.get("/v1/transfers/" + correction).json().get("legs");
        assertThat(legs.toString()).contains("\"customers\"").contains("\"1.00\"");
        assertThat(c.account("bank-eur").json().get("balance").asText()).isEqualTo(plus(bankBefore, "-1.00"));
        assertProblem(c.post("/v1/reconciliation/breaks/" + l2Id + "/resolve", null, json("action", "accept")), 409,
                "break_already_resolved");

        // write_off posts the difference to the write-off account; an ambiguous break is only accepted
        Response written = c.post("/v1/reconciliation/breaks/" + smallBreak + "/resolve", null,
                json("action", "write_off", "note", "bank fee refund"));
        assertThat(written.status()).as(written.toString()).isEqualTo(200);
        assertThat(c.account("reconciliation-write-off").json().get("balance").asText()).isEqualTo("-0.50");
        String ambiguousId = ambiguousBreak.get("id").asText();
        assertProblem(c.post("/v1/reconciliation/breaks/" + ambiguousId + "/resolve", null,
                json("action", "write_off")), 422, "resolution_not_applicable");
        assertThat(c.post("/v1/reconciliation/breaks/" + ambiguousId + "/resolve", null,
                json("action", "accept", "note", "duplicate bank line, refund asked")).status()).isEqualTo(200);
        List<String> open = new ArrayList<>();
        c.get("/v1/reconciliation/breaks?status=open").json().get("breaks").forEach(b -> open.add(b.get("id").asText()));
        assertThat(open).doesNotContain(l2Id, smallBreak, ambiguousId);
        assertThat(c.get("/v1/reconciliation/breaks?status=resolved").json().get("breaks")).hasSize(3);
        assertProblem(c.post("/v1/reconciliation/breaks/b-0000000000000000000a/resolve", null,
                json("action", "accept")), 404, "break_not_found");

        // a posting on the now reconciled account is matched as it is committed, against a later statement
        post(c, "t-4004", "300.00", "INV-4004");
        Response second = ReconciliationUploadIT.upload(c, "?format=camt053&account=bank-eur",
                camt053("S-2", today, "2078.05", "2378.05", List.of(new Line("300.00", true, "inv-4004"))),
                "application/xml");
        assertThat(second.status()).as(second.toString()).isEqualTo(201);
        JsonNode later = awaitTransfer(c, "t-4004", "MATCHED", "UNMATCHED");
        assertThat(later.at("/postings/0/status").asText()).isEqualTo("MATCHED");

        // the decisions, with the L1 fix's original and fixed value, are events of the hash chain (in batches:
        // the outcomes decided together are one event)
        LedgerClient auditor = withRoles(c, "auditor");
        String export = auditor.get("/v1/audit/export").body();
        assertThat(export.lines().filter(l -> l.contains("ledger.ReconciliationOutcomesRecorded")
                && l.contains("REF:inv-2002") && l.contains("INV-2002")).count()).isPositive();
        assertThat(export.lines().filter(l -> l.contains("ledger.ReconciliationBreakResolved")).count()).isEqualTo(3);

        // bad queue parameters
        assertProblem(c.get("/v1/reconciliation/breaks?level=L9"), 400, "validation_failed");
        assertProblem(c.get("/v1/reconciliation/breaks?status=closed"), 400, "validation_failed");
        assertProblem(c.get("/v1/reconciliation/breaks/b-0000000000000000000a"), 404, "break_not_found");
        assertProblem(c.get("/v1/reconciliation/transfers/nothing"), 404, "not_found");
    }
}
