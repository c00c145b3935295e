package ledger.tax.rules;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule file that cannot be used: a syntax, type, name, cycle or limit problem. Every problem found is listed
 * with its file, line and column; the message shows them one a line.
 */
public final class RuleLoadException extends RuntimeException {

    private final transient List<Diagnostic> diagnostics;

    public RuleLoadException(List<Diagnostic> diagnostics) {
        super(diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining("\n")));
        this.diagnostics = List.copyOf(diagnostics);
    }

    public RuleLoadException(Location at, String message) {
        this(List.of(new Diagnostic(at, message)));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }

    /** The first problem, the one a person should fix first. */
    public Diagnostic first() {
        return diagnostics.get(0);
    }
}
