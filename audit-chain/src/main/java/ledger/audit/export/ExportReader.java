package ledger.audit.export;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Json;
import ledger.audit.Sha256;
import ledger.audit.Ts6;
import ledger.audit.checkpoint.Checkpoint;
import ledger.audit.checkpoint.CheckpointFormatException;
import ledger.audit.checkpoint.SignedCheckpoint;

/**
 * Streaming reader of an export (AUDIT-CHAIN.md section 4): one line at a time, each parsed into
 * its {@link ExportLine} with exactly the members the spec lists and the right types.
 *
 * <p>Lines are split on the byte 0x0A, which never occurs inside a multi-byte UTF-8 sequence, and
 * each line is decoded strictly on its own, so a malformed byte is reported on its own line.
 * A line may end in "\r\n" (JSON whitespace); an empty line is an error. Which line may follow
 * which is the verifier's business, not the reader's. Holds one line at a time.
 *
 * <p>{@link #next()} parses every line into a JSON tree. The verifier instead calls
 * {@link #advance()} and tries {@link #scanEvent()} first, which reads an event line in the
 * writer's canonical form straight from its bytes, and falls back to {@link #current()} for any
 * other line: same checks, same values, same failures, much less work per event.
 */
public final class ExportReader implements Closeable {

    /** Longest line accepted, in bytes. An event line is typically under 2 KiB. */
    public static final int LINE_BYTES_MAX = 16 * 1024 * 1024;
    /** Longest proof accepted in a line; a real one has at most 63 (inclusion) or 126 hashes. */
    public static final int PROOF_HASHES_MAX = 256;

    private static final List<String> HEADER_MEMBERS = List.of("type", "v", "ledgerId", "tenant", "publicKey", "keyId",
            "fromPosition", "toPosition", "exportedAt");
    private static final List<String> EVENT_MEMBERS = List.of("type", "position", "hash", "envelope");
    private static final List<String> EVENT_MEMBERS_WITH_PROOF = List.of("type", "position", "hash", "envelope",
            "inclusionProof");
    private static final List<String> CHECKPOINT_MEMBERS = List.of("type", "checkpoint", "signature");
    private static final List<String> CONSISTENCY_MEMBERS = List.of("type", "fromTreeSize", "toTreeSize", "proof");

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private int bufferPos;
    private int bufferLimit;
    private byte[] lineBytes = new byte[4096];
    private int lineLength;
    private long lineNumber;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CanonicalEventScanner scanner = new CanonicalEventScanner();

    public ExportReader(InputStream in) {
        this.in = in;
    }

    /** Number of the line last returned by {@link #next()} (1-based; 0 before the first). */
    public long lineNumber() {
        return lineNumber;
    }

    /** The next line, or null at the end of the export. */
    public ExportLine next() throws IOException, ExportFormatException {
        return advance() ? current() : null;
    }

    /**
     * Reads the next line without parsing it; false at the end of the export. Then
     * {@link #scanEvent()} and {@link #current()} look at that line.
     */
    public boolean advance() throws IOException, ExportFormatException {
        return readLine();
    }

    /** The line read by the last {@link #advance()} that returned true, parsed and checked as {@link #next()} does. */
    public ExportLine current() throws ExportFormatException {
        return parse(lineNumber, decodeLine());
    }

