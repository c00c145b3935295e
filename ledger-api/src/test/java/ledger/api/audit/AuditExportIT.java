package ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.audit.verify.ExportSummary;
import org.junit.jupiter.api.Test;

class AuditExportIT extends AuditSupport {

    @Test
    void exportsOfTwoTenantsVerifyWithTheCliAndShareNothing() {
        LedgerClient a = book("audit-a");
        LedgerClient b = book("audit-b");
        for (int round = 0; round < 3; round++) { // interleaved: both tenants' events mix in the event store
            transfers(a, 2);
            transfers(b, 1);
        }
        long sizeA = awaitLog(a.tenant());
        long sizeB = awaitLog(b.tenant());
        String key = publicKey(a);
        assertThat(publicKey(b)).isEqualTo(key);

        String exportA = export(auditor(a), "");
        String exportB = export(auditor(b), "");

        CliResult cliA = cli("verify", exportA, key);
        CliResult cliB = cli("verify", exportB, key);
        assertThat(cliA.exitCode()).as(cliA.toString()).isZero();
        assertThat(cliB.exitCode()).as(cliB.toString()).isZero();
        assertThat(cliA.out()).startsWith("OK ledger ledger tenant " + a.tenant() + ": events 0.." + (sizeA - 1));
        assertThat(cliB.out()).startsWith("OK ledger ledger tenant " + b.tenant() + ": events 0.." + (sizeB - 1));

        ExportSummary summaryA = verifyInProcess(exportA, key);
        ExportSummary summaryB = verifyInProcess(exportB, key);
        assertThat(summaryA.treeSize()).isEqualTo(sizeA);
        assertThat(summaryB.treeSize()).isEqualTo(sizeB);
        assertThat(summaryA.rootHash()).isNotEqualTo(summaryB.rootHash());

        assertThat(exportA).doesNotContain(b.tenant());
        assertThat(exportB).doesNotContain(a.tenant());
        List<JsonNode> eventsA = linesOfType(exportA, "event");
        List<JsonNode> eventsB = linesOfType(exportB, "event");
        assertThat(eventsA).hasSize((int) sizeA).allSatisfy(e -> assertThat(e.at("/envelope/tenant").asText())
                .isEqualTo(a.tenant()));
        assertThat(eventsB).hasSize((int) sizeB);
        List<String> idsB = eventsB.stream().map(e -> e.at("/envelope/eventId").asText()).toList();
        assertThat(eventsA).noneMatch(e -> idsB.contains(e.at("/envelope/eventId").asText()));
        for (int i = 0; i < eventsA.size(); i++) {
            assertThat(eventsA.get(i).get("position").asLong()).isEqualTo(i);
            assertThat(eventsA.get(i).has("inclusionProof")).isFalse();
        }
    }

    @Test
    void partialExportsCarryInclusionAndConsistencyProofsAndVerify() {
        LedgerClient t = book("audit-partial");
        LedgerClient auditor = auditor(t);
        transfers(t, 2);
        awaitLog(t.tenant());
        Response first = auditor.post("/v1/audit/checkpoints", null, null);
        assertThat(first.status()).as("201, or 200 when the scheduler was first: " + first).isIn(200, 201);
        long firstSize = first.json().at("/checkpoint/treeSize").asLong();
        transfers(t, 3);
        long size = awaitLog(t.tenant());
        String key = publicKey(t);

        String partial = export(auditor, "?from=4");
        CliResult cli = cli("verify", partial, key);
        assertThat(cli.exitCode()).as(cli.toString()).isZero();
        assertThat(cli.out()).contains("events 4.." + (size - 1)).contains("are included in the Merkle tree of size "
                + size);
        ExportSummary summary = verifyInProcess(partial, key);
        assertThat(summary.earlierCheckpoints()).isGreaterThanOrEqualTo(1);
        List<JsonNode> events = linesOfType(partial, "event");
        assertThat(events).hasSize((int) (size - 4)).allSatisfy(e -> assertThat(e.has("inclusionProof")).isTrue());
        List<JsonNode> consistency = linesOfType(partial, "consistency");
        assertThat(consistency).anySatisfy(c -> {
            assertThat(c.get("fromTreeSize").asLong()).isEqualTo(firstSize);
            assertThat(c.get("toTreeSize").asLong()).isEqualTo(size);
        });

        // A historical range ends at an existing checkpoint (or gets one of exactly that size).
        String historical = export(auditor, "?from=2&to=" + (firstSize - 1));
        assertThat(cli("verify", historical, key).exitCode()).isZero();
        List<JsonNode> historicalLines = lines(historical);
        assertThat(historicalLines.get(historicalLines.size() - 1).at("/checkpoint/treeSize").asLong())
                .isEqualTo(firstSize);
        String middle = export(auditor, "?from=1&to=5");
        assertThat(verifyInProcess(middle, key).treeSize()).isEqualTo(6);
        assertThat(cli("verify", export(auditor, "?to=5"), key).exitCode()).isZero();
    }

    @Test
    void aTamperedExportIsRejectedByTheCli() {
        LedgerClient t = book("audit-tamper");
        transfers(t, 2);
        awaitLog(t.tenant());
        String export = export(t, "");
        String tampered = export.replaceFirst("\"amount\":\"1.25\"", "\"amount\":\"1.26\"");
        assertThat(tampered).isNotEqualTo(export);
        CliResult cli = cli("verify", tampered, publicKey(t));
        assertThat(cli.exitCode()).as(cli.toString()).isEqualTo(1);
        assertThat(cli.out()).startsWith("FAIL");
    }

    @Test
    void exportRangesAreValidatedAndTheRoleIsChecked() {
        LedgerClient empty = newTenant("audit-empty");
        Response none = empty.get("/v1/audit/export");
        assertThat(none.status()).as(none.toString()).isEqualTo(404);
        assertThat(none.code()).isEqualTo("audit_log_empty");

        LedgerClient t = book("audit-ranges");
        long size = awaitLog(t.tenant());
        for (String query : List.of("?from=-1", "?from=2&to=1", "?to=" + size, "?from=" + size, "?from=x")) {
            Response r = t.get("/v1/audit/export" + query);
            assertThat(r.status()).as(query + ": " + r).isEqualTo(400);
            assertThat(r.code()).as(query).isEqualTo("validation_failed");
        }
        LedgerClient payments = withRoles(t, "[\"payments\",\"finance\"]");
        assertThat(payments.get("/v1/audit/export").status()).isEqualTo(403);
        assertThat(payments.post("/v1/audit/checkpoints", null, null).status()).isEqualTo(403);
        assertThat(payments.get("/v1/audit/public-key").status()).isEqualTo(200);
        assertThat(t.withKey("not-a-key").get("/v1/audit/public-key").status()).isEqualTo(401);
    }
}
