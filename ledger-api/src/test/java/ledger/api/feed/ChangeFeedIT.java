package ledger.api.feed;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.LedgerServiceIT;
import ledger.audit.CanonicalJson;
import ledger.audit.Sha256;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 6 on REST: pages of a tenant's events with positions and hashes that its audit log
 * proves, and the Server-Sent Events stream that resumes after a disconnect with nothing skipped or
 * repeated.
 */
class ChangeFeedIT extends LedgerServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pagesListEveryEventOnceInPositionOrderAndEachIsProvable() throws Exception {
        LedgerClient c = newTenant("feed-page");
        LedgerClient other = newTenant("feed-other");
        book(c, 5);
        book(other, 1);
        List<JsonNode> all = all(c);
        // 2 accounts opened + 5 transfers
        assertThat(all).hasSize(7);
        for (int i = 0; i < all.size(); i++) {
            JsonNode e = all.get(i);
            assertThat(e.get("position").asLong()).isEqualTo(i);
            JsonNode envelope = e.get("envelope");
            assertThat(envelope.get("tenant").asText()).isEqualTo(c.tenant());
            assertThat(e.get("eventId").asText()).isEqualTo(envelope.get("eventId").asText());
            assertThat(e.get("eventType").asText()).isEqualTo(envelope.get("eventType").asText());
            assertThat(e.get("aggregateId").asText()).isEqualTo(envelope.get("aggregateId").asText());
            String hash = Sha256.hex(Sha256.digest(CanonicalJson.canonicalString(envelope)
                    .getBytes(StandardCharsets.UTF_8)));
            assertThat(e.get("hash").asText()).as("the envelope hashes to the event's hash").isEqualTo(hash);
        }
        assertThat(all.get(2).get("eventType").asText()).isEqualTo("ledger.TransferPosted");
        // the audit log proves each one: same position and hash in its inclusion proof
        JsonNode last = all.get(all.size() - 1);
        Response proof = c.get("/v1/audit/proofs/inclusion?eventId=" + last.get("eventId").asText());
        assertThat(proof.status()).as(proof.toString()).isEqualTo(200);
        assertThat(proof.json().get("position").asLong()).isEqualTo(last.get("position").asLong());
        assertThat(proof.json().get("hash").asText()).isEqualTo(last.get("hash").asText());

