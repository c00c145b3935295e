package ledger.audit.proof;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import ledger.audit.Json;
import ledger.audit.Sha256;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.checkpoint.CheckpointSignatureException;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.merkle.InclusionProofVerifier;
import ledger.audit.merkle.MerkleProofException;
import ledger.audit.verify.Check;
import ledger.audit.verify.VerificationException;

/**
 * Verifies an {@link InclusionProofDocument}: the hash is at the position in a tree whose root
 * the proof leads to; that root and size are the checkpoint's; the checkpoint is signed by the
 * trusted key. Failures are {@link VerificationException}s without a line number, labelled with
 * the check of AUDIT-CHAIN.md section 5 they correspond to.
 */
public final class InclusionProofDocumentVerifier {

    /** A proof document is under 10 KiB; anything beyond 1 MiB is not one. */
    public static final int DOCUMENT_BYTES_MAX = 1024 * 1024;

    private InclusionProofDocumentVerifier() {
    }

    /** Reads (at most {@link #DOCUMENT_BYTES_MAX} bytes) and verifies. */
    public static InclusionProofDocument verify(InputStream in, VerifyingKey trusted)
            throws VerificationException, IOException {
        byte[] bytes = in.readNBytes(DOCUMENT_BYTES_MAX + 1);
        if (bytes.length > DOCUMENT_BYTES_MAX) {
            throw new VerificationException(0, Check.FORMAT, "document larger than " + DOCUMENT_BYTES_MAX + " bytes");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new VerificationException(0, Check.FORMAT, "not JSON: " + e.getOriginalMessage());
        }
        InclusionProofDocument doc;
        try {
            doc = InclusionProofDocument.fromJson(node);
        } catch (ProofDocumentFormatException e) {
            throw new VerificationException(0, Check.FORMAT, e.getMessage());
        }
        verify(doc, trusted);
        return doc;
    }

    public static void verify(InclusionProofDocument doc, VerifyingKey trusted) throws VerificationException {
        try {
            InclusionProofVerifier.verify(doc.position(), doc.treeSize(), Sha256.unhex(doc.hash()),
                    doc.proof().stream().map(Sha256::unhex).toList(), Sha256.unhex(doc.rootHash()));
        } catch (MerkleProofException e) {
            throw new VerificationException(0, Check.TREE, "hash " + doc.hash() + " at position " + doc.position()
                    + ": " + e.getMessage());
        }
        Checkpoint cp = doc.signed().checkpoint();
        if (!cp.rootHash().equals(doc.rootHash()) || cp.treeSize() != doc.treeSize()) {
            throw new VerificationException(0, Check.TREE, "rootHash/treeSize: expected the checkpoint's "
                    + cp.rootHash() + " / " + cp.treeSize() + ", actual " + doc.rootHash() + " / " + doc.treeSize());
        }
        try {
            doc.signed().verify(trusted);
        } catch (CheckpointSignatureException e) {
            throw new VerificationException(0, Check.SIGNATURE, "checkpoint " + e.getMessage());
        }
    }
}
