package ledger.sagas.settlement;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.convert.Conversion;
import ledger.fx.convert.Converter;
import ledger.fx.quote.Quote;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;

/** Settlements used by the tests, built the way the API builds them (a real quote, a real conversion). */
final class SettlementExamples {
    static final CurrencyCode USD = new CurrencyCode("USD", 2);
    static final CurrencyCode JPY = new CurrencyCode("JPY", 0);
    static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    static final Duration QUOTE_TTL = Duration.ofSeconds(30);
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String TENANT = "t1";
    static final String ID = "s-1";
    static final String AGGREGATE = SettlementCommands.aggregateId(TENANT, ID);

    private SettlementExamples() {
    }

    static Quote quote() {
        return new Quote("q-1", USD, JPY, new BigDecimal("154.10"), new BigDecimal("154.10"),
                new BigDecimal("154.30"), new BigDecimal("154.20"), "house", T0, T0.plus(QUOTE_TTL), null);
    }

    /**
     * Buying yen again, on quote q-2 obtained when q-1 expired, at {@code bid} (mid {@code bid} + 0.10):
     * at 155.00, 10,000 JPY cost 64.52 USD (less than reserved); at 153.00, 65.36 USD (more).
     */
    static SettlementEvents.SettlementRequoted requotedAt(String bid) {
        return requotedAt(bid, QUOTE_TTL);
    }

    /** As {@link #requotedAt(String)}, q-2 locked for {@code ttl}. */
    static SettlementEvents.SettlementRequoted requotedAt(String bid, Duration ttl) {
        BigDecimal rate = new BigDecimal(bid);
        BigDecimal mid = rate.add(new BigDecimal("0.10"));
        Instant at = T0.plus(QUOTE_TTL);
        Quote q2 = new Quote("q-2", USD, JPY, rate, rate, mid.add(new BigDecimal("0.10")), mid, "house", at,
                at.plus(ttl), null);
        return Settlements.requoted(buyingYen(), q2, Converter.buy(new Money(10_000, JPY), USD, rate, mid));
    }

    /** Buying 10,000 JPY for 64.90 USD (docs/fx.md): value at mid 10,008, spread 6, rounding 2. */
    static SettlementStarted buyingYen() {
        Conversion conversion = Converter.buy(new Money(10_000, JPY), USD, new BigDecimal("154.10"),
                new BigDecimal("154.20"));
        return Settlements.started(TENANT, ID, "alice", "bob", quote(), conversion, T0.plus(TIMEOUT));
    }
}
