package ledger.audit.merkle;

import java.util.List;
import ledger.audit.Sha256;

/**
 * Verifies an RFC 6962 inclusion proof with the algorithm of RFC 9162 section 2.1.3.2.
 */
public final class InclusionProofVerifier {

    /** A path longer than this cannot belong to a tree of fewer than 2^63 leaves. */
    public static final int PROOF_LENGTH_MAX = 63;

    private InclusionProofVerifier() {
    }

    /**
     * Checks that leaf input {@code leafInput} (the 32-byte event hash) is at {@code index} in the
     * tree of {@code treeSize} leaves whose root is {@code rootHash}.
     */
    public static void verify(long index, long treeSize, byte[] leafInput, List<byte[]> proof, byte[] rootHash)
            throws MerkleProofException {
        MerkleTree.requireHash(rootHash, "root hash");
        byte[] calculated = calculateRoot(index, treeSize, leafInput, proof);
        if (!MerkleTree.equal(calculated, rootHash)) {
            throw new MerkleProofException("inclusion proof of index " + index + " in tree size " + treeSize
                    + ": calculated root " + Sha256.hex(calculated) + ", expected " + Sha256.hex(rootHash));
        }
    }

    /** The root that the proof leads to, or an exception when its shape is wrong for index and size. */
    public static byte[] calculateRoot(long index, long treeSize, byte[] leafInput, List<byte[]> proof)
            throws MerkleProofException {
        if (index < 0 || index >= treeSize) {
            throw new MerkleProofException("index " + index + " is not in a tree of size " + treeSize);
        }
        if (proof.size() > PROOF_LENGTH_MAX) {
            throw new MerkleProofException("inclusion proof has " + proof.size() + " hashes, at most "
                    + PROOF_LENGTH_MAX + " allowed");
        }
        MerkleTree.requireHash(leafInput, "leaf input");
        long fn = index;
        long sn = treeSize - 1;
        byte[] r = MerkleTree.leafHash(leafInput);
        for (int i = 0; i < proof.size(); i++) {
            byte[] p = proof.get(i);
            requireProofHash(p, i);
            if (sn == 0) {
                throw new MerkleProofException("inclusion proof of index " + index + " in tree size " + treeSize
                        + " is too long: expected " + i + " hashes, got " + proof.size());
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = MerkleTree.nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>>= 1;
                    sn >>>= 1;
                }
            } else {
                r = MerkleTree.nodeHash(r, p);
            }
            fn >>>= 1;
            sn >>>= 1;
        }
        if (sn != 0) {
            throw new MerkleProofException("inclusion proof of index " + index + " in tree size " + treeSize
                    + " is too short: got " + proof.size() + " hashes");
        }
        return r;
    }

    static void requireProofHash(byte[] p, int i) throws MerkleProofException {
        if (p == null || p.length != MerkleTree.HASH_LENGTH) {
            throw new MerkleProofException("proof hash " + i + " is not 32 bytes");
        }
    }
}
