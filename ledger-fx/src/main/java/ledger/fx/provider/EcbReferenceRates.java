package ledger.fx.provider;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Currencies;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.PairNotOffered;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RatePrecision;
import ledger.fx.rate.RateProvider;
import ledger.fx.rate.RateProviderException;

/**
 * The ECB's euro foreign exchange reference rates in the {@code eurofxref-daily.xml} layout
 * (docs/fx.md, "ECB reference rates"): EUR is the base of every rate, {@code Cube time="…"} dates
 * them and {@code Cube currency="…" rate="…"} gives one currency per EUR. Reference rates have no
 * spread (bid = ask); a pair without EUR is crossed through EUR by rule
 * {@link RatePrecision#CROSS}. The document is fetched from an {@code http(s):} or {@code file:}
 * URI and kept for {@code refreshAfter}; if a refresh fails the rates already held keep answering
 * (their {@code asOf} lets the router judge them stale).
 */
public final class EcbReferenceRates implements RateProvider {
    public static final String NAMESPACE = "http://www.ecb.int/vocabulary/2002-08-01/eurofxref";
    public static final int DOCUMENT_BYTES_MAX = 1_048_576;
    public static final int CURRENCIES_MAX = 500;

    /** The ECB publishes around 16:00 CET; the date in the file is taken to mean that moment. */
    public static final LocalTime PUBLICATION_TIME = LocalTime.of(16, 0);
    public static final ZoneId PUBLICATION_ZONE = ZoneId.of("Europe/Berlin");

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private final String name;
    private final URI source;
    private final HttpClient http;
    private final Duration timeout;
    private final Duration refreshAfter;
    private final Clock clock;
    private final Currencies currencies;
    private final CurrencyCode eur;

    private volatile Snapshot snapshot;
    private volatile Optional<String> lastFailure = Optional.empty();

    /** What one document said: units of each currency per EUR, EUR itself included as 1. */
    public record Snapshot(LocalDate date, Instant asOf, Map<CurrencyCode, BigDecimal> perEur,
                           Set<String> ignoredCurrencies, Instant fetchedAt) {
    }

