package ledger.reconciliation.statement;

/**
 * A statement or report file that cannot be read as its format says. The message names where
 * ({@code line 12}, {@code line 3, column "gross"} or an element path such as
 * {@code /Document/BkToCstmrStmt/Stmt[1]/Ntry[2]/Amt}) and why.
 */
public class StatementFormatException extends Exception {
    private final String location;
    private final String reason;

    public StatementFormatException(String location, String reason) {
        super(location + ": " + reason);
        this.location = location;
        this.reason = reason;
    }

    public StatementFormatException(String location, String reason, Throwable cause) {
        super(location + ": " + reason, cause);
        this.location = location;
        this.reason = reason;
    }

    public String location() {
        return location;
    }

    public String reason() {
        return reason;
    }
}
