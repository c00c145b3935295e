package ledger.reconciliation.matching;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import ledger.domain.money.Currencies;

/**
 * The knobs of one reconciliation, all explicit (docs/reconciliation.md, "Rule sets").
 *
 * @param toleranceAbsolute amounts this close (in currency units, e.g. 0.01) agree
 * @param toleranceRelative or this close as a fraction of the larger amount (0.001 = 0.1 %); the wider of the two applies
 * @param dateWindowDays value dates at most this many days apart can belong together
 * @param settlementWindow an item still WAITING this long after the start of its value date (in {@code zone}) is a break
 * @param zone the time zone dates are days in, and date-times are read in
 * @param referencePrefixes prefixes stripped from references (case-insensitively) before matching
 * @param noReference references that mean "none" after normalisation (NONREF, NOTPROVIDED)
 * @param currencyAliases currency spellings that name an ISO code ("€" → EUR, "RMB" → CNY); case is always repaired
 * @param currencies the currencies known (ISO 4217 plus configured assets)
 * @param knownAccounts our accounts, normalised (upper case, no spaces); null = not checked
 * @param knownCounterparties counterparties we know, normalised; null = not checked
 * @param componentSizeMax the most items one amount-matched candidate set may hold; beyond it all are ambiguous
 * @param lateMatchWindow how long after its settlement window a break is kept open for a late counterpart; then
 *                        it is closed (final) and leaves the matcher's memory
 */
public record RuleSet(
        String name,
        BigDecimal toleranceAbsolute,
        BigDecimal toleranceRelative,
        int dateWindowDays,
        Duration settlementWindow,
        ZoneId zone,
        List<String> referencePrefixes,
        Set<String> noReference,
        Map<String, String> currencyAliases,
        Currencies currencies,
        Set<String> knownAccounts,
        Set<String> knownCounterparties,
        int componentSizeMax,
        Duration lateMatchWindow) {

    public RuleSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(currencies, "currencies");
        if (toleranceAbsolute == null || toleranceAbsolute.signum() < 0) {
            throw new IllegalArgumentException("toleranceAbsolute is zero or more");
        }
        if (toleranceRelative == null || toleranceRelative.signum() < 0 || toleranceRelative.compareTo(new BigDecimal("0.5")) > 0) {
            throw new IllegalArgumentException("toleranceRelative is in 0..0.5");
        }
        if (dateWindowDays < 0 || settlementWindow == null || settlementWindow.isNegative()) {
            throw new IllegalArgumentException("windows are not negative");
        }
        if (lateMatchWindow == null || lateMatchWindow.isNegative()) {
            throw new IllegalArgumentException("lateMatchWindow is not negative");
        }
        if (componentSizeMax < 2) {
            throw new IllegalArgumentException("componentSizeMax is at least 2");
        }
        referencePrefixes = List.copyOf(referencePrefixes);
        noReference = Set.copyOf(noReference);
        currencyAliases = Map.copyOf(currencyAliases);
        knownAccounts = knownAccounts == null ? null : Set.copyOf(knownAccounts);
        knownCounterparties = knownCounterparties == null ? null : Set.copyOf(knownCounterparties);
    }

    /**
     * Exact amounts (tolerance 0), a 3-day date window, a 5-day settlement window in UTC, the
     * common reference prefixes, the accounts and counterparties unchecked, and breaks kept open for
     * a late counterpart 30 days after their settlement window.
     */
    public static RuleSet defaults() {
        return new RuleSet("default", BigDecimal.ZERO, BigDecimal.ZERO, 3, Duration.ofDays(5), ZoneId.of("UTC"),
                List.of("REF:", "REF ", "REF-", "REF#", "EREF+", "EREF:", "/EREF/", "E2E:", "E2E-"),
                Set.of("NONREF", "NOTPROVIDED", "NONE", "N/A"),
                Map.of("€", "EUR", "$US", "USD", "US$", "USD", "RMB", "CNY", "NIS", "ILS", "£", "GBP", "STG", "GBP"),
                Currencies.iso(), null, null, 64, Duration.ofDays(30));
    }

    public RuleSet withTolerance(BigDecimal absolute, BigDecimal relative) {
        return new RuleSet(name, absolute, relative, dateWindowDays, settlementWindow, zone, referencePrefixes, noReference,
                currencyAliases, currencies, knownAccounts, knownCounterparties, componentSizeMax,
                lateMatchWindow);
    }

    public RuleSet withWindows(int dateDays, Duration settlement) {
        return new RuleSet(name, toleranceAbsolute, toleranceRelative, dateDays, settlement, zone, referencePrefixes, noReference,
                currencyAliases, currencies, knownAccounts, knownCounterparties, componentSizeMax,
                lateMatchWindow);
    }

    public RuleSet withKnownAccounts(Set<String> accounts) {
        return new RuleSet(name, toleranceAbsolute, toleranceRelative, dateWindowDays, settlementWindow, zone, referencePrefixes,
                noReference, currencyAliases, currencies, accounts, knownCounterparties, componentSizeMax, lateMatchWindow);
    }

    public RuleSet withKnownCounterparties(Set<String> counterparties) {
        return new RuleSet(name, toleranceAbsolute, toleranceRelative, dateWindowDays, settlementWindow, zone, referencePrefixes,
                noReference, currencyAliases, currencies, knownAccounts, counterparties, componentSizeMax, lateMatchWindow);
    }

    /** Breaks stay open for a late counterpart this long after their settlement window, then are closed. */
    public RuleSet withLateMatching(Duration window) {
        return new RuleSet(name, toleranceAbsolute, toleranceRelative, dateWindowDays, settlementWindow, zone, referencePrefixes,
                noReference, currencyAliases, currencies, knownAccounts, knownCounterparties, componentSizeMax, window);
    }
}
