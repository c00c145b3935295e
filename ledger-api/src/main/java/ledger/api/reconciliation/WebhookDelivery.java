package ledger.api.reconciliation;

import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.ReconQueries.WebhookRow;

/**
 * Sends one alert to the tenant's webhook: {@code POST url} with the JSON body, {@code
 * Content-Type: application/json}, {@code X-Ledger-Signature: sha256=<hex HMAC-SHA256 of the body
 * with the tenant's secret>} and {@code X-Ledger-Delivery: <break id>}. Anything but a 2xx answer
 * (or no answer within {@value #TIMEOUT_SECONDS} s) fails the attempt, and db-scheduler runs it again
 * with exponential backoff (ReconciliationConfig).
 */
public final class WebhookDelivery {
    public static final String TASK = "reconciliation-webhook";
    public static final String SIGNATURE_HEADER = "X-Ledger-Signature";
    public static final String DELIVERY_HEADER = "X-Ledger-Delivery";
    static final int TIMEOUT_SECONDS = 5;

    /** A pending delivery: the task's data, stored by db-scheduler. */
    public record Delivery(String tenant, String breakId, String body) implements Serializable {
    }

    private final ReconQueries queries;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(TIMEOUT_SECONDS))
            .version(HttpClient.Version.HTTP_1_1).build();

    public WebhookDelivery(ReconQueries queries) {
        this.queries = queries;
    }

    /** One attempt; throws when it failed (db-scheduler retries). */
    public void deliver(Delivery delivery) throws Exception {
        WebhookRow hook = queries.webhook(delivery.tenant()).orElse(null);
        if (hook == null) {
            return; // the tenant removed its webhook meanwhile
        }
        HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create(hook.url()))
                .timeout(Duration.ofSeconds(TIMEOUT_SECONDS))
                .header("Content-Type", "application/json")
                .header(SIGNATURE_HEADER, "sha256=" + sign(hook.secret(), delivery.body()))
                .header(DELIVERY_HEADER, delivery.breakId())
                .POST(HttpRequest.BodyPublishers.ofString(delivery.body(), StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.discarding());
        if (answer.statusCode() / 100 != 2) {
            throw new IllegalStateException("webhook " + hook.url() + " answered " + answer.statusCode());
        }
    }

    /** Hex HMAC-SHA256 of the body's UTF-8 bytes. */
    public static String sign(String secret, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }
}
