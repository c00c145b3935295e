package ledger.reconciliation.matching;

/** How a difference is handled (docs/reconciliation.md, "Break levels"). */
public enum Level {
    /** Format only (reference case/spaces/prefix, currency alias, date format): repaired and matched, the fix recorded. */
    L1,
    /** A near match that does not agree (amount, currency), an ambiguous one, or nothing within the settlement window: a person reviews. */
    L2,
    /** Something the books do not know (our account, the counterparty, the currency): an alert. */
    L3
}
