package ledger.audit.proof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import ledger.audit.Json;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.fixture.TestLog;
import ledger.audit.verify.Check;
import ledger.audit.verify.VerificationException;
import org.junit.jupiter.api.Test;

class InclusionProofDocumentTest {

    private static final TestLog LOG = TestLog.standard(12);
    private static final SignedCheckpoint CHECKPOINT = LOG.checkpoint(12, TestLog.KEY);

    static InclusionProofDocument document(int position) {
        return InclusionProofDocument.create(LOG.envelope(position).eventId(), position, LOG.leaves(), CHECKPOINT);
    }

    private static InclusionProofDocument verify(String json) throws Exception {
        return InclusionProofDocumentVerifier.verify(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)),
                TestLog.KEY.verifyingKey());
    }

    private static VerificationException failure(ObjectNode json) {
        return assertThrows(VerificationException.class, () -> verify(json.toString()));
    }

    @Test
    void everyPositionsDocumentVerifiesAndRoundTrips() throws Exception {
        for (int p = 0; p < 12; p++) {
            InclusionProofDocument doc = document(p);
            assertEquals(doc, verify(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc.toJson())));
            assertEquals(LOG.envelope(p).hash(), doc.hash());
        }
    }

    @Test
    void detectsAWrongHashProofRootSizeOrSignature() {
        ObjectNode hash = document(3).toJson().put("hash", LOG.envelope(4).hash());
        assertEquals(Check.TREE, failure(hash).check());
        ObjectNode position = document(3).toJson().put("position", 2);
        assertEquals(Check.TREE, failure(position).check());
        ObjectNode proof = document(3).toJson();
        proof.withArray("proof").set(0, LOG.envelope(0).hash());
        assertEquals(Check.TREE, failure(proof).check());
        ObjectNode otherTree = document(3).toJson();
        InclusionProofDocument small = InclusionProofDocument.create("x", 3, LOG.leaves(), LOG.checkpoint(8, TestLog.KEY));
        otherTree.put("treeSize", 8).put("rootHash", small.rootHash()).set("proof", small.toJson().get("proof"));
        VerificationException e = failure(otherTree);
        assertEquals(Check.TREE, e.check());
        assertEquals(0, e.line());
        ObjectNode forged = document(3).toJson();
        forged.setAll(LOG.checkpoint(12, TestLog.OTHER_KEY).toJson());
        assertEquals(Check.SIGNATURE, failure(forged).check());
    }

    @Test
    void rejectsMalformedDocuments() {
        ObjectNode missing = document(1).toJson();
        missing.remove("signature");
        assertEquals(Check.FORMAT, failure(missing).check());
        ObjectNode extra = document(1).toJson().put("extra", 1);
        assertEquals(Check.FORMAT, failure(extra).check());
        assertThrows(VerificationException.class, () -> verify("not json"));
        assertThrows(VerificationException.class, () -> verify("[]"));
    }
}
