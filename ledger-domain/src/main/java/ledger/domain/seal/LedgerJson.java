package ledger.domain.seal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapping of event payloads. The event store's serializer must use this mapper, so
 * that the payload hashed when an event is applied is the payload stored.
 */
public final class LedgerJson {
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // upcasting adds, never breaks
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private LedgerJson() {
    }

    /** A copy, so callers may register modules without changing the payload mapping. */
    public static ObjectMapper mapper() {
        return MAPPER.copy();
    }

    static ObjectMapper shared() {
        return MAPPER;
    }
}
