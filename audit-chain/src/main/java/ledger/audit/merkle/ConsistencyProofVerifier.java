package ledger.audit.merkle;

import java.util.ArrayList;
import java.util.List;
import ledger.audit.Sha256;

/**
 * Verifies an RFC 6962 consistency proof with the algorithm of RFC 9162 section 2.1.4.2.
 * Trees of equal size are consistent when the proof is empty and the roots are equal; the empty
 * tree is consistent with every tree when the proof is empty and its root is SHA-256("").
 */
public final class ConsistencyProofVerifier {

    public static final int PROOF_LENGTH_MAX = 126;

    private ConsistencyProofVerifier() {
    }

    public static void verify(long firstSize, byte[] firstRoot, long secondSize, byte[] secondRoot, List<byte[]> proof)
            throws MerkleProofException {
        MerkleTree.requireHash(firstRoot, "first root");
        MerkleTree.requireHash(secondRoot, "second root");
        if (firstSize < 0 || secondSize < firstSize) {
            throw new MerkleProofException("tree size " + firstSize + " cannot be a prefix of tree size " + secondSize);
        }
        if (proof.size() > PROOF_LENGTH_MAX) {
            throw new MerkleProofException("consistency proof has " + proof.size() + " hashes, at most "
                    + PROOF_LENGTH_MAX + " allowed");
        }
        if (firstSize == 0 || firstSize == secondSize) {
            verifyTrivial(firstSize, firstRoot, secondSize, secondRoot, proof);
            return;
        }
        if (proof.isEmpty()) {
            throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize + " is empty");
        }
        for (int i = 0; i < proof.size(); i++) {
            InclusionProofVerifier.requireProofHash(proof.get(i), i);
        }
        List<byte[]> path = new ArrayList<>(proof.size() + 1);
        if (Long.bitCount(firstSize) == 1) {
            path.add(firstRoot); // the old tree is a perfect subtree: its root is implied
        }
        path.addAll(proof);
        long fn = firstSize - 1;
        long sn = secondSize - 1;
        while ((fn & 1) == 1) {
            fn >>>= 1;
            sn >>>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize
                        + " is too long: " + proof.size() + " hashes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = MerkleTree.nodeHash(c, fr);
                sr = MerkleTree.nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                sr = MerkleTree.nodeHash(sr, c);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize
                    + " is too short: " + proof.size() + " hashes");
        }
        if (!MerkleTree.equal(fr, firstRoot)) {
            throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize
                    + ": calculated first root " + Sha256.hex(fr) + ", expected " + Sha256.hex(firstRoot));
        }
        if (!MerkleTree.equal(sr, secondRoot)) {
            throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize
                    + ": calculated second root " + Sha256.hex(sr) + ", expected " + Sha256.hex(secondRoot));
        }
    }

    private static void verifyTrivial(long firstSize, byte[] firstRoot, long secondSize, byte[] secondRoot,
            List<byte[]> proof) throws MerkleProofException {
        if (!proof.isEmpty()) {
            throw new MerkleProofException("consistency proof from " + firstSize + " to " + secondSize
                    + " must be empty, got " + proof.size() + " hashes");
        }
        byte[] expected = firstSize == 0 ? MerkleTree.emptyRoot() : secondRoot;
        if (!MerkleTree.equal(firstRoot, expected)) {
            throw new MerkleProofException("tree of size " + firstSize + " has root " + Sha256.hex(firstRoot)
                    + ", expected " + Sha256.hex(expected));
        }
    }
}
