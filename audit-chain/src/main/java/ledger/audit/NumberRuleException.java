package ledger.audit;

/**
 * A JSON number breaks the number rule of AUDIT-CHAIN.md section 1: every number inside an
 * envelope must be an integer (written without fraction or exponent) with magnitude at most
 * 2^53 - 1. The message names the JSON pointer of the number and its text.
 */
public final class NumberRuleException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String pointer;

    public NumberRuleException(String pointer, String numberText) {
        super("number rule: " + (pointer.isEmpty() ? "/" : pointer) + " is " + numberText
                + ", expected an integer with magnitude <= 2^53-1 (decimals are strings)");
        this.pointer = pointer;
    }

    /** JSON pointer (RFC 6901) of the offending number, "" for the root. */
    public String pointer() {
        return pointer;
    }
}
