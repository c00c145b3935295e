package ledger.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import ledger.audit.fixture.RandomJson;
import ledger.audit.fixture.Seeded;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeTest {

    private static final String CANONICAL = "{\"aggregateId\":\"acc-1\",\"aggregateType\":\"Account\","
            + "\"eventId\":\"6f1c2a52-5d5e-4f3e-9c1a-2b7e0f3c9d11\",\"eventType\":\"ledger.AccountOpened\","
            + "\"meta\":{\"actor\":\"alice\",\"correlationId\":\"c-1\"},\"occurredAt\":\"2025-01-02T03:04:05.123456Z\","
            + "\"payload\":{\"amount\":\"1234.50\",\"currency\":\"EUR\",\"n\":3},"
            + "\"prevHash\":\"0000000000000000000000000000000000000000000000000000000000000000\","
            + "\"seq\":0,\"tenant\":\"t1\",\"v\":1}";
    /** SHA-256 of CANONICAL, computed outside Java (Python hashlib). */
    private static final String CANONICAL_HASH = "3afed4ee40eff37dd48d6ea68b81a1e8948505d997e614d88dcac787080f50bb";

    static Envelope sample() {
        ObjectNode payload = Json.nodes().objectNode();
        payload.put("currency", "EUR");
        payload.put("amount", "1234.50");
        payload.put("n", 3);
        return new Envelope("t1", "Account", "acc-1", 0, "6f1c2a52-5d5e-4f3e-9c1a-2b7e0f3c9d11",
                "ledger.AccountOpened", "2025-01-02T03:04:05.123456Z",
                Map.of("correlationId", "c-1", "actor", "alice"), payload, Envelope.ZERO_HASH);
    }

    private static ObjectNode sampleJson() throws Exception {
        return (ObjectNode) Json.mapper().readTree(CANONICAL);
    }

    @Test
    void toJsonHasExactlyTheMembersOfSectionOne() throws Exception {
        ObjectNode json = sample().toJson();
        assertEquals(Set.copyOf(Envelope.MEMBERS), Json.mapper().convertValue(json, Map.class).keySet());
        assertEquals(CANONICAL, CanonicalJson.canonicalString(json));
    }

    @Test
    void hashIsSha256OfTheCanonicalBytes() {
        assertEquals(CANONICAL_HASH, sample().hash());
    }

    @Test
    void fromJsonRoundTrips() throws Exception {
        Envelope e = Envelope.fromJson(sampleJson());
        assertEquals(sample(), e);
        assertEquals(CANONICAL_HASH, e.hash());
    }

    @Test
    void payloadIsCopiedSoTheHashCannotChangeAfterConstruction() {
        ObjectNode payload = Json.nodes().objectNode().put("amount", "1.00");
        Envelope e = new Envelope("t", "A", "a", 0, "id", "x.Y", "2025-01-02T03:04:05.123456Z",
                Map.of("actor", "a", "correlationId", "c"), payload, Envelope.ZERO_HASH);
        String before = e.hash();
        payload.put("amount", "2.00");
        assertEquals(before, e.hash());
    }

    @Test
    void successorLinksByHash() {
        Envelope first = sample();
        Envelope second = new Envelope("t1", "Account", "acc-1", 1, "e2", "ledger.AccountCredited",
                "2025-01-02T03:04:06.000000Z", Map.of("actor", "alice", "correlationId", "c-2"),
                Json.nodes().objectNode(), first.hash());
        assertTrue(second.isSuccessorOf(first));
        assertNotEquals(first.hash(), second.hash());
    }

    @Test
    void constructorRejectsBrokenInvariants() {
        Map<String, String> meta = Map.of("actor", "a", "correlationId", "c");
        ObjectNode p = Json.nodes().objectNode();
        String ts = "2025-01-02T03:04:05.123456Z";
        String h = "ab".repeat(32);
        assertThrows(IllegalArgumentException.class, () -> new Envelope("t", "A", "a", -1, "i", "e", ts, meta, p, h));
        assertThrows(IllegalArgumentException.class, () -> new Envelope("t", "A", "a", 1, "i", "e", ts, meta, p, "AB".repeat(32)));
        assertThrows(IllegalArgumentException.class, () -> new Envelope("t", "A", "a", 1, "i", "e", ts, meta, p, "ab"));
        assertThrows(IllegalArgumentException.class, () -> new Envelope("t", "A", "a", 1, "i", "e", ts, Map.of(), p, h));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("t", "A", "a", 1, "i", "e", ts, Map.of("actor", "a"), p, h));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("t", "A", "a", 1, "i", "e", ts, Map.of("correlationId", "c"), p, h));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("t", "A", "a", 1, "i", "e", "2025-01-02T03:04:05Z", meta, p, h));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("t", "A", "a", 1, "i", "e", ts, meta, Json.nodes().arrayNode(), h));
        assertThrows(IllegalArgumentException.class,
                () -> new Envelope("t", "A", "a", 1, "i", "e", ts, meta, Json.nodes().objectNode().put("x", 1.5), h));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "remove:meta", "remove:v", "remove:payload", "add:extra", "set:v=2", "set:v=\"1\"", "set:seq=-1",
        "set:seq=\"0\"", "set:meta={}", "set:meta={\"actor\":\"a\"}", "set:meta={\"actor\":\"a\",\"correlationId\":1}",
        "set:payload=[]", "set:prevHash=\"00\"", "set:prevHash=\"" + "A0" + "\"",
        "set:occurredAt=\"2025-01-02T03:04:05Z\"", "set:tenant=null", "set:seq=1.0"})
    void fromJsonRejectsAnythingButTheExactShape(String change) throws Exception {
        ObjectNode json = sampleJson();
        String[] parts = change.split(":", 2);
        switch (parts[0]) {
            case "remove" -> json.remove(parts[1]);
            case "add" -> json.put(parts[1], "x");
            default -> {
                String[] kv = parts[1].split("=", 2);
                json.set(kv[0], Json.mapper().readTree(kv[1]));
            }
        }
        Exception e = assertThrows(Exception.class, () -> Envelope.fromJson(json));
        assertTrue(e instanceof EnvelopeFormatException || e instanceof NumberRuleException, e.toString());
    }

    @Test
    void fromJsonReportsFractionalNumbersAsNumberRule() throws Exception {
        ObjectNode json = sampleJson();
        ((ObjectNode) json.get("payload")).put("amount", 1234.5);
        NumberRuleException e = assertThrows(NumberRuleException.class, () -> Envelope.fromJson(json));
        assertEquals("/payload/amount", e.pointer());
    }

    @Test
    void seqZeroWithAnotherPrevHashIsAChainMatterNotAFormatOne() throws Exception {
        ObjectNode json = sampleJson();
        json.put("prevHash", "ab".repeat(32));
        assertEquals("ab".repeat(32), Envelope.fromJson(json).prevHash());
    }

    @Test
    void fromJsonRejectsNonObjects() {
        JsonNode array = Json.nodes().arrayNode();
        assertThrows(EnvelopeFormatException.class, () -> Envelope.fromJson(array));
        assertThrows(EnvelopeFormatException.class, () -> Envelope.fromJson(null));
    }

    @Test
    void canonicalStringIsJcsOfTheJsonForm() throws Exception {
        assertEquals(CANONICAL, sample().canonicalString());
        Seeded.forAll("envelope canonical string = JCS(toJson)", 500, r -> {
            Envelope e = RandomJson.envelope(r);
            assertEquals(CanonicalJson.canonicalString(e.toJson()), e.canonicalString());
        });
    }
}
