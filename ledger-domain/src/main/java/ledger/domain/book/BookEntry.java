package ledger.domain.book;

import java.time.Instant;
import ledger.domain.model.Invariants;
import ledger.domain.model.Side;

/**
 * One change of one account, as its statement line: the state after it, what caused it, and when.
 * {@code transferId}, {@code side} and {@code amount} describe a movement (null, null, 0 for a
 * change of status). Types: {@value #OPENED}, {@value #POSTED}, {@value #RESERVED},
 * {@value #PENDING_POSTED}, {@value #VOIDED}, {@value #EXPIRED}, {@value #FROZEN},
 * {@value #UNFROZEN}, {@value #CLOSED}.
 */
public record BookEntry(AccountState after, String type, String transferId, Side side, long amount,
                        Instant occurredAt, java.util.Map<String, String> metadata) {
    /** {@code metadata}: the account's metadata (whole) set by an {@value #OPENED} or {@value #UPDATED} entry. */
    public BookEntry(AccountState after, String type, String transferId, Side side, long amount, Instant occurredAt) {
        this(after, type, transferId, side, amount, occurredAt, null);
    }

    public static final String OPENED = "opened";
    public static final String POSTED = "posted";
    public static final String RESERVED = "reserved";
    public static final String PENDING_POSTED = "pending_posted";
    public static final String VOIDED = "voided";
    public static final String EXPIRED = "expired";
    public static final String FROZEN = "frozen";
    public static final String UNFROZEN = "unfrozen";
    public static final String CLOSED = "closed";
    /** The account's overdraft limit or metadata changed. */
    public static final String UPDATED = "updated";

    public BookEntry {
        Invariants.check(after != null && type != null && occurredAt != null, "a book entry is complete");
        Invariants.check(amount >= 0, "a book entry's amount is not negative");
    }

    /** Whether this entry changes a balance (it is on the account's statement), not only its status. */
    public static boolean movesMoney(String type) {
        return switch (type) {
            case POSTED, RESERVED, PENDING_POSTED, VOIDED, EXPIRED -> true;
            default -> false;
        };
    }
}
