package ledger.audit.export;

/** A line of an export is not JSON or lacks the members of AUDIT-CHAIN.md section 4. */
public final class ExportFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long line;

    public ExportFormatException(long line, String message) {
        super(message);
        this.line = line;
    }

    /** 1-based line number. */
    public long line() {
        return line;
    }
}
