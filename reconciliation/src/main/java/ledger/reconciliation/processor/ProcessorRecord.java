package ledger.reconciliation.processor;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One line of a payment processor's report. Amounts are signed from the merchant's side and have
 * exactly the currency's minor units: {@code gross} is what the customer paid (negative for a
 * refund), {@code fee} what the processor kept (negative when it gave a fee back), and
 * {@code net = gross - fee} is what reaches the merchant's balance and so, summed over a payout,
 * the bank. {@code payoutId} groups the records one bank payout settles (Stripe
 * {@code automatic_payout_id}); null where the report has no such column.
 */
public record ProcessorRecord(
        String report,
        String recordId,
        long line,
        Instant created,
        String currency,
        BigDecimal gross,
        BigDecimal fee,
        BigDecimal net,
        String category,
        String sourceId,
        String description,
        String payoutId) {
}
