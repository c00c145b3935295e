package ledger.tax.rules;

/** A place in a rule file: the file's name as it was loaded, 1-based line and column. */
public record Location(String file, int line, int column) {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
