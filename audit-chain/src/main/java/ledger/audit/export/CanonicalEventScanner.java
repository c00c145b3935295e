package ledger.audit.export;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import ledger.audit.CanonicalJson;
import ledger.audit.Ts6;

/**
 * Reads an event line written in the form {@link ExportWriter} writes, JCS of the whole line,
 * straight from its UTF-8 bytes, without decoding it or building a JSON tree.
 *
 * <p>It only ever accepts a line that the full path ({@link ExportReader#parse} and then
 * {@link ledger.audit.Envelope#parse}) accepts too, with the same values; anything else it
 * declines by returning null, and the caller sends the line through the full path, which accepts
 * it or says what is wrong with it. Declining a valid line only costs time, so it declines
 * everything that is not exactly the writer's form: whitespace, members in another order, escapes
 * that JCS does not write, member names that are not plain ASCII, a tenant or aggregate with an
 * escape, nesting deeper than {@link #PAYLOAD_DEPTH_MAX}.
 *
 * <p>Why the envelope's bytes are then JCS(envelope), so that hashing them is hashing the canonical
 * form: they contain no whitespace; every member name is plain ASCII and each is greater than the one
 * before (so sorted by UTF-16 code units and free of duplicates); every number is an integer
 * without sign of zero, leading zero, fraction or exponent and with magnitude at most 2^53-1,
 * which is how JCS writes it; every string is valid UTF-8 (table 3-7 of the Unicode standard, as
 * strict as the JDK's decoder) with no raw control character, and escapes only as JCS does (a
 * backslash and one of {@code " \ b t n f r}, other controls as lowercase backslash-u00xx), so it
 * holds no lone surrogate and re-escaping it gives the same bytes.
 */
final class CanonicalEventScanner {

    /** Depth of nesting inside the payload (the payload itself is 1) above which a line is declined. */
    static final int PAYLOAD_DEPTH_MAX = 32;
    /** Longest member name accepted, in bytes, far below Jackson's own limit. */
    static final int NAME_BYTES_MAX = 1024;

    private static final byte[] ENVELOPE = ascii("{\"envelope\":");
    private static final byte[] AGGREGATE_ID = ascii("{\"aggregateId\":");
    private static final byte[] AGGREGATE_TYPE = ascii(",\"aggregateType\":");
    private static final byte[] EVENT_ID = ascii(",\"eventId\":");
    private static final byte[] EVENT_TYPE = ascii(",\"eventType\":");
    private static final byte[] META = ascii(",\"meta\":");
    private static final byte[] OCCURRED_AT = ascii(",\"occurredAt\":");
    private static final byte[] PAYLOAD = ascii(",\"payload\":");
    private static final byte[] PREV_HASH = ascii(",\"prevHash\":");
    private static final byte[] SEQ = ascii(",\"seq\":");
    private static final byte[] TENANT = ascii(",\"tenant\":");
    private static final byte[] VERSION_AND_END = ascii(",\"v\":1}");
    private static final byte[] HASH = ascii(",\"hash\":");
    private static final byte[] INCLUSION_PROOF = ascii(",\"inclusionProof\":[");
    private static final byte[] POSITION = ascii(",\"position\":");
    private static final byte[] TYPE_AND_END = ascii(",\"type\":\"event\"}");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    private static final byte[] ACTOR = ascii("actor");
    private static final byte[] CORRELATION_ID = ascii("correlationId");
    private static final int TS6_LENGTH = 27;
    private static final byte[] HEX_VALUE = hexValues();
    private static final int HASH_HEX_LENGTH = 64;

    private byte[] b;
    private int end;
    /** The next byte to read. */
    private int p;
    /** Set by {@link #string()}: index of the first byte of the string's content. */
    private int stringFrom;
    /** Set by {@link #string()}: the string had no escape. */
    private boolean stringPlain;
    /** Set by {@link #string()}: the string had no escape and only ASCII. */
    private boolean stringAscii;

    /** The event of line {@code bytes[0..length)} (without its line feed), or null to decline. */
    ParsedEvent scan(byte[] bytes, int length) {
        b = bytes;
        end = length;
        p = 0;
        return line();
    }

    private ParsedEvent line() {
        if (!take(ENVELOPE)) {
            return null;
        }
        int envelopeFrom = p;
        if (!take(AGGREGATE_ID)) {
            return null;
        }
        String aggregateId = plainString();
        if (aggregateId == null || !take(AGGREGATE_TYPE)) {
            return null;
        }
        String aggregateType = plainString();
        if (aggregateType == null || !take(EVENT_ID) || !string() || !take(EVENT_TYPE) || !string()
                || !take(META) || !meta() || !take(OCCURRED_AT) || !ts6() || !take(PAYLOAD) || !at('{')
                || !object(1) || !take(PREV_HASH)) {
            return null;
        }
        byte[] prevHash = hash();
        if (prevHash == null || !take(SEQ)) {
            return null;
        }
        long seq = unsigned();
        if (seq < 0 || !take(TENANT)) {
            return null;
        }
        String tenant = plainString();
        if (tenant == null || !take(VERSION_AND_END)) {
            return null;
        }
        int envelopeTo = p;
        if (!take(HASH)) {
            return null;
        }
        byte[] hash = hash();
        if (hash == null) {
            return null;
        }
        List<byte[]> proof = null;
        if (take(INCLUSION_PROOF)) {
            proof = proof();
            if (proof == null) {
                return null;
            }
        }
        if (!take(POSITION)) {
            return null;
        }
        long position = unsigned();
        if (position < 0 || !take(TYPE_AND_END) || p != end) {
            return null;
        }
        return new ParsedEvent(position, hash, proof, tenant, aggregateType, aggregateId, seq, prevHash,
                Arrays.copyOfRange(b, envelopeFrom, envelopeTo));
    }

