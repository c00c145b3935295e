package ledger.tax.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * A set of rule packs, from the class path (the packs this library ships, listed in {@code tax/packs.list}) or
 * from a directory ({@code *.rules}, not recursive). {@link #find(String, LocalDate)} picks the pack of a name
 * valid on a date; two packs of one name may not be valid on the same day. {@link #reload()} reads the source
 * again and swaps the whole set at once; if anything fails to load, the old set stays and the error is thrown.
 */
public final class RuleLibrary {

    /** The class-path index of shipped packs: one resource path under {@code tax/} a line, {@code #} comments. */
    public static final String CLASSPATH_INDEX = "tax/packs.list";

    private final Supplier<List<RulePack>> source;
    private volatile List<RulePack> packs;

    private RuleLibrary(Supplier<List<RulePack>> source) {
        this.source = source;
        this.packs = checked(source.get());
    }

    public static RuleLibrary fromClasspath() {
        return fromClasspath(RuleLimits.DEFAULT);
    }

    public static RuleLibrary fromClasspath(RuleLimits limits) {
        return new RuleLibrary(() -> {
            String index = new String(RulePacks.readResource(CLASSPATH_INDEX, limits), StandardCharsets.UTF_8);
            List<RulePack> loaded = new ArrayList<>();
            for (String line : index.split("\n")) {
                String entry = line.strip();
                if (!entry.isEmpty() && !entry.startsWith("#")) {
                    loaded.add(RulePacks.loadResource("tax/" + entry, limits));
                }
            }
            return loaded;
        });
    }

    public static RuleLibrary fromDirectory(Path directory) {
        return fromDirectory(directory, RuleLimits.DEFAULT);
    }

    public static RuleLibrary fromDirectory(Path directory, RuleLimits limits) {
        Objects.requireNonNull(directory, "directory");
        return new RuleLibrary(() -> {
            try (Stream<Path> files = Files.list(directory)) {
                List<Path> rules = files.filter(p -> p.getFileName().toString().endsWith(".rules"))
                        .sorted().toList();
                List<RulePack> loaded = new ArrayList<>();
                for (Path file : rules) {
                    loaded.add(RulePacks.load(file, limits));
                }
                return loaded;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list rule directory " + directory, e);
            }
        });
    }

    /** Reads the source again; on success the new set replaces the old one in a single step. */
    public void reload() {
        this.packs = checked(source.get());
    }

    public List<RulePack> packs() {
        return packs;
    }

    /** The pack of this name valid on this date. */
    public RulePack find(String name, LocalDate date) {
        List<RulePack> named = packs.stream().filter(p -> p.id().name().equals(name)).toList();
        if (named.isEmpty()) {
            throw new IllegalArgumentException("no rule pack named '" + name + "' (packs: "
                    + packs.stream().map(p -> p.id().name()).distinct().sorted().toList() + ")");
        }
        return named.stream().filter(p -> p.id().validOn(date)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no version of rule pack '" + name + "' is valid on "
                        + date + " (valid: " + named.stream().map(p -> p.id().validFrom() + ".."
                        + (p.id().validTo() == null ? "" : p.id().validTo())).toList() + ")"));
    }

    private static List<RulePack> checked(List<RulePack> loaded) {
        List<RulePack> sorted = new ArrayList<>(loaded);
        sorted.sort(Comparator.comparing((RulePack p) -> p.id().name()).thenComparing(p -> p.id().validFrom()));
        for (int i = 1; i < sorted.size(); i++) {
            PackId before = sorted.get(i - 1).id();
            PackId after = sorted.get(i).id();
            if (before.name().equals(after.name())
                    && (before.validTo() == null || !after.validFrom().isAfter(before.validTo()))) {
                throw new RuleLoadException(new Location(after.file(), 1, 1), "pack '" + after.name()
                        + "' valid from " + after.validFrom() + " overlaps " + before.file() + " (valid "
                        + before.validFrom() + ".." + (before.validTo() == null ? "" : before.validTo()) + ")");
            }
        }
        return List.copyOf(sorted);
    }
}
