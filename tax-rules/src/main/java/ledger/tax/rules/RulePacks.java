package ledger.tax.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Loads one rule file: from bytes, a file on disk or a classpath resource. Loading parses, checks and compiles the
 * file, so a pack that loads can be evaluated; a file that cannot be used raises {@link RuleLoadException} naming
 * file, line and column.
 */
public final class RulePacks {

    private RulePacks() {
    }

    public static RulePack parse(String fileName, byte[] bytes) {
        return parse(fileName, bytes, RuleLimits.DEFAULT);
    }

    public static RulePack parse(String fileName, byte[] bytes, RuleLimits limits) {
        Ast.PackAst ast = AstBuilder.parse(fileName, bytes, limits);
        Checker.Result checked = Checker.check(ast, limits);
        CompiledPack compiled = new CompiledPack(ast, checked, limits);
        Ast.Header h = ast.header();
        PackId id = new PackId(h.name(), h.version(), sha256(bytes), fileName, h.jurisdiction(), h.validFrom(),
                h.validTo(), h.sources());
        return new RulePack(compiled, id, limits);
    }

    public static RulePack load(Path file) {
        return load(file, RuleLimits.DEFAULT);
    }

    public static RulePack load(Path file, RuleLimits limits) {
        try {
            long size = Files.size(file);
            if (size > limits.fileBytesMax()) {
                throw new RuleLoadException(new Location(file.getFileName().toString(), 1, 1), "file has " + size
                        + " bytes, more than the limit of " + limits.fileBytesMax());
            }
            return parse(file.getFileName().toString(), Files.readAllBytes(file), limits);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule file " + file, e);
        }
    }

    /** A resource on the class path of this library, e.g. {@code tax/cn/cn-iit-wages-2019.rules}. */
    public static RulePack loadResource(String resource) {
        return loadResource(resource, RuleLimits.DEFAULT);
    }

    public static RulePack loadResource(String resource, RuleLimits limits) {
        return parse(resource, readResource(resource, limits), limits);
    }

    static byte[] readResource(String resource, RuleLimits limits) {
        try (InputStream in = RulePacks.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no rule file on the class path at " + resource);
            }
            byte[] bytes = in.readNBytes(limits.fileBytesMax() + 1);
            if (bytes.length > limits.fileBytesMax()) {
                throw new RuleLoadException(new Location(resource, 1, 1), "file has more than "
                        + limits.fileBytesMax() + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule resource " + resource, e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
