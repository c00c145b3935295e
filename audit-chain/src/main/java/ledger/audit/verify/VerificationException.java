package ledger.audit.verify;

/**
 * The one way verification fails: names the line (1-based; 0 when the input is not line-based),
 * the check of AUDIT-CHAIN.md section 5 and, in the detail, the expected and the actual value.
 */
public final class VerificationException extends Exception {

    private static final long serialVersionUID = 1L;

    private final long line;
    private final Check check;
    private final String detail;

    public VerificationException(long line, Check check, String detail) {
        super((line > 0 ? "line " + line + ": " : "") + "check " + check.number() + " (" + check.title() + "): "
                + detail);
        this.line = line;
        this.check = check;
        this.detail = detail;
    }

    public long line() {
        return line;
    }

    public Check check() {
        return check;
    }

    public String detail() {
        return detail;
    }
}
