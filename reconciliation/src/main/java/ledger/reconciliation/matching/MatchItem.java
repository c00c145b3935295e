package ledger.reconciliation.matching;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One thing to reconcile, as its source wrote it: the matcher normalises it (level L1) and keeps
 * the original. {@code amount} is signed from our side (money in is positive, whichever side
 * reports it). {@code reference} is the payment's own reference or end-to-end id; {@code groupKey}
 * is the settlement batch a processor record belongs to (its payout id), matched against a bank
 * entry whose reference is that id. {@code valueDate} is text in any format the rule set knows
 * ({@code 2024-03-05}, {@code 20240305}, {@code 05.03.2024}, {@code 2024/03/05}, an ISO date-time).
 * {@code account} is our account the item is booked on; {@code counterparty} the other party's
 * account or name. Null means absent for every field but key, amount, currency and valueDate.
 */
public record MatchItem(
        ItemKey key,
        String reference,
        String groupKey,
        BigDecimal amount,
        String currency,
        String valueDate,
        String account,
        String counterparty) {

    public MatchItem {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(valueDate, "valueDate");
    }

    public static MatchItem of(Side side, String id, String reference, String amount, String currency, LocalDate valueDate) {
        return new MatchItem(ItemKey.of(side, id), reference, null, new BigDecimal(amount), currency, valueDate.toString(), null, null);
    }

    public MatchItem withGroupKey(String group) {
        return new MatchItem(key, reference, group, amount, currency, valueDate, account, counterparty);
    }

    public MatchItem withAccount(String ownAccount) {
        return new MatchItem(key, reference, groupKey, amount, currency, valueDate, ownAccount, counterparty);
    }

    public MatchItem withCounterparty(String other) {
        return new MatchItem(key, reference, groupKey, amount, currency, valueDate, account, other);
    }

    public MatchItem withValueDate(String text) {
        return new MatchItem(key, reference, groupKey, amount, currency, text, account, counterparty);
    }
}
