package ledger.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared samples are found by walking up, and their absence is noticed (the sample tests then skip). */
class SamplesTest {

    @Test
    void findsSharedSamplesInAnAncestorDirectory(@TempDir Path root) throws Exception {
        Path samples = Files.createDirectories(root.resolve("shared/samples"));
        Path module = Files.createDirectories(root.resolve("repo/reconciliation"));
        assertThat(Samples.findFrom(module)).contains(samples.toAbsolutePath());
    }

    @Test
    void findsNothingWhereThereAreNoSharedSamples(@TempDir Path root) throws Exception {
        Path module = Files.createDirectories(root.resolve("repo/reconciliation"));
        Files.createDirectories(root.resolve("shared")); // a shared/ without samples/ does not count
        assertThat(Samples.findFrom(module)).isEmpty();
    }
}
