package ledger.reconciliation.statement;

/**
 * Receives a statement file as it is read: nothing is collected by the parser, so a file of any
 * size is parsed in the memory of one entry. Calls come in file order: {@code statementStarted},
 * then its entries, then {@code statementEnded}, for each statement in the file.
 */
public interface StatementListener {
    /** Called before the statement's first entry, with the balances the file gave so far. */
    default void statementStarted(StatementInfo statement) {
    }

    void entry(StatementEntry entry);

    /** Called after its last entry, with every balance of the statement. */
    default void statementEnded(StatementInfo statement) {
    }
}
