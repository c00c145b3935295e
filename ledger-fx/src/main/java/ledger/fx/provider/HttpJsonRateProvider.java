package ledger.fx.provider;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.regex.Pattern;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RatePrecision;
import ledger.fx.rate.RateProvider;
import ledger.fx.rate.RateProviderException;

/**
 * A rate service that answers one pair per GET with a JSON document (docs/fx.md, "HTTP JSON
 * providers"). The bid, ask and time are found by JSON Pointer; numbers are read as BigDecimal,
 * never as doubles. A price with more than 12 significant digits is brought to 12 by rule
 * {@link RatePrecision#OUTWARD_BID}/{@link RatePrecision#OUTWARD_ASK}.
 */
public final class HttpJsonRateProvider implements RateProvider {
    public static final int BODY_BYTES_MAX = 65_536;

    private static final Pattern DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");
    private static final Pattern INTEGER = Pattern.compile("[0-9]{1,18}");
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)) // 154.10 stays 154.10
            .build();

    private final HttpJsonSettings settings;
    private final HttpClient http;
    private final JsonPointer bidAt;
    private final JsonPointer askAt;
    private final JsonPointer timeAt;

    public HttpJsonRateProvider(HttpJsonSettings settings, HttpClient http) {
        this.settings = settings;
        this.http = http;
        this.bidAt = JsonPointer.compile(settings.bidPointer());
        this.askAt = JsonPointer.compile(settings.askPointer());
        this.timeAt = JsonPointer.compile(settings.timePointer());
    }

    @Override
    public String name() {
        return settings.name();
    }

    public URI uriFor(CurrencyPair pair) {
        return URI.create(settings.urlTemplate()
                .replace("{base}", URLEncoder.encode(pair.base().code(), StandardCharsets.UTF_8))
                .replace("{quote}", URLEncoder.encode(pair.quote().code(), StandardCharsets.UTF_8)));
    }

    @Override
    public ProviderRate rate(CurrencyPair pair) throws RateProviderException {
        URI uri = uriFor(pair);
        JsonNode answer = read(uri, fetch(uri));
        BigDecimal bid = decimal(answer, bidAt, uri).round(RatePrecision.OUTWARD_BID);
        BigDecimal ask = decimal(answer, askAt, uri).round(RatePrecision.OUTWARD_ASK);
        Optional<String> problem = ProviderRate.problem(bid, ask);
        if (problem.isPresent()) {
            throw new RateProviderException(name() + ": " + uri + " answered " + problem.get());
        }
        return new ProviderRate(name(), pair, bid, ask, instant(answer, uri));
    }

    private byte[] fetch(URI uri) throws RateProviderException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET();
        settings.headers().forEach(request::header);
        try {
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new RateProviderException(name() + ": HTTP " + response.statusCode() + " from " + uri);
                }
                byte[] bytes = body.readNBytes(BODY_BYTES_MAX + 1);
                if (bytes.length > BODY_BYTES_MAX) {
                    throw new RateProviderException(name() + ": the answer from " + uri + " is larger than " + BODY_BYTES_MAX + " bytes");
                }
                return bytes;
            }
        } catch (HttpTimeoutException e) {
            throw new RateProviderException(name() + ": no answer from " + uri + " within " + settings.timeout(), e);
        } catch (IOException e) {
            throw new RateProviderException(name() + ": cannot fetch " + uri + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RateProviderException(name() + ": interrupted while fetching " + uri, e);
        }
    }

    private JsonNode read(URI uri, byte[] body) throws RateProviderException {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new RateProviderException(name() + ": the answer from " + uri + " is not JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        } catch (IOException e) {
            throw new RateProviderException(name() + ": cannot read the answer from " + uri + ": " + e, e);
        }
    }

    private BigDecimal decimal(JsonNode answer, JsonPointer at, URI uri) throws RateProviderException {
        JsonNode node = answer.at(at);
        if (node.isMissingNode() || node.isNull()) {
            throw new RateProviderException(name() + ": the answer from " + uri + " has nothing at " + at);
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual() && DECIMAL.matcher(node.textValue()).matches()) {
            return new BigDecimal(node.textValue());
        }
        throw new RateProviderException(name() + ": the answer from " + uri + " has " + abbreviate(node.toString())
                + " at " + at + ", expected a positive decimal number");
    }

    private Instant instant(JsonNode answer, URI uri) throws RateProviderException {
        JsonNode node = answer.at(timeAt);
        String text = node.isNumber() ? node.bigIntegerValue().toString() : node.isTextual() ? node.textValue() : null;
        if (text == null) {
            throw new RateProviderException(name() + ": the answer from " + uri + " has "
                    + (node.isMissingNode() ? "nothing" : abbreviate(node.toString())) + " at " + timeAt
                    + ", expected a time as " + settings.timeFormat());
        }
        try {
            return switch (settings.timeFormat()) {
                case ISO_8601 -> OffsetDateTime.parse(text).toInstant();
                case EPOCH_SECONDS -> Instant.ofEpochSecond(epoch(text));
                case EPOCH_MILLIS -> Instant.ofEpochMilli(epoch(text));
            };
        } catch (DateTimeException | NumberFormatException e) {
            throw new RateProviderException(name() + ": the answer from " + uri + " has \"" + abbreviate(text) + "\" at "
                    + timeAt + ", not a time as " + settings.timeFormat(), e);
        }
    }

    private static long epoch(String text) {
        if (!INTEGER.matcher(text).matches()) {
            throw new NumberFormatException("not a whole number: " + text);
        }
        return Long.parseLong(text);
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }
}
