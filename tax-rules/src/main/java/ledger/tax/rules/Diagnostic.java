package ledger.tax.rules;

/** One problem found while loading a rule file: where, and why. */
public record Diagnostic(Location at, String message) {

    public String file() {
        return at.file();
    }

    public int line() {
        return at.line();
    }

    public int column() {
        return at.column();
    }

    @Override
    public String toString() {
        return at + ": " + message;
    }
}
