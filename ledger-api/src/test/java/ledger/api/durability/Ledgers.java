package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;

/** Small helpers shared by the durability tests: money in minor units and whole statements. */
final class Ledgers {
    private Ledgers() {
    }

    /** "12.50" → 1250 for a currency with two decimals; exact, never rounded. */
    static long minor(String amount) {
        return new BigDecimal(amount).movePointRight(2).longValueExact();
    }

    static String amount(long minor) {
        return BigDecimal.valueOf(minor, 2).toPlainString();
    }

    /** One statement line as the API shows it. */
    record Line(long seq, String transferId, String type, String side, long amount, long debitsPosted,
                long creditsPosted, long balance, long available) {
        static Line of(JsonNode n) {
            return new Line(n.get("seq").asLong(), n.get("transferId").asText(), n.get("type").asText(),
                    n.get("side").asText(), minor(n.get("amount").asText()), minor(n.get("debitsPosted").asText()),
                    minor(n.get("creditsPosted").asText()), minor(n.get("balance").asText()),
                    minor(n.get("available").asText()));
        }
    }

    /** The whole statement of an account, paging through it with the cursor the API returns. */
    static List<Line> statement(LedgerClient client, String accountId, int pageSize) {
        List<Line> lines = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10_000; page++) {
            String path = "/v1/accounts/" + accountId + "/entries?limit=" + pageSize
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            LedgerClient.Response response = client.get(path);
            assertThat(response.status()).as("statement page of %s: %s", accountId, response).isEqualTo(200);
            JsonNode body = response.json();
            JsonNode entries = body.get("entries");
            assertThat(entries.size()).as("page size of %s", accountId).isLessThanOrEqualTo(pageSize);
            entries.forEach(e -> lines.add(Line.of(e)));
            JsonNode next = body.get("nextCursor");
            if (next == null || next.isNull()) {
                return lines;
            }
            assertThat(entries.size()).as("a page with a next cursor is full").isEqualTo(pageSize);
            cursor = next.asText();
        }
        throw new AssertionError("statement of " + accountId + " does not end");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