    /** {@code meta}: an object of strings with at least actor and correlationId. */
    private boolean meta() {
        if (!at('{')) {
            return false;
        }
        p++;
        boolean actor = false;
        boolean correlationId = false;
        int previousFrom = -1;
        int previousTo = -1;
        while (true) {
            int nameFrom = name(previousFrom, previousTo);
            if (nameFrom < 0) {
                return false;
            }
            previousFrom = nameFrom;
            previousTo = p - 1;
            actor |= Arrays.equals(b, previousFrom, previousTo, ACTOR, 0, ACTOR.length);
            correlationId |= Arrays.equals(b, previousFrom, previousTo, CORRELATION_ID, 0, CORRELATION_ID.length);
            if (!take(':') || !string()) {
                return false;
            }
            if (take(',')) {
                continue;
            }
            return take('}') && actor && correlationId;
        }
    }

    /** A JSON value in canonical form at nesting {@code depth}. */
    private boolean value(int depth) {
        if (p >= end) {
            return false;
        }
        return switch (b[p]) {
            case '"' -> string();
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case 't' -> take(TRUE);
            case 'f' -> take(FALSE);
            case 'n' -> take(NULL);
            case '-' -> {
                p++;
                yield unsigned() > 0; // "-0" is not how JCS writes 0
            }
            default -> unsigned() >= 0;
        };
    }

    /** An object at b[p] == '{' whose names are plain ASCII in strictly increasing order. */
    private boolean object(int depth) {
        if (depth > PAYLOAD_DEPTH_MAX) {
            return false;
        }
        p++;
        if (take('}')) {
            return true;
        }
        int previousFrom = -1;
        int previousTo = -1;
        while (true) {
            int nameFrom = name(previousFrom, previousTo);
            if (nameFrom < 0) {
                return false;
            }
            previousFrom = nameFrom;
            previousTo = p - 1;
            if (!take(':') || !value(depth)) {
                return false;
            }
            if (take(',')) {
                continue;
            }
            return take('}');
        }
    }

    private boolean array(int depth) {
        if (depth > PAYLOAD_DEPTH_MAX) {
            return false;
        }
        p++;
        if (take(']')) {
            return true;
        }
        while (true) {
            if (!value(depth)) {
                return false;
            }
            if (take(',')) {
                continue;
            }
            return take(']');
        }
    }

    /**
     * A member name: a string of printable ASCII without escapes, at most {@link #NAME_BYTES_MAX}
     * bytes, greater than the previous name of its object (none when previousFrom &lt; 0). For
     * ASCII, comparing bytes is comparing UTF-16 code units, which is JCS's order. Returns the index
     * of its first byte (it ends at p - 1), or -1.
     */
    private int name(int previousFrom, int previousTo) {
        if (!string() || !stringAscii) {
            return -1;
        }
        int from = stringFrom;
        int to = p - 1;
        if (to - from > NAME_BYTES_MAX) {
            return -1;
        }
        if (previousFrom >= 0 && Arrays.compareUnsigned(b, previousFrom, previousTo, b, from, to) >= 0) {
            return -1;
        }
        return from;
    }

