package ledger.reconciliation.statement;

import java.math.BigDecimal;

/**
 * One transaction inside a statement entry. A camt entry may be a batch with many
 * {@code TxDtls}; an MT940 entry always has exactly one. Any field may be null when the file
 * does not carry it; {@code amount} is null when the batch does not split the entry's amount.
 */
public record TransactionDetails(
        String endToEndId,
        String accountServicerReference,
        String instructionId,
        BigDecimal amount,
        String currency,
        String remittanceInformation,
        String creditorReference,
        String counterpartyName,
        String counterpartyAccount) {
}