        // pages of 3: 3, 3, 1, then an empty page that keeps the position
        Response first = c.get("/v1/events?limit=3");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(first.json().get("events")).hasSize(3);
        assertThat(first.json().get("nextAfter").asLong()).isEqualTo(2);
        Response end = c.get("/v1/events?after=6&limit=3");
        assertThat(end.json().get("events")).isEmpty();
        assertThat(end.json().get("nextAfter").asLong()).isEqualTo(6);
        // another tenant's feed holds only its own events
        List<JsonNode> others = all(other);
        assertThat(others).hasSize(3);
        others.forEach(e -> assertThat(e.get("envelope").get("tenant").asText()).isEqualTo(other.tenant()));
        // an empty feed: no events, no position yet
        LedgerClient empty = newTenant("feed-empty");
        Response none = empty.get("/v1/events");
        assertThat(none.json().get("events")).isEmpty();
        assertThat(none.json().get("nextAfter").isNull()).isTrue();
    }

    @Test
    void badPositionsAndLimitsAreRefused() {
        LedgerClient c = newTenant("feed-bad");
        book(c, 1);
        for (String query : List.of("?limit=0", "?limit=1001", "?limit=x", "?after=-1", "?after=abc", "?after=1.5",
                "?after=3", "?after=99999999999999999999")) {
            Response r = c.get("/v1/events" + query);
            assertThat(r.status()).as(query + ": " + r).isEqualTo(400);
            assertThat(r.code()).isEqualTo("validation_failed");
        }
        try (SseClient beyond = SseClient.open(c.port(), c.apiKey(), "/v1/events/stream", "17")) {
            assertThat(beyond.status()).isEqualTo(400);
            assertThat(beyond.contentType()).startsWith("application/problem+json");
            assertThat(beyond.body()).contains("validation_failed");
        }
        Response noKey = c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/events")).GET(), "");
        assertThat(noKey.status()).isEqualTo(401);
    }

    @Test
    void aStreamResumedAfterADisconnectMissesNothingAndRepeatsNothing() throws Exception {
        LedgerClient c = newTenant("feed-sse");
        book(c, 4); // positions 0..5
        List<String> got = new ArrayList<>();
        String lastId;
        try (SseClient stream = SseClient.open(c.port(), c.apiKey(), "/v1/events/stream", null)) {
            assertThat(stream.status()).isEqualTo(200);
            assertThat(stream.contentType()).startsWith("text/event-stream");
            for (int i = 0; i < 6; i++) {
                got.add(check(stream.next()));
            }
            // new events reach the open stream
            transfer(c, "live-1");
            transfer(c, "live-2");
            got.add(check(stream.next()));
            lastId = stream.next().id();
            got.add(lastId);
        } // disconnect mid-stream
        assertThat(lastId).isEqualTo("7");
        transfer(c, "while-away-1");
        transfer(c, "while-away-2");
        try (SseClient resumed = SseClient.open(c.port(), c.apiKey(), "/v1/events/stream?after=0", lastId)) {
            // Last-Event-ID wins over after
            got.add(check(resumed.next()));
            got.add(check(resumed.next()));
            transfer(c, "after-resume");
            got.add(check(resumed.next()));
        }
        List<String> expected = all(c).stream().map(e -> e.get("position").asText()).toList();
        assertThat(expected).hasSize(11);
        assertThat(got).as("the streamed ids, across the disconnect, are the feed's positions").isEqualTo(expected);
    }

    @Test
    void streamsPerKeyAreBounded() {
        LedgerClient c = newTenant("feed-limit");
        book(c, 1);
        List<SseClient> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                SseClient s = SseClient.open(c.port(), c.apiKey(), "/v1/events/stream", null);
                open.add(s);
                assertThat(s.status()).isEqualTo(200);
                s.next();
            }
            try (SseClient fifth = SseClient.open(c.port(), c.apiKey(), "/v1/events/stream", null)) {
                assertThat(fifth.status()).isEqualTo(429);
                assertThat(fifth.body()).contains("\"code\":\"too_many_streams\"");
            }
            // another key of the tenant still may
            Response issued = c.post("/v1/api-keys", null, "{\"roles\":[\"finance\"]}");
            try (SseClient finance = SseClient.open(c.port(), issued.json().get("apiKey").asText(),
                    "/v1/events/stream", null)) {
                assertThat(finance.status()).isEqualTo(200);
                assertThat(finance.next().id()).isEqualTo("0");
            }
        } finally {
            open.forEach(SseClient::close);
        }
    }

    private static String check(SseClient.Event e) {
        assertThat(e.name()).isEqualTo("ledger-event");
        assertThat(e.data().get("position").asText()).isEqualTo(e.id());
        return e.id();
    }

    /** Every event of the tenant, by pages of 2. */
    static List<JsonNode> all(LedgerClient c) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        String after = "";
        for (int page = 0; page < 1000; page++) {
            Response r = c.get("/v1/events?limit=2" + after);
            assertThat(r.status()).as(r.toString()).isEqualTo(200);
            JsonNode body = JSON.readTree(r.body());
            if (body.get("events").isEmpty()) {
                return events;
            }
            body.get("events").forEach(events::add);
            after = "&after=" + body.get("nextAfter").asText();
        }
        throw new AssertionError("too many pages");
    }

    /** Opens cash and a wallet, then posts {@code transfers} transfers. */
    static void book(LedgerClient c, int transfers) {
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        for (int i = 0; i < transfers; i++) {
            transfer(c, "t-" + i);
        }
    }

    static void transfer(LedgerClient c, String id) {
        Response r = c.transfer("k-" + id, id, "cash", "wallet", "1.00", "EUR");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
