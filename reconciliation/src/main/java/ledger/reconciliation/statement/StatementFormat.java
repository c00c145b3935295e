package ledger.reconciliation.statement;

/** The file formats the statement parsers read; camt carries its message version separately. */
public enum StatementFormat {
    CAMT_052,
    CAMT_053,
    CAMT_054,
    MT940
}