    /**
     * A string in canonical form at b[p] == '"'; moves p past its closing quote and sets
     * {@link #stringFrom} and {@link #stringPlain}.
     */
    private boolean string() {
        if (!at('"')) {
            return false;
        }
        int i = p + 1;
        boolean plain = true;
        boolean ascii = true;
        while (true) {
            int c;
            while (i < end && (c = b[i] & 0xff) >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                i++;
            }
            if (i >= end) {
                return false;
            }
            c = b[i] & 0xff;
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                return false;
            } else if (c == '\\') {
                i = escape(i);
                plain = false;
            } else {
                i = utf8(i, c);
                ascii = false;
            }
            if (i < 0) {
                return false;
            }
        }
        stringFrom = p + 1;
        stringPlain = plain;
        stringAscii = plain && ascii;
        p = i + 1;
        return true;
    }

    /** A string without escapes, decoded; null to decline. */
    private String plainString() {
        if (!string() || !stringPlain) {
            return null;
        }
        Charset charset = stringAscii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8; // ASCII: a plain copy
        return new String(b, stringFrom, p - 1 - stringFrom, charset);
    }

    /** A string of 64 lowercase hex digits, as its 32 bytes; null to decline. */
    private byte[] hash() {
        if (!at('"') || end - p < HASH_HEX_LENGTH + 2 || b[p + HASH_HEX_LENGTH + 1] != '"') {
            return null;
        }
        byte[] hash = new byte[HASH_HEX_LENGTH / 2];
        for (int i = 0, at = p + 1; i < hash.length; i++, at += 2) {
            int high = hexDigit(b[at]);
            int low = hexDigit(b[at + 1]);
            if ((high | low) < 0) {
                return null;
            }
            hash[i] = (byte) (high << 4 | low);
        }
        p += HASH_HEX_LENGTH + 2;
        return hash;
    }

    /** occurredAt: a plain string that is ts6. */
    private boolean ts6() {
        if (!string() || !stringPlain || p - 1 - stringFrom != TS6_LENGTH) {
            return false;
        }
        return Ts6.isValid(new String(b, stringFrom, TS6_LENGTH, StandardCharsets.ISO_8859_1));
    }

    /** The inclusion proof after its '[': up to {@link ExportReader#PROOF_HASHES_MAX} hashes; null to decline. */
    private List<byte[]> proof() {
        List<byte[]> hashes = new ArrayList<>();
        if (take(']')) {
            return hashes;
        }
        while (hashes.size() < ExportReader.PROOF_HASHES_MAX) {
            byte[] hash = hash();
            if (hash == null) {
                return null;
            }
            hashes.add(hash);
            if (take(']')) {
                return hashes;
            }
            if (!take(',')) {
                return null;
            }
        }
        return null;
    }

    /**
     * A non-negative integer as JCS writes it (no leading zero), at most 2^53-1; -1 to decline. What
     * follows the digits is checked by the caller, so a fraction or exponent declines there.
     */
    private long unsigned() {
        int from = p;
        long value = 0;
        while (p < end && b[p] >= '0' && b[p] <= '9') {
            if (p - from == 16) {
                return -1; // 17 digits or more: above 2^53-1 or a leading zero
            }
            value = value * 10 + (b[p] - '0');
            p++;
        }
        int digits = p - from;
        if (digits == 0 || (digits > 1 && b[from] == '0') || value > CanonicalJson.NUMBER_MAGNITUDE_MAX) {
            return -1;
        }
        return value;
    }

    /** Index after the escape at b[i] == backslash when it is one JCS writes, else -1. */
    private int escape(int i) {
        if (i + 1 >= end) {
            return -1;
        }
        int c = b[i + 1];
        if (c == '"' || c == '\\' || c == 'b' || c == 't' || c == 'n' || c == 'f' || c == 'r') {
            return i + 2;
        }
        if (c != 'u' || i + 5 >= end || b[i + 2] != '0' || b[i + 3] != '0') {
            return -1;
        }
        int high = b[i + 4] - '0';
        int low = hexDigit(b[i + 5]);
        if (high < 0 || high > 1 || low < 0) {
            return -1;
        }
        int control = high << 4 | low;
        boolean hasShortForm = control == '\b' || control == '\t' || control == '\n' || control == '\f'
                || control == '\r';
        return hasShortForm ? -1 : i + 6;
    }

    /**
     * Index after the well-formed UTF-8 sequence of two to four bytes starting at b[i] == c (c &gt;=
     * 0x80), or -1: no overlong form, no surrogate, nothing above U+10FFFF.
     */
    private int utf8(int i, int c) {
        int continuation;
        int secondMin = 0x80;
        int secondMax = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            continuation = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            continuation = 2;
            if (c == 0xe0) {
                secondMin = 0xa0;
            } else if (c == 0xed) {
                secondMax = 0x9f;
            }
        } else if (c >= 0xf0 && c <= 0xf4) {
            continuation = 3;
            if (c == 0xf0) {
                secondMin = 0x90;
            } else if (c == 0xf4) {
                secondMax = 0x8f;
            }
        } else {
            return -1;
        }
        if (i + continuation >= end) {
            return -1;
        }
        int second = b[i + 1] & 0xff;
        if (second < secondMin || second > secondMax) {
            return -1;
        }
        for (int k = 2; k <= continuation; k++) {
            int next = b[i + k] & 0xff;
            if (next < 0x80 || next > 0xbf) {
                return -1;
            }
        }
        return i + continuation + 1;
    }

    private static int hexDigit(byte c) {
        return HEX_VALUE[c & 0xff];
    }

    /** The value of each byte as a lowercase hex digit, -1 for every other byte. */
    private static byte[] hexValues() {
        byte[] values = new byte[256];
        Arrays.fill(values, (byte) -1);
        for (int c = '0'; c <= '9'; c++) {
            values[c] = (byte) (c - '0');
        }
        for (int c = 'a'; c <= 'f'; c++) {
            values[c] = (byte) (c - 'a' + 10);
        }
        return values;
    }

    private boolean at(char c) {
        return p < end && b[p] == c;
    }

    private boolean take(char c) {
        if (at(c)) {
            p++;
            return true;
        }
        return false;
    }

    private boolean take(byte[] token) {
        if (end - p < token.length) {
            return false;
        }
        for (int i = 0; i < token.length; i++) {
            if (b[p + i] != token[i]) {
                return false;
            }
        }
        p += token.length;
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
