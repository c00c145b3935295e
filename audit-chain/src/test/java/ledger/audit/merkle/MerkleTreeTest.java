package ledger.audit.merkle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import ledger.audit.Sha256;
import org.junit.jupiter.api.Test;

class MerkleTreeTest {

    private static final int SIZE_MAX = 300;
    private static final int EXHAUSTIVE_CONSISTENCY_SIZE_MAX = 64;
    private static final long SEED = 20250101L;

    private static final byte[][] LEAVES = ReferenceMerkle.leaves(SIZE_MAX, SEED);
    private static final ReferenceMerkle REFERENCE = new ReferenceMerkle(LEAVES);
    private static final LeafSource SOURCE = ReferenceMerkle.source(LEAVES);

    @Test
    void emptyAndSingleLeafRootsAreTheRfcBaseCases() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Sha256.hex(MerkleTree.root(SOURCE, 0)));
        byte[] d = LEAVES[0];
        byte[] prefixed = new byte[33];
        System.arraycopy(d, 0, prefixed, 1, 32);
        assertArrayEquals(Sha256.digest(prefixed), MerkleTree.root(SOURCE, 1));
    }

    @Test
    void rootMatchesTheRecursiveDefinitionForEverySizeUpTo300() {
        CompactRange range = new CompactRange();
        for (int n = 1; n <= SIZE_MAX; n++) {
            range.append(LEAVES[n - 1]);
            assertArrayEquals(REFERENCE.mth(0, n), range.root(), "size " + n);
            assertArrayEquals(REFERENCE.mth(0, n), MerkleTree.root(SOURCE, n), "size " + n);
        }
    }

    @Test
    void inclusionProofsMatchTheRecursiveDefinitionAndVerifyForEveryIndexOfEverySizeUpTo300() throws Exception {
        ProofGenerator generator = new ProofGenerator(SOURCE);
        for (int n = 1; n <= SIZE_MAX; n++) {
            byte[] root = REFERENCE.mth(0, n);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = generator.inclusionProof(i, n);
                assertHashesEqual(REFERENCE.path(i, 0, n), proof, "size " + n + " index " + i);
                InclusionProofVerifier.verify(i, n, LEAVES[i], proof, root);
            }
        }
    }

    @Test
    void consistencyProofsMatchTheRecursiveDefinitionAndVerifyForAllPairsUpTo64ThenSampled() throws Exception {
        ProofGenerator generator = new ProofGenerator(SOURCE);
        Random random = new Random(SEED);
        for (int n = 1; n <= SIZE_MAX; n++) {
            for (int m = 1; m <= n; m++) {
                boolean sampled = n <= EXHAUSTIVE_CONSISTENCY_SIZE_MAX || m == 1 || m == n || m == n - 1
                        || Long.bitCount(m) == 1 || random.nextInt(20) == 0;
                if (!sampled) {
                    continue;
                }
                List<byte[]> proof = generator.consistencyProof(m, n);
                List<byte[]> expected = m == n ? List.of() : REFERENCE.proof(m, n);
                assertHashesEqual(expected, proof, "m " + m + " n " + n);
                ConsistencyProofVerifier.verify(m, REFERENCE.mth(0, m), n, REFERENCE.mth(0, n), proof);
            }
        }
    }

    @Test
    void inclusionVerificationRejectsEveryWrongInput() throws Exception {
        ProofGenerator generator = new ProofGenerator(SOURCE);
        for (int n : new int[] {1, 2, 3, 7, 8, 9, 100}) {
            byte[] root = REFERENCE.mth(0, n);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = generator.inclusionProof(i, n);
                int index = i;
                assertThrows(MerkleProofException.class,
                        () -> InclusionProofVerifier.verify(index, n, LEAVES[(index + 1) % SIZE_MAX], proof, root));
                // A wrong tree size is not always visible in the path alone (the left spine of a
                // tree of n + 1 can hash alike); the root, signed with the size, binds it.
                assertThrows(MerkleProofException.class,
                        () -> InclusionProofVerifier.verify(index, n, LEAVES[index], proof, REFERENCE.mth(0, n + 1)));
                if (n > 1) {
                    assertThrows(MerkleProofException.class,
                            () -> InclusionProofVerifier.verify((index + 1) % n, n, LEAVES[index], proof, root));
                    assertThrows(MerkleProofException.class, () -> InclusionProofVerifier.verify(index, n,
                            LEAVES[index], proof.subList(0, proof.size() - 1), root));
                    List<byte[]> flipped = flipFirstByte(proof, random(index, proof.size()));
                    assertThrows(MerkleProofException.class,
                            () -> InclusionProofVerifier.verify(index, n, LEAVES[index], flipped, root));
                }
                List<byte[]> longer = new ArrayList<>(proof);
                longer.add(root);
                assertThrows(MerkleProofException.class,
                        () -> InclusionProofVerifier.verify(index, n, LEAVES[index], longer, root));
            }
        }
        assertThrows(MerkleProofException.class, () -> InclusionProofVerifier.verify(-1, 5, LEAVES[0], List.of(), LEAVES[1]));
        assertThrows(MerkleProofException.class, () -> InclusionProofVerifier.verify(5, 5, LEAVES[0], List.of(), LEAVES[1]));
    }

    @Test
    void consistencyVerificationRejectsEveryWrongInput() throws Exception {
        ProofGenerator generator = new ProofGenerator(SOURCE);
        for (int n = 2; n <= 40; n++) {
            for (int m = 1; m < n; m++) {
                List<byte[]> proof = generator.consistencyProof(m, n);
                byte[] first = REFERENCE.mth(0, m);
                byte[] second = REFERENCE.mth(0, n);
                int mm = m;
                int nn = n;
                assertThrows(MerkleProofException.class,
                        () -> ConsistencyProofVerifier.verify(mm, REFERENCE.mth(0, mm + 1), nn, second, proof));
                assertThrows(MerkleProofException.class,
                        () -> ConsistencyProofVerifier.verify(mm, first, nn, REFERENCE.mth(0, nn - 1), proof));
                assertThrows(MerkleProofException.class,
                        () -> ConsistencyProofVerifier.verify(mm, first, nn, second, proof.subList(1, proof.size())));
                assertThrows(MerkleProofException.class, () -> ConsistencyProofVerifier.verify(mm, first, nn, second,
                        flipFirstByte(proof, random(mm, proof.size()))));
                assertThrows(MerkleProofException.class,
                        () -> ConsistencyProofVerifier.verify(nn, second, mm, first, proof));
            }
        }
    }

    @Test
    void equalAndEmptyTreesAreConsistentOnlyWithAnEmptyProof() throws Exception {
        byte[] root5 = REFERENCE.mth(0, 5);
        ConsistencyProofVerifier.verify(5, root5, 5, root5, List.of());
        ConsistencyProofVerifier.verify(0, MerkleTree.emptyRoot(), 5, root5, List.of());
        assertTrue(new ProofGenerator(SOURCE).consistencyProof(0, 5).isEmpty());
        assertThrows(MerkleProofException.class, () -> ConsistencyProofVerifier.verify(5, root5, 5, root5, List.of(root5)));
        assertThrows(MerkleProofException.class,
                () -> ConsistencyProofVerifier.verify(5, root5, 5, REFERENCE.mth(0, 4), List.of()));
        assertThrows(MerkleProofException.class, () -> ConsistencyProofVerifier.verify(0, root5, 5, root5, List.of()));
    }

    @Test
    void subtreeRootIsTheMthOfTheRange() {
        for (int lo = 0; lo < 40; lo += 3) {
            for (int hi = lo + 1; hi < 70; hi += 5) {
                assertArrayEquals(REFERENCE.mth(lo, hi), MerkleTree.subtreeRoot(SOURCE, lo, hi));
            }
        }
    }

    private static int random(int seed, int bound) {
        return new Random(seed).nextInt(bound);
    }

    private static List<byte[]> flipFirstByte(List<byte[]> proof, int which) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            byte[] h = proof.get(i).clone();
            if (i == which) {
                h[0] ^= 1;
            }
            out.add(h);
        }
        return out;
    }

    static void assertHashesEqual(List<byte[]> expected, List<byte[]> actual, String what) {
        assertEquals(expected.stream().map(Sha256::hex).toList(), actual.stream().map(Sha256::hex).toList(), what);
    }
}
