package ledger.audit.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import ledger.audit.fixture.Seeded;
import org.junit.jupiter.api.Test;

/** Random sizes beyond the exhaustive range of {@link MerkleTreeTest}; seeds as {@link Seeded} explains. */
class MerkleProofProperties {

    private static final int SIZE_MAX = 3000;

    @Test
    void inclusionProofOfAnyLeafVerifiesAndMatchesTheReference() throws Exception {
        Seeded.forAll("inclusion proof of any leaf", 60, r -> {
            int n = Seeded.between(r, 1, SIZE_MAX);
            int index = r.nextInt(n);
            byte[][] leaves = ReferenceMerkle.leaves(n, r.nextLong());
            ReferenceMerkle reference = new ReferenceMerkle(leaves);
            List<byte[]> proof = new ProofGenerator(ReferenceMerkle.source(leaves)).inclusionProof(index, n);
            MerkleTreeTest.assertHashesEqual(reference.path(index, 0, n), proof, "n " + n + " index " + index);
            byte[] root = reference.mth(0, n);
            assertArrayEquals(root, MerkleTree.root(ReferenceMerkle.source(leaves), n));
            InclusionProofVerifier.verify(index, n, leaves[index], proof, root);
        });
    }

    @Test
    void consistencyProofOfAnyPrefixVerifiesAndMatchesTheReference() throws Exception {
        Seeded.forAll("consistency proof of any prefix", 60, r -> {
            int n = Seeded.between(r, 1, SIZE_MAX);
            int m = Seeded.between(r, 1, n);
            byte[][] leaves = ReferenceMerkle.leaves(n, r.nextLong());
            ReferenceMerkle reference = new ReferenceMerkle(leaves);
            List<byte[]> proof = new ProofGenerator(ReferenceMerkle.source(leaves)).consistencyProof(m, n);
            MerkleTreeTest.assertHashesEqual(m == n ? List.of() : reference.proof(m, n), proof, "m " + m + " n " + n);
            ConsistencyProofVerifier.verify(m, reference.mth(0, m), n, reference.mth(0, n), proof);
        });
    }

    @Test
    void aTamperedInclusionProofNeverVerifies() throws Exception {
        Seeded.forAll("tampered inclusion proof", 200, r -> {
            int n = Seeded.between(r, 2, 500);
            int index = r.nextInt(n);
            byte[][] leaves = ReferenceMerkle.leaves(n, n);
            List<byte[]> proof = new ArrayList<>(new ProofGenerator(ReferenceMerkle.source(leaves)).inclusionProof(index, n));
            int which = r.nextInt(proof.size());
            int bit = r.nextInt(256);
            byte[] h = proof.get(which).clone();
            h[bit / 8] ^= (byte) (1 << (bit % 8));
            proof.set(which, h);
            byte[] root = new ReferenceMerkle(leaves).mth(0, n);
            assertThrows(MerkleProofException.class,
                    () -> InclusionProofVerifier.verify(index, n, leaves[index], proof, root));
        });
    }

    @Test
    void aTamperedConsistencyProofNeverVerifies() throws Exception {
        Seeded.forAll("tampered consistency proof", 200, r -> {
            int n = Seeded.between(r, 3, 500);
            int m = Seeded.between(r, 1, n - 1);
            byte[][] leaves = ReferenceMerkle.leaves(n, n);
            ReferenceMerkle reference = new ReferenceMerkle(leaves);
            List<byte[]> proof = new ArrayList<>(new ProofGenerator(ReferenceMerkle.source(leaves)).consistencyProof(m, n));
            int which = r.nextInt(proof.size());
            int bit = r.nextInt(256);
            byte[] h = proof.get(which).clone();
            h[bit / 8] ^= (byte) (1 << (bit % 8));
            proof.set(which, h);
            assertThrows(MerkleProofException.class,
                    () -> ConsistencyProofVerifier.verify(m, reference.mth(0, m), n, reference.mth(0, n), proof));
        });
    }
}
