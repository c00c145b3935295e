package ledger.audit.verify;

import ledger.audit.checkpoint.CheckpointSignatureException;
import ledger.audit.checkpoint.SignedCheckpoint;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.export.ExportHeader;

/**
 * Check 4: the final checkpoint's keyId is the trusted key's and its Ed25519 signature over
 * JCS(checkpoint) verifies. The header's unsigned publicKey and keyId must name the trusted key
 * too: an export that claims another key was signed, or is meant to be checked, with another key.
 */
final class CheckpointSignatureCheck {

    private final VerifyingKey trusted;

    CheckpointSignatureCheck(VerifyingKey trusted) {
        this.trusted = trusted;
    }

    void header(long line, ExportHeader header) throws VerificationException {
        if (!header.publicKey().equals(trusted.base64()) || !header.keyId().equals(trusted.keyId())) {
            throw new VerificationException(line, Check.SIGNATURE, "header publicKey/keyId: expected the trusted key "
                    + trusted.base64() + " / " + trusted.keyId() + ", actual " + abbreviate(header.publicKey()) + " / "
                    + header.keyId());
        }
    }

    void finalCheckpoint(long line, SignedCheckpoint checkpoint) throws VerificationException {
        try {
            checkpoint.verify(trusted);
        } catch (CheckpointSignatureException e) {
            throw new VerificationException(line, Check.SIGNATURE, "final checkpoint " + e.getMessage());
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
