package ledger.sagas.settlement;

/** The steps of a settlement, in order (docs/settlement.md, "Steps"). */
public enum Step {
    /** The source amount reserved: a pending transfer source → FX position (source currency). */
    RESERVED,
    /** FX position (destination currency) → destination, spread → FX revenue, rounding → FX rounding: one entry. */
    DESTINATION_POSTED,
    /** The reservation posted: the source amount moved to the FX position. */
    RESERVATION_POSTED
}
