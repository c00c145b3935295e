package ledger.domain.money;

import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;

/**
 * How far below zero an account's balance on its normal side may go: not at all (the default),
 * down to a limit, or without a check ("unlimited", for house and source accounts).
 */
public record OverdraftLimit(boolean unlimited, long minor) {
    public static final String UNLIMITED = "unlimited";

    public static OverdraftLimit none() {
        return new OverdraftLimit(false, 0);
    }

    public static OverdraftLimit unlimitedLimit() {
        return new OverdraftLimit(true, 0);
    }

    /** Client form: absent = none, "unlimited", or a non-negative amount of the account's currency. */
    public static OverdraftLimit parse(String text, CurrencyCode currency) {
        if (text == null) {
            return none();
        }
        if (UNLIMITED.equals(text)) {
            return unlimitedLimit();
        }
        if ("0".equals(text) || text.matches("0\\.0+")) {
            if (text.length() - 2 > currency.scale()) {
                throw new LedgerRejection(RejectionCode.AMOUNT_INVALID,
                        "overdraftLimit has more decimals than " + currency.code() + " allows");
            }
            return none();
        }
        return new OverdraftLimit(false, Money.parsePositive(text, currency).minor());
    }

    /** Stored form: "unlimited" or the amount with the currency's scale. */
    public String toWire(CurrencyCode currency) {
        return unlimited ? UNLIMITED : Money.format(minor, currency.scale());
    }

    public static OverdraftLimit fromWire(String stored) {
        return UNLIMITED.equals(stored) ? unlimitedLimit() : new OverdraftLimit(false, Money.minorOf(stored));
    }

    /** Whether a normal-side balance of {@code balanceMinor} is allowed. */
    public boolean allows(long balanceMinor) {
        return unlimited || balanceMinor >= -minor;
    }
}
