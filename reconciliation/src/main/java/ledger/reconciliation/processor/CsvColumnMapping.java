package ledger.reconciliation.processor;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;

/**
 * Which column of a processor's CSV report holds which field, and how to read it. Columns are
 * found by header name. A null optional column means the report has none.
 *
 * <p>Signs: with {@code grossDirectionColumn} null the amounts carry their own sign
 * ({@code -10.00}); with it, amounts are unsigned and that column says {@code creditValues} (money to
 * the merchant) or {@code debitValues}. The fee is read the same way through
 * {@code feeDirectionColumn}, where a debit means a fee charged. {@code netColumn}, where present,
 * must equal gross - fee or the line is refused.
 *
 * @param createdFormat pattern of the created column; a pattern without an offset is read in {@code zone}
 */
public record CsvColumnMapping(
        String name,
        String idColumn,
        String createdColumn,
        String currencyColumn,
        String grossColumn,
        String feeColumn,
        String netColumn,
        String grossDirectionColumn,
        String feeDirectionColumn,
        Set<String> creditValues,
        Set<String> debitValues,
        AmountUnit unit,
        String categoryColumn,
        String sourceIdColumn,
        String descriptionColumn,
        String payoutIdColumn,
        DateTimeFormatter createdFormat,
        ZoneId zone) {

    public CsvColumnMapping {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(idColumn, "idColumn");
        Objects.requireNonNull(createdColumn, "createdColumn");
        Objects.requireNonNull(currencyColumn, "currencyColumn");
        Objects.requireNonNull(grossColumn, "grossColumn");
        Objects.requireNonNull(unit, "unit");
        Objects.requireNonNull(createdFormat, "createdFormat");
        Objects.requireNonNull(zone, "zone");
        creditValues = creditValues == null ? Set.of() : Set.copyOf(creditValues);
        debitValues = debitValues == null ? Set.of() : Set.copyOf(debitValues);
        if ((grossDirectionColumn != null || feeDirectionColumn != null) && (creditValues.isEmpty() || debitValues.isEmpty())) {
            throw new IllegalArgumentException("a direction column needs its credit and debit values");
        }
    }

    /**
     * Stripe's balance transaction export ("Balance change from activity" / itemized balance
     * report): major units with a sign, lower-case currency, {@code created_utc} as
     * {@code 2024-03-05 10:00:00} in UTC, payouts grouped by {@code automatic_payout_id}.
     */
    public static CsvColumnMapping stripeBalanceTransactions() {
        return new CsvColumnMapping("stripe-balance-transactions",
                "balance_transaction_id", "created_utc", "currency", "gross", "fee", "net",
                null, null, Set.of(), Set.of(), AmountUnit.MAJOR,
                "reporting_category", "source_id", "description", "automatic_payout_id",
                DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss"), ZoneOffset.UTC);
    }

    /**
     * A PayPal-style settlement report's transaction rows: amounts in minor units, unsigned, with
     * {@code CR}/{@code DR} columns for the gross and for the fee; dates as
     * {@code 2024/03/05 10:00:00 +0100}. It has no payout grouping.
     */
    public static CsvColumnMapping paypalSettlement() {
        return new CsvColumnMapping("paypal-settlement",
                "Transaction ID", "Transaction Initiation Date", "Gross Transaction Currency",
                "Gross Transaction Amount", "Fee Amount", null,
                "Transaction Debit or Credit", "Fee Debit or Credit", Set.of("CR"), Set.of("DR"), AmountUnit.MINOR,
                "Transaction Event Code", "Invoice ID", "Custom Field", null,
                DateTimeFormatter.ofPattern("uuuu/MM/dd HH:mm:ss xx"), ZoneOffset.UTC);
    }
}