    public EcbReferenceRates(String name, URI source, HttpClient http, Duration timeout, Duration refreshAfter,
                             Clock clock, Currencies currencies) {
        String scheme = source.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme) && !"file".equals(scheme)) {
            throw new IllegalArgumentException("ECB source must be an http, https or file URI: " + source);
        }
        this.name = name;
        this.source = source;
        this.http = http;
        this.timeout = timeout;
        this.refreshAfter = refreshAfter;
        this.clock = clock;
        this.currencies = currencies;
        this.eur = currencies.resolve("EUR");
    }

    @Override
    public String name() {
        return name;
    }

    /** Why the latest fetch failed, if it did. */
    public Optional<String> lastFailure() {
        return lastFailure;
    }

    @Override
    public ProviderRate rate(CurrencyPair pair) throws RateProviderException {
        Snapshot rates = current();
        BigDecimal basePerEur = rates.perEur().get(pair.base());
        BigDecimal quotePerEur = rates.perEur().get(pair.quote());
        if (basePerEur == null || quotePerEur == null) {
            throw new PairNotOffered(name, pair);
        }
        // quote per base = (quote per EUR) / (base per EUR); exact when base is EUR
        BigDecimal rate = pair.base().equals(eur)
                ? quotePerEur
                : quotePerEur.divide(basePerEur, RatePrecision.CROSS);
        return ProviderRate.reference(name, pair, rate, rates.asOf());
    }

    /** The rates held, fetched again when older than {@code refreshAfter}. */
    public synchronized Snapshot current() throws RateProviderException {
        Instant now = clock.instant();
        if (snapshot != null && now.isBefore(snapshot.fetchedAt().plus(refreshAfter))) {
            return snapshot;
        }
        try {
            snapshot = parse(fetch(), now);
            lastFailure = Optional.empty();
        } catch (RateProviderException e) {
            lastFailure = Optional.of(e.getMessage());
            if (snapshot == null) {
                throw e;
            }
        }
        return snapshot;
    }

    private byte[] fetch() throws RateProviderException {
        if ("file".equals(source.getScheme())) {
            try (InputStream in = Files.newInputStream(Path.of(source))) {
                return readBounded(in);
            } catch (IOException e) {
                throw new RateProviderException(name + ": cannot read " + source + ": " + e.getMessage(), e);
            }
        }
        HttpRequest request = HttpRequest.newBuilder(source).timeout(timeout).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new RateProviderException(name + ": HTTP " + response.statusCode() + " from " + source);
                }
                return readBounded(body);
            }
        } catch (IOException e) {
            throw new RateProviderException(name + ": cannot fetch " + source + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateProviderException(name + ": interrupted while fetching " + source, e);
        }
    }

    private byte[] readBounded(InputStream in) throws IOException, RateProviderException {
        byte[] bytes = in.readNBytes(DOCUMENT_BYTES_MAX + 1);
        if (bytes.length > DOCUMENT_BYTES_MAX) {
            throw new RateProviderException(name + ": " + source + " is larger than " + DOCUMENT_BYTES_MAX + " bytes");
        }
        return bytes;
    }

    /** Reads one daily document; every refusal names the line and column of the element. */
    Snapshot parse(byte[] document, Instant fetchedAt) throws RateProviderException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        LocalDate date = null;
        Map<CurrencyCode, BigDecimal> perEur = new HashMap<>();
        Set<String> ignored = new TreeSet<>();
        XMLStreamReader reader = null;
        try {
            reader = factory.createXMLStreamReader(new java.io.ByteArrayInputStream(document));
            while (reader.hasNext()) {
                if (reader.next() != XMLStreamConstants.START_ELEMENT
                        || !"Cube".equals(reader.getLocalName())
                        || !NAMESPACE.equals(reader.getNamespaceURI())) {
                    continue;
                }
                String time = reader.getAttributeValue(null, "time");
                String currency = reader.getAttributeValue(null, "currency");
                if (time != null) {
                    if (date != null) {
                        throw refuse(reader, "a second Cube time=\"" + time + "\"; a daily document has one date");
                    }
                    date = date(reader, time);
                } else if (currency != null) {
                    if (date == null) {
                        throw refuse(reader, "Cube currency=\"" + currency + "\" outside a Cube time=\"…\"");
                    }
                    addRate(reader, currency, perEur, ignored);
                }
            }
        } catch (XMLStreamException e) {
            throw new RateProviderException(name + ": " + source + " is not well-formed XML: " + e.getMessage(), e);
        } finally {
            closeQuietly(reader);
        }
        if (date == null) {
            throw new RateProviderException(name + ": " + source + " has no Cube time=\"…\" element in namespace " + NAMESPACE);
        }
        if (perEur.isEmpty()) {
            throw new RateProviderException(name + ": " + source + " has no Cube currency=\"…\" rate=\"…\" element");
        }
        perEur.put(eur, BigDecimal.ONE);
        Instant asOf = date.atTime(PUBLICATION_TIME).atZone(PUBLICATION_ZONE).toInstant();
        return new Snapshot(date, asOf, Map.copyOf(perEur), Set.copyOf(ignored), fetchedAt);
    }

    private void addRate(XMLStreamReader reader, String currency, Map<CurrencyCode, BigDecimal> perEur, Set<String> ignored)
            throws RateProviderException {
        String rateText = reader.getAttributeValue(null, "rate");
        if (rateText == null) {
            throw refuse(reader, "Cube currency=\"" + currency + "\" has no rate attribute");
        }
        if (!DECIMAL.matcher(rateText).matches()) {
            throw refuse(reader, "Cube currency=\"" + currency + "\" has rate=\"" + rateText + "\", not a plain decimal");
        }
        BigDecimal rate = new BigDecimal(rateText);
        Optional<String> problem = RatePrecision.problem(rate);
        if (problem.isPresent()) {
            throw refuse(reader, "Cube currency=\"" + currency + "\" rate " + problem.get());
        }
        Optional<CurrencyCode> code = currencies.find(currency);
        if (code.isEmpty()) {
            // a currency this ledger does not hold is not an error in the ECB's document
            ignored.add(currency);
            return;
        }
        if (code.get().equals(eur)) {
            throw refuse(reader, "Cube currency=\"EUR\": EUR is the base and cannot be quoted against itself");
        }
        if (perEur.containsKey(code.get())) {
            throw refuse(reader, "Cube currency=\"" + currency + "\" appears twice");
        }
        if (perEur.size() == CURRENCIES_MAX) {
            throw refuse(reader, "more than " + CURRENCIES_MAX + " currencies");
        }
        perEur.put(code.get(), rate);
    }

    private LocalDate date(XMLStreamReader reader, String time) throws RateProviderException {
        try {
            return LocalDate.parse(time);
        } catch (DateTimeParseException e) {
            throw refuse(reader, "Cube time=\"" + time + "\" is not a date such as 2026-12-04");
        }
    }

    private RateProviderException refuse(XMLStreamReader reader, String why) {
        Location at = reader.getLocation();
        return new RateProviderException(name + ": " + source + " line " + at.getLineNumber()
                + ", column " + at.getColumnNumber() + ": " + why);
    }

    private static void closeQuietly(XMLStreamReader reader) {
        if (reader == null) {
            return;
        }
        try {
            reader.close();
        } catch (XMLStreamException ignored) {
            // nothing was written; the document is already read or refused
        }
    }
}