    /**
     * The line read by {@link #advance()} as an event whose envelope has passed
     * {@link ledger.audit.Envelope#parse}, when it is written exactly as {@link ExportWriter} writes
     * (JCS), read straight from its bytes; null for any other line, valid or not, which
     * {@link #current()} then parses. A line it accepts is one that {@link #current()} and
     * {@code Envelope.parse} accept, with the same values: it is only a faster way to the same result.
     */
    public ParsedEvent scanEvent() {
        return scanner.scan(lineBytes, lineLength);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Parses one line of an export; {@code line} only labels errors. */
    public static ExportLine parse(long line, String text) throws ExportFormatException {
        if (text.isBlank()) {
            throw new ExportFormatException(line, "empty line");
        }
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ExportFormatException(line, "not JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ExportFormatException(line, "not a JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new ExportFormatException(line, "member \"type\": expected a string, got " + describe(type));
        }
        return switch (type.textValue()) {
            case ExportHeader.TYPE -> header(line, node);
            case EventLine.TYPE -> event(line, node);
            case CheckpointLine.TYPE -> checkpoint(line, node);
            case ConsistencyLine.TYPE -> consistency(line, node);
            default -> throw new ExportFormatException(line, "member \"type\": expected header, event, checkpoint or "
                    + "consistency, got " + describe(type));
        };
    }

    private static ExportHeader header(long line, JsonNode node) throws ExportFormatException {
        exactMembers(line, node, HEADER_MEMBERS, "header");
        if (integer(line, node, "v") != ExportHeader.VERSION) {
            throw new ExportFormatException(line, "header v: expected 1, got " + node.get("v"));
        }
        String keyId = text(line, node, "keyId");
        if (!Sha256.isHex(keyId, 8)) {
            throw new ExportFormatException(line, "header keyId: expected 16 lowercase hex, got " + quote(keyId));
        }
        String exportedAt = text(line, node, "exportedAt");
        if (!Ts6.isValid(exportedAt)) {
            throw new ExportFormatException(line, "header exportedAt: expected ts6, got " + quote(exportedAt));
        }
        long from = integer(line, node, "fromPosition");
        long to = integer(line, node, "toPosition");
        if (to < from) {
            throw new ExportFormatException(line, "header: toPosition " + to + " is before fromPosition " + from);
        }
        return new ExportHeader(text(line, node, "ledgerId"), text(line, node, "tenant"),
                text(line, node, "publicKey"), keyId, from, to, exportedAt);
    }

    private static EventLine event(long line, JsonNode node) throws ExportFormatException {
        boolean withProof = node.has("inclusionProof");
        exactMembers(line, node, withProof ? EVENT_MEMBERS_WITH_PROOF : EVENT_MEMBERS, "event");
        long position = integer(line, node, "position");
        String hash = text(line, node, "hash");
        if (!Sha256.isHex(hash, 32)) {
            throw new ExportFormatException(line, "event hash: expected 64 lowercase hex, got " + quote(hash));
        }
        JsonNode envelope = node.get("envelope");
        if (!envelope.isObject()) {
            throw new ExportFormatException(line, "event envelope: expected an object, got " + describe(envelope));
        }
        List<String> proof = withProof ? hexList(line, node, "inclusionProof") : null;
        return new EventLine(position, hash, envelope, proof);
    }

    private static CheckpointLine checkpoint(long line, JsonNode node) throws ExportFormatException {
        exactMembers(line, node, CHECKPOINT_MEMBERS, "checkpoint line");
        try {
            Checkpoint.fromJson(node.get("checkpoint"));
            return new CheckpointLine(SignedCheckpoint.fromMembers(node));
        } catch (CheckpointFormatException e) {
            throw new ExportFormatException(line, e.getMessage());
        }
    }

    private static ConsistencyLine consistency(long line, JsonNode node) throws ExportFormatException {
        exactMembers(line, node, CONSISTENCY_MEMBERS, "consistency line");
        return new ConsistencyLine(integer(line, node, "fromTreeSize"), integer(line, node, "toTreeSize"),
                hexList(line, node, "proof"));
    }

    private static void exactMembers(long line, JsonNode node, List<String> members, String what)
            throws ExportFormatException {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!members.contains(name)) {
                throw new ExportFormatException(line, what + " has unexpected member " + quote(name));
            }
        }
        for (String name : members) {
            if (!node.has(name)) {
                throw new ExportFormatException(line, what + " lacks member \"" + name + "\"");
            }
        }
    }

    private static long integer(long line, JsonNode node, String name) throws ExportFormatException {
        JsonNode value = node.get(name);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0
                || value.longValue() > CanonicalJson.NUMBER_MAGNITUDE_MAX) {
            throw new ExportFormatException(line, "member \"" + name + "\": expected an integer in 0..2^53-1, got "
                    + describe(value));
        }
        return value.longValue();
    }

    private static String text(long line, JsonNode node, String name) throws ExportFormatException {
        JsonNode value = node.get(name);
        if (value == null || !value.isTextual()) {
            throw new ExportFormatException(line, "member \"" + name + "\": expected a string, got " + describe(value));
        }
        return value.textValue();
    }

    private static List<String> hexList(long line, JsonNode node, String name) throws ExportFormatException {
        JsonNode value = node.get(name);
        if (!value.isArray()) {
            throw new ExportFormatException(line, "member \"" + name + "\": expected an array of hex, got "
                    + describe(value));
        }
        if (value.size() > PROOF_HASHES_MAX) {
            throw new ExportFormatException(line, "member \"" + name + "\": " + value.size() + " hashes, at most "
                    + PROOF_HASHES_MAX + " allowed");
        }
        List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode h = value.get(i);
            if (!h.isTextual() || !Sha256.isHex(h.textValue(), 32)) {
                throw new ExportFormatException(line, "member \"" + name + "\"[" + i
                        + "]: expected 64 lowercase hex, got " + describe(h));
            }
            out.add(h.textValue());
        }
        return out;
    }

    private static String describe(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        String text = value.toString();
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static String quote(String s) {
        return describe(Json.nodes().textNode(s));
    }

    /** Reads the next line's bytes into lineBytes; false at the end of the input. */
    private boolean readLine() throws IOException, ExportFormatException {
        lineLength = 0;
        boolean sawBytes = false;
        while (true) {
            if (bufferPos == bufferLimit) {
                int n = in.read(buffer);
                bufferPos = 0;
                bufferLimit = Math.max(n, 0);
                if (n <= 0) {
                    if (!sawBytes) {
                        return false;
                    }
                    break;
                }
            }
            sawBytes = true;
            int start = bufferPos;
            while (bufferPos < bufferLimit && buffer[bufferPos] != '\n') {
                bufferPos++;
            }
            appendToLine(start, bufferPos - start);
            if (bufferPos < bufferLimit) {
                bufferPos++; // the '\n'
                break;
            }
        }
        lineNumber++;
        return true;
    }

    private String decodeLine() throws ExportFormatException {
        try {
            return utf8.reset().decode(ByteBuffer.wrap(lineBytes, 0, lineLength)).toString();
        } catch (CharacterCodingException e) {
            throw new ExportFormatException(lineNumber, "not UTF-8: " + e);
        }
    }

    private void appendToLine(int from, int count) throws ExportFormatException {
        if (lineLength + count > LINE_BYTES_MAX) {
            throw new ExportFormatException(lineNumber + 1, "line longer than " + LINE_BYTES_MAX + " bytes");
        }
        if (lineLength + count > lineBytes.length) {
            lineBytes = Arrays.copyOf(lineBytes, Math.min(LINE_BYTES_MAX, Math.max(lineBytes.length * 2,
                    lineLength + count)));
        }
        System.arraycopy(buffer, from, lineBytes, lineLength, count);
        lineLength += count;
    }
}
