package ledger.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import ledger.api.app.Refusal;

/**
 * The query string of a list call (docs/listing.md), checked before anything is read: only the
 * parameters the call knows, each at most once, {@code metadata.<key>} filters apart, {@code limit} a
 * whole number.
 */
final class ListQuery {
    static final String METADATA_PREFIX = "metadata.";

    private final Map<String, String> plain = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    private ListQuery() {
    }

    static ListQuery of(HttpServletRequest http, Set<String> known, boolean metadataFilters) {
        ListQuery query = new ListQuery();
        http.getParameterMap().forEach((name, values) -> {
            if (values.length != 1) {
                throw Refusal.validation("query parameter " + name + " is given " + values.length + " times");
            }
            if (name.startsWith(METADATA_PREFIX) && metadataFilters) {
                query.metadata.put(name.substring(METADATA_PREFIX.length()), values[0]);
            } else if (known.contains(name)) {
                query.plain.put(name, values[0].isEmpty() ? null : values[0]);
            } else {
                throw Refusal.validation("unknown query parameter " + name + "; this call takes " + known
                        + (metadataFilters ? " and metadata.<key>" : ""));
            }
        });
        return query;
    }

    String get(String name) {
        return plain.get(name);
    }

    Integer limit() {
        String limit = plain.get("limit");
        if (limit == null) {
            return null;
        }
        try {
            return Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw Refusal.validation("limit must be a whole number between 1 and 1000");
        }
    }

    Map<String, String> metadata() {
        return metadata;
    }
}
