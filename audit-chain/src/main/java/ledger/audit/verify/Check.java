package ledger.audit.verify;

/** The checks of AUDIT-CHAIN.md section 5, numbered as there. */
public enum Check {
    FORMAT(1, "line format"),
    HASH(2, "event hash and number rule"),
    CHAIN(3, "aggregate chain"),
    SIGNATURE(4, "checkpoint signature"),
    TREE(5, "Merkle tree"),
    EARLIER_CHECKPOINT(6, "earlier checkpoint");

    private final int number;
    private final String title;

    Check(int number, String title) {
        this.number = number;
        this.title = title;
    }

    /** The number of the check in AUDIT-CHAIN.md section 5. */
    public int number() {
        return number;
    }

    public String title() {
        return title;
    }
}
