package ledger.reconciliation.matching;

/**
 * The shape of a match. ONE_TO_MANY and MANY_TO_ONE read in {@link Side} order: a bank payout
 * (BANK, one) settling many processor records (PROCESSOR, many) is MANY_TO_ONE; one ledger
 * posting paid by several bank entries is ONE_TO_MANY. THREE_WAY has items of all three sides.
 */
public enum MatchKind {
    ONE_TO_ONE,
    ONE_TO_MANY,
    MANY_TO_ONE,
    THREE_WAY
}
