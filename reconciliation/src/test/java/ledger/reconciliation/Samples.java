package ledger.reconciliation;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Optional;

/**
 * Finds the project's shared sample files: the {@code shared/samples} directory beside the
 * repository, found by walking up from the working directory. Tests that need it skip visibly
 * when it is absent; the module's own fixtures under src/test/resources keep the suite standing.
 */
public final class Samples {
    private Samples() {
    }

    public static Optional<Path> find() {
        return findFrom(Paths.get(System.getProperty("user.dir")));
    }

    static Optional<Path> findFrom(Path start) {
        Path dir = start.toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("shared").resolve("samples");
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }

    /** The samples directory, or a skipped test saying why. */
    public static Path require(String sub) {
        Optional<Path> root = find();
        assumeTrue(root.isPresent(), "no shared/samples directory above " + System.getProperty("user.dir")
                + ": the shared sample statements are not on this machine");
        Path dir = root.get().resolve(sub);
        assumeTrue(Files.isDirectory(dir), "no " + dir + " in the shared samples");
        return dir;
    }
}
