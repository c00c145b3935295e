package ledger.sagas.settlement;

import java.time.Instant;
import ledger.audit.Ts6;
import ledger.domain.money.Money;
import ledger.fx.convert.Conversion;
import ledger.fx.quote.Quote;
import ledger.sagas.settlement.SettlementEvents.HouseAccounts;
import ledger.sagas.settlement.SettlementEvents.QuoteUsed;
import ledger.sagas.settlement.SettlementEvents.SettlementRequoted;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;

/** Builds a settlement's first event from the quote and the conversion it was decided on. */
public final class Settlements {
    /** Settlement ids leave room for the suffixes of the ledger transfers they create (128 characters in all). */
    public static final int ID_LENGTH_MAX = 100;

    private Settlements() {
    }

    /** The tenant's FX house accounts for a pair: one position per currency, revenue and rounding in the destination currency. */
    public static HouseAccounts houseAccounts(String sourceCurrency, String destinationCurrency) {
        return new HouseAccounts("fx.position." + sourceCurrency, "fx.position." + destinationCurrency,
                "fx.revenue." + destinationCurrency, "fx.rounding." + destinationCurrency);
    }

    /** A re-quote's event: the new quote and the conversion decided on it, for settlement {@code s}. */
    public static SettlementRequoted requoted(SettlementStarted s, Quote quote, Conversion c) {
        return new SettlementRequoted(s.tenant(), s.settlementId(), text(c.source()), text(c.destination()),
                c.exactValue().value().toPlainString(), c.roundingDifference().value().toPlainString(),
                text(c.valueAtMid()), text(c.spreadRevenuePosted()), text(c.roundingPosted()), used(quote));
    }

    /** The settlement as decided after re-quote {@code r}: everything else as it was. */
    public static SettlementStarted withRequote(SettlementStarted s, SettlementRequoted r) {
        return new SettlementStarted(s.tenant(), s.settlementId(), s.sourceAccount(), s.destinationAccount(),
                s.sourceCurrency(), s.destinationCurrency(), r.sourceAmount(), r.destinationAmount(), s.rule(),
                r.exactValue(), r.roundingDifference(), r.valueAtMid(), r.spreadRevenuePosted(), r.roundingPosted(),
                r.quote(), s.house(), s.deadline());
    }

    private static QuoteUsed used(Quote quote) {
        return new QuoteUsed(quote.id(), quote.provider(), quote.from().code(), quote.to().code(),
                quote.rate().toPlainString(), quote.bid().toPlainString(), quote.ask().toPlainString(),
                quote.mid().toPlainString(), Ts6.format(quote.obtainedAt()), Ts6.format(quote.expiresAt()));
    }

    public static SettlementStarted started(String tenant, String settlementId, String sourceAccount,
                                            String destinationAccount, Quote quote, Conversion c, Instant deadline) {
        QuoteUsed used = used(quote);
        String from = c.source().currency().code();
        String to = c.destination().currency().code();
        return new SettlementStarted(tenant, settlementId, sourceAccount, destinationAccount, from, to,
                text(c.source()), text(c.destination()), c.rule().name(), c.exactValue().value().toPlainString(),
                c.roundingDifference().value().toPlainString(), text(c.valueAtMid()), text(c.spreadRevenuePosted()),
                text(c.roundingPosted()), used, houseAccounts(from, to), Ts6.format(deadline));
    }

    /** An amount as a decimal string in its currency's minor unit, negative where it is (rounding may be). */
    static String text(Money money) {
        return Money.format(money.minor(), money.currency().scale());
    }
}
