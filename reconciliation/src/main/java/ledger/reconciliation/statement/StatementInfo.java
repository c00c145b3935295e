package ledger.reconciliation.statement;

import java.util.List;
import java.util.Optional;

/**
 * Statement-level data: which file format, the statement's id (camt {@code Stmt/Id}, MT940 field
 * 20), its electronic sequence or MT940 statement/sequence number, the account and its currency,
 * the balances, and the bank's free text on the statement as a whole (camt {@code AddtlStmtInf},
 * MT940 :86: after the closing balance). {@code entryCount} is the number of entries seen so far
 * (final in {@link StatementListener#statementEnded}).
 */
public record StatementInfo(
        StatementFormat format,
        String messageId,
        String statementId,
        String sequenceNumber,
        AccountIdentification account,
        String currency,
        List<Balance> balances,
        String information,
        String location,
        long entryCount) {

    public StatementInfo {
        balances = List.copyOf(balances);
    }

    public Optional<Balance> balance(Balance.Kind kind) {
        return balances.stream().filter(b -> b.kind() == kind).findFirst();
    }

    public Optional<Balance> opening() {
        return balance(Balance.Kind.OPENING).or(() -> balance(Balance.Kind.INTERMEDIATE_OPENING));
    }

    public Optional<Balance> closing() {
        return balance(Balance.Kind.CLOSING).or(() -> balance(Balance.Kind.INTERMEDIATE_CLOSING));
    }
}
