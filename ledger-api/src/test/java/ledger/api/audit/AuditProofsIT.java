package ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import ledger.api.metrics.LedgerMetrics;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.audit.Json;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.merkle.ConsistencyProofVerifier;
import ledger.audit.merkle.ProofGenerator;
import ledger.projections.audit.AuditLogQueries;
import ledger.projections.audit.MerkleNodeStore;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class AuditProofsIT extends AuditSupport {

    @Autowired
    private CheckpointScheduler scheduler;
    @Autowired
    private CheckpointService checkpoints;
    @Autowired
    private AuditLogQueries log;
    @Autowired
    private MerkleNodeStore nodes;

    @Test
    void inclusionProofResponseVerifiesWithVerifyInclusion() {
        LedgerClient t = book("audit-incl");
        transfers(t, 3);
        long size = awaitLog(t.tenant());
        LedgerClient auditor = auditor(t);
        String key = publicKey(t);
        List<JsonNode> events = linesOfType(export(auditor, ""), "event");
        for (int position : new int[] {0, (int) size / 2, (int) size - 1}) {
            String eventId = events.get(position).at("/envelope/eventId").asText();
            Response r = auditor.get("/v1/audit/proofs/inclusion?eventId=" + eventId);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            assertThat(r.json().get("position").asLong()).isEqualTo(position);
            assertThat(r.json().get("hash").asText()).isEqualTo(events.get(position).get("hash").asText());
            CliResult ok = cli("verify-inclusion", r.body(), key);
            assertThat(ok.exitCode()).as(ok.toString()).isZero();
            assertThat(ok.out()).startsWith("OK event " + eventId);

            String forged = r.body().replace(r.json().get("hash").asText(), Sha256.hex(new byte[32]));
            assertThat(cli("verify-inclusion", forged, key).exitCode()).isEqualTo(1);
        }

        LedgerClient other = book("audit-incl-other");
        awaitLog(other.tenant());
        String eventId = events.get(0).at("/envelope/eventId").asText();
        Response foreign = other.get("/v1/audit/proofs/inclusion?eventId=" + eventId);
        assertThat(foreign.status()).as("another tenant's event is not found").isEqualTo(404);
        assertThat(foreign.code()).isEqualTo("event_not_found");
        assertThat(auditor.get("/v1/audit/proofs/inclusion?eventId=").status()).isEqualTo(400);
    }

    /**
     * Only nodes of 16 leaves and more are stored; smaller ones are folded from the log's leaves.
     * Roots and proofs must be RFC 6962's at every tree size, whichever way their nodes come.
     */
    @Test
    void rootsAndProofsAtEveryTreeSizeMatchTheReferenceTree() {
        LedgerClient t = book("audit-sizes");
        transfers(t, 42); // one event a transfer
        long size = awaitLog(t.tenant());
        assertThat(size).as("enough events for stored and folded nodes on several levels").isGreaterThan(40);
        List<byte[]> leaves = new ArrayList<>();
        for (JsonNode event : linesOfType(export(auditor(t), ""), "event")) {
            leaves.add(Sha256.unhex(event.get("hash").asText()));
        }
        assertThat((long) leaves.size()).isGreaterThanOrEqualTo(size);
        ProofGenerator reference = new ProofGenerator(i -> leaves.get((int) i));
        for (long n = 1; n <= size; n++) {
            assertThat(nodes.root(t.tenant(), n)).as("root of size " + n).isEqualTo(reference.root(n));
            for (long i : new long[] {0, n / 3, n / 2, n - 1}) {
                assertThat(nodes.inclusionProof(t.tenant(), i, n)).as("PATH(" + i + ", " + n + ")")
                        .containsExactlyElementsOf(reference.inclusionProof(i, n));
            }
            for (long m : new long[] {1, n / 2, n - 1}) {
                if (m > 0 && m < n) {
                    assertThat(nodes.consistencyProof(t.tenant(), m, n)).as("PROOF(" + m + ", " + n + ")")
                            .containsExactlyElementsOf(reference.consistencyProof(m, n));
                }
            }
        }
    }

    @Test
    void everyCheckpointIsConsistentWithTheOthers() throws Exception {
        LedgerClient t = book("audit-cons");
        LedgerClient auditor = auditor(t);
        VerifyingKey key = VerifyingKey.fromBase64(publicKey(t));
        List<SignedCheckpoint> issued = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            transfers(t, round + 1);
            awaitLog(t.tenant());
            Response r = auditor.post("/v1/audit/checkpoints", null, null);
            assertThat(r.status()).as("201, or 200 when the scheduler was first: " + r).isIn(200, 201);
            SignedCheckpoint signed = SignedCheckpoint.fromMembers(Json.mapper().readTree(r.body()));
            signed.verify(key);
            issued.add(signed);
        }
        Response again = auditor.post("/v1/audit/checkpoints", null, null);
        assertThat(again.status()).as("the log did not grow: the same checkpoint").isEqualTo(200);
        assertThat(SignedCheckpoint.fromMembers(Json.mapper().readTree(again.body())))
                .isEqualTo(issued.get(issued.size() - 1));

        for (int i = 0; i < issued.size(); i++) {
            for (int j = i; j < issued.size(); j++) {
                long m = issued.get(i).checkpoint().treeSize();
                long n = issued.get(j).checkpoint().treeSize();
                Response r = auditor.get("/v1/audit/proofs/consistency?from=" + m + "&to=" + n);
                assertThat(r.status()).as(r.toString()).isEqualTo(200);
                List<byte[]> proof = new ArrayList<>();
                r.json().get("proof").forEach(h -> proof.add(Sha256.unhex(h.asText())));
                SignedCheckpoint from = SignedCheckpoint.fromMembers(r.json().get("from"));
                SignedCheckpoint to = SignedCheckpoint.fromMembers(r.json().get("to"));
                from.verify(key);
                to.verify(key);
                ConsistencyProofVerifier.verify(m, from.checkpoint().rootHashBytes(), n,
                        to.checkpoint().rootHashBytes(), proof);
            }
        }
        long n = issued.get(0).checkpoint().treeSize();
        long noCheckpoint = 1;
        while (count("SELECT count(*) FROM audit_checkpoint WHERE tenant = ? AND tree_size = " + noCheckpoint,
                t.tenant()) > 0) {
            noCheckpoint++;
        }
        Response missing = auditor.get("/v1/audit/proofs/consistency?from=" + noCheckpoint + "&to=" + n);
        assertThat(missing.status()).as(missing.toString()).isEqualTo(404);
        assertThat(missing.code()).isEqualTo("checkpoint_not_found");
        assertThat(auditor.get("/v1/audit/proofs/consistency?from=5&to=4").status()).isEqualTo(400);
    }

    @Test
    void theSchedulerCheckpointsATenantWhoseLogGrewByEnoughEventsOrTime() {
        LedgerClient t = book("audit-sched");
        transfers(t, 1);
        long size = awaitLog(t.tenant());
        Clock clock = Clock.systemUTC();
        CheckpointScheduler everyEvent = new CheckpointScheduler(checkpoints, log, 1, Duration.ofHours(1), clock, LedgerMetrics.none());
        everyEvent.tick(t.tenant());
        assertThat(latestSize(t)).isEqualTo(size);
        assertThat(everyEvent.tick(t.tenant())).as("the log did not grow").isFalse();

        transfers(t, 1);
        long grown = awaitLog(t.tenant());
        CheckpointScheduler rarely = new CheckpointScheduler(checkpoints, log, 1_000_000, Duration.ofHours(1), clock, LedgerMetrics.none());
        assertThat(rarely.tick(t.tenant())).as("neither enough events nor enough time").isFalse();
        CheckpointScheduler often = new CheckpointScheduler(checkpoints, log, 1_000_000, Duration.ofMillis(1), clock, LedgerMetrics.none());
        often.tick(t.tenant());
        assertThat(latestSize(t)).isEqualTo(grown);
        assertThat(scheduler.isRunning()).as("the service's own scheduler runs").isTrue();
    }

    @Test
    void aTickReadsEveryTenantsLogSizeInOneQueryAndIssuesWhereDue() {
        LedgerClient t = book("audit-tick");
        transfers(t, 1);
        long size = awaitLog(t.tenant());
        assertThat(log.sizes()).containsEntry(t.tenant(), size);

        // the service's own scheduler (every 10 s) may have checkpointed the new tenant at any size so
        // far; one that issues for every event brings the latest checkpoint to this size whatever it did
        CheckpointScheduler everyEvent = new CheckpointScheduler(checkpoints, log, 1, Duration.ofHours(1),
                Clock.systemUTC(), LedgerMetrics.none());
        everyEvent.tick();
        assertThat(latestSize(t)).isEqualTo(size);
        transfers(t, 1);
        long grown = awaitLog(t.tenant());
        // a tenant this one has not seen is read from the database: from what is stored, neither enough
        // events nor enough time have passed (the service's scheduler may still issue; this one must not)
        CheckpointScheduler rarely = new CheckpointScheduler(checkpoints, log, 1_000_000, Duration.ofHours(1),
                Clock.systemUTC(), LedgerMetrics.none());
        assertThat(rarely.tick()).isZero();
        assertThat(rarely.tick()).isZero();

        everyEvent.tick();
        assertThat(latestSize(t)).isEqualTo(grown);
        // what one scheduler saw is not trusted past what is stored: the other one issued meanwhile
        transfers(t, 1);
        long again = awaitLog(t.tenant());
        assertThat(rarely.tick(t.tenant())).isFalse();
        everyEvent.tick();
        assertThat(latestSize(t)).isEqualTo(again);
        assertThat(log.sizes()).containsEntry(t.tenant(), again);
    }

    private long latestSize(LedgerClient t) {
        return checkpoints.latest(t.tenant()).orElseThrow().checkpoint().treeSize();
    }
}
