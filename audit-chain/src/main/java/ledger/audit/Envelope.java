package ledger.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The event envelope of AUDIT-CHAIN.md section 1.
 *
 * <p>The canonical constructor checks every invariant of a single envelope (seq, prevHash form,
 * ts6, meta, payload as a JSON object that obeys the number rule and is I-JSON) and throws
 * {@link IllegalArgumentException} when one fails: a record constructor cannot declare a
 * checked exception. {@link #fromJson} is the checked, strict way in for untrusted input.
 * The payload is deep-copied on the way in; do not mutate the node returned by
 * {@link #payload()}.
 *
 * <p>How envelopes link (seq 0 with {@link #ZERO_HASH}, then seq + 1 with the predecessor's
 * hash, see {@link #isSuccessorOf}) is a property of the chain, not of one envelope: it is
 * checked where the chain is known (on append, and by the verifier's check 3).
 */
public record Envelope(
        String tenant,
        String aggregateType,
        String aggregateId,
        long seq,
        String eventId,
        String eventType,
        String occurredAt,
        Map<String, String> meta,
        JsonNode payload,
        String prevHash) {

    /** prevHash of the event with seq 0: 64 '0' characters. */
    public static final String ZERO_HASH = "0".repeat(64);

    public static final int VERSION = 1;

    /** The exact members of the JSON form, in the order of AUDIT-CHAIN.md section 1. */
    public static final List<String> MEMBERS = List.of("v", "tenant", "aggregateType", "aggregateId", "seq",
            "eventId", "eventType", "occurredAt", "meta", "payload", "prevHash");

    public Envelope {
        require(tenant != null, "tenant is null");
        require(aggregateType != null, "aggregateType is null");
        require(aggregateId != null, "aggregateId is null");
        require(eventId != null, "eventId is null");
        require(eventType != null, "eventType is null");
        require(seq >= 0, "seq is negative: " + seq);
        require(seq <= CanonicalJson.NUMBER_MAGNITUDE_MAX, "seq above 2^53-1: " + seq);
        require(Ts6.isValid(occurredAt), "occurredAt is not ts6: " + Sha256.abbreviate(occurredAt));
        require(meta != null, "meta is null");
        require(meta.get("actor") != null, "meta has no actor");
        require(meta.get("correlationId") != null, "meta has no correlationId");
        meta = Map.copyOf(meta);
        require(payload != null && payload.isObject(), "payload is not a JSON object");
        payload = payload.deepCopy();
        require(Sha256.isHex(prevHash, 32), "prevHash is not 64 lowercase hex: " + Sha256.abbreviate(prevHash));
        try {
            CanonicalJson.checkNumberRule(payload);
        } catch (NumberRuleException e) {
            throw new IllegalArgumentException("payload " + e.getMessage(), e);
        }
        for (Map.Entry<String, String> e : meta.entrySet()) {
            CanonicalJson.requireIJson(e.getKey());
            CanonicalJson.requireIJson(e.getValue());
        }
        for (String s : new String[] {tenant, aggregateType, aggregateId, eventId, eventType}) {
            CanonicalJson.requireIJson(s);
        }
    }

    /** The JSON form of section 1, {@code "v":1} included. */
    public ObjectNode toJson() {
        ObjectNode o = Json.nodes().objectNode();
        o.put("v", VERSION);
        o.put("tenant", tenant);
        o.put("aggregateType", aggregateType);
        o.put("aggregateId", aggregateId);
        o.put("seq", seq);
        o.put("eventId", eventId);
        o.put("eventType", eventType);
        o.put("occurredAt", occurredAt);
        ObjectNode m = o.putObject("meta");
        meta.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> m.put(e.getKey(), e.getValue()));
        o.set("payload", payload.deepCopy());
        o.put("prevHash", prevHash);
        return o;
    }

    /** UTF-8 bytes of JCS of {@link #toJson()}. */
    public byte[] canonicalBytes() {
        return canonicalString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * JCS of {@link #toJson()}, written straight from the members without building the tree:
     * RFC 8785 orders members by UTF-16 code units, which for section 1's names gives aggregateId,
     * aggregateType, eventId, eventType, meta, occurredAt, payload, prevHash, seq, tenant, v.
     */
    public String canonicalString() {
        StringBuilder out = new StringBuilder(384);
        out.append("{\"aggregateId\":");
        CanonicalJson.appendString(out, aggregateId);
        out.append(",\"aggregateType\":");
        CanonicalJson.appendString(out, aggregateType);
        out.append(",\"eventId\":");
        CanonicalJson.appendString(out, eventId);
        out.append(",\"eventType\":");
        CanonicalJson.appendString(out, eventType);
        out.append(",\"meta\":{");
        String[] keys = meta.keySet().toArray(new String[0]);
        Arrays.sort(keys); // String.compareTo: UTF-16 code units
        for (int i = 0; i < keys.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            CanonicalJson.appendString(out, keys[i]);
            out.append(':');
            CanonicalJson.appendString(out, meta.get(keys[i]));
        }
        out.append("},\"occurredAt\":");
        CanonicalJson.appendString(out, occurredAt);
        out.append(",\"payload\":");
        try {
            CanonicalJson.append(out, payload);
        } catch (NumberRuleException e) {
            throw new IllegalStateException("constructor let a number rule violation through", e);
        }
        out.append(",\"prevHash\":");
        CanonicalJson.appendString(out, prevHash);
        out.append(",\"seq\":").append(seq);
        out.append(",\"tenant\":");
        CanonicalJson.appendString(out, tenant);
        out.append(",\"v\":").append(VERSION).append('}');
        return out.toString();
    }

    /** hex(SHA-256(JCS(toJson()))). */
    public String hash() {
        return Sha256.hex(Sha256.digest(canonicalBytes()));
    }

    /** The envelope of the next event in this aggregate: seq + 1, prevHash = this hash. */
    public boolean isSuccessorOf(Envelope previous) {
        return seq == previous.seq + 1 && prevHash.equals(previous.hash());
    }

    /**
     * Strict parse of the JSON form: exactly the members of section 1 with the right types,
     * {@code v == 1}, ts6 {@code occurredAt}, string-valued {@code meta} with {@code actor} and
     * {@code correlationId}, an object {@code payload}, and the number rule.
     */
    public static Envelope fromJson(JsonNode node) throws EnvelopeFormatException, NumberRuleException {
        Parsed parsed = parse(node);
        try {
            return parsed.envelope();
        } catch (IllegalArgumentException e) {
            throw new EnvelopeFormatException("envelope: " + e.getMessage());
        }
    }

    /**
     * The JSON form of an envelope that passed every check of {@link #fromJson}, with
     * {@code canonicalBytes} = UTF-8 of JCS(json), which the strict parse computes anyway for the
     * number rule: the event's hash is SHA-256 of exactly these bytes. The members the chain
     * check needs are read straight from the checked JSON; {@link #envelope()} builds the record
     * (and copies the payload) only when asked. Only {@link #parse} makes a meaningful one; do not
     * modify the node or the array.
     */
    public record Parsed(JsonNode json, byte[] canonicalBytes) {

        public String tenant() {
            return json.get("tenant").textValue();
        }

        public String aggregateType() {
            return json.get("aggregateType").textValue();
        }

        public String aggregateId() {
            return json.get("aggregateId").textValue();
        }

        public long seq() {
            return json.get("seq").longValue();
        }

        public String prevHash() {
            return json.get("prevHash").textValue();
        }

        /** The record; its constructor cannot fail here, its checks being a subset of the parse's. */
        public Envelope envelope() {
            Map<String, String> meta = new LinkedHashMap<>();
            json.get("meta").properties().forEach(e -> meta.put(e.getKey(), e.getValue().textValue()));
            return new Envelope(tenant(), aggregateType(), aggregateId(), seq(), json.get("eventId").textValue(),
                    json.get("eventType").textValue(), json.get("occurredAt").textValue(), meta,
                    json.get("payload"), prevHash());
        }
    }

    /** {@link #fromJson}, also returning the canonical bytes of {@code node}. */
    public static Parsed parse(JsonNode node) throws EnvelopeFormatException, NumberRuleException {
        if (node == null || !node.isObject()) {
            throw new EnvelopeFormatException("envelope is not a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!MEMBERS.contains(name)) {
                throw new EnvelopeFormatException("envelope has unexpected member \"" + name + "\"");
            }
        }
        for (String name : MEMBERS) {
            if (!node.has(name)) {
                throw new EnvelopeFormatException("envelope lacks member \"" + name + "\"");
            }
        }
        byte[] canonical;
        try {
            canonical = CanonicalJson.canonicalize(node); // checks the number rule and I-JSON strings
        } catch (IllegalArgumentException e) {
            throw new EnvelopeFormatException("envelope: " + e.getMessage());
        }
        JsonNode v = node.get("v");
        if (!v.isIntegralNumber() || v.longValue() != VERSION) {
            throw new EnvelopeFormatException("envelope v: expected 1, got " + v);
        }
        JsonNode seq = node.get("seq");
        if (!seq.isIntegralNumber() || seq.longValue() < 0) {
            throw new EnvelopeFormatException("envelope seq: expected an integer >= 0, got " + seq);
        }
        String occurredAt = text(node, "occurredAt");
        if (!Ts6.isValid(occurredAt)) {
            throw new EnvelopeFormatException("envelope occurredAt: expected ts6, got " + Sha256.abbreviate(occurredAt));
        }
        String prevHash = text(node, "prevHash");
        if (!Sha256.isHex(prevHash, 32)) {
            throw new EnvelopeFormatException("envelope prevHash: expected 64 lowercase hex, got "
                    + Sha256.abbreviate(prevHash));
        }
        checkMeta(node.get("meta"));
        JsonNode payload = node.get("payload");
        if (!payload.isObject()) {
            throw new EnvelopeFormatException("envelope payload: expected an object, got " + payload.getNodeType());
        }
        for (String name : new String[] {"tenant", "aggregateType", "aggregateId", "eventId", "eventType"}) {
            text(node, name);
        }
        return new Parsed(node, canonical);
    }

    private static void checkMeta(JsonNode meta) throws EnvelopeFormatException {
        if (!meta.isObject()) {
            throw new EnvelopeFormatException("envelope meta: expected an object, got " + meta.getNodeType());
        }
        for (Map.Entry<String, JsonNode> e : meta.properties()) {
            if (!e.getValue().isTextual()) {
                throw new EnvelopeFormatException("envelope meta." + e.getKey() + ": expected a string, got "
                        + e.getValue().getNodeType());
            }
        }
        for (String required : new String[] {"actor", "correlationId"}) {
            if (!meta.has(required)) {
                throw new EnvelopeFormatException("envelope meta lacks \"" + required + "\"");
            }
        }
    }

    private static String text(JsonNode node, String name) throws EnvelopeFormatException {
        JsonNode value = node.get(name);
        if (!value.isTextual()) {
            throw new EnvelopeFormatException("envelope " + name + ": expected a string, got " + value.getNodeType());
        }
        return value.textValue();
    }

    private static void require(boolean condition, String why) {
        if (!condition) {
            throw new IllegalArgumentException(why);
        }
    }
}
