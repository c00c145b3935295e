package ledger.reconciliation.statement;

import java.util.ArrayList;
import java.util.List;

/** A listener that keeps what it is given: tests look at small files whole, the parsers never do. */
final class Collected implements StatementListener {
    final List<StatementInfo> started = new ArrayList<>();
    final List<StatementInfo> ended = new ArrayList<>();
    final List<StatementEntry> entries = new ArrayList<>();

    @Override
    public void statementStarted(StatementInfo statement) {
        started.add(statement);
    }

    @Override
    public void entry(StatementEntry entry) {
        entries.add(entry);
    }

    @Override
    public void statementEnded(StatementInfo statement) {
        ended.add(statement);
    }

    List<StatementEntry> entriesOf(String statementId) {
        return entries.stream().filter(e -> e.statementId().equals(statementId)).toList();
    }
}
