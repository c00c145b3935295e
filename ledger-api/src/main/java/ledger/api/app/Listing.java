package ledger.api.app;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import ledger.api.app.Views.AccountPage;
import ledger.api.app.Views.TransferPage;
import ledger.audit.Ts6;
import ledger.domain.command.TransferCommands;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.transfer.TransferStatus;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountFilter;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.projections.LedgerQueries.TransferFilter;
import ledger.projections.LedgerQueries.TransferKey;
import org.springframework.stereotype.Component;

/**
 * Listing and search for both APIs (docs/listing.md): the filters checked once, a page of at most
 * {@link LedgerQueries#PAGE_SIZE_MAX} read from the indexed read models, in a stable order (accounts by
 * id; transfers by creation time, then id), and an opaque cursor for the next page. A cursor is the
 * position of the page's last item: items created after a page was read appear on later pages,
 * nothing is skipped or repeated. Everything is scoped to the caller's tenant.
 */
@Component
public class Listing {
    public static final int LIMIT_DEFAULT = 100;
    /** The most metadata.<key>=<value> filters of one query. */
    public static final int METADATA_FILTERS_MAX = 8;
    private static final Pattern CURRENCY = Pattern.compile("[A-Z0-9]{3,12}");
    private static final String ACCOUNT_CURSOR = "a1";
    private static final String TRANSFER_CURSOR = "t1";

    private final LedgerQueries queries;
    private final Results results;

    public Listing(LedgerQueries queries, Results results) {
        this.queries = queries;
        this.results = results;
    }

    /** An account query as a transport received it: absent is null. */
    public record AccountQuery(String currency, String kind, String status, Map<String, String> metadata,
                               Integer limit, String cursor) {
    }

    /** A transfer query as a transport received it: absent is null; {@code metadata} key to value. */
    public record TransferQuery(String account, String status, String from, String to, Map<String, String> metadata,
                                Integer limit, String cursor) {
    }

    public AccountPage accounts(String tenant, AccountQuery q) {
        int limit = limit(q.limit());
        String currency = q.currency();
        if (currency != null && !CURRENCY.matcher(currency).matches()) {
            throw Refusal.validation("currency is a currency code such as EUR");
        }
        String kind = q.kind() == null ? null : AccountKind.parse(q.kind()).name();
        String status = q.status() == null ? null : oneOf("status", q.status(), AccountStatus.values());
        String after = null;
        if (q.cursor() != null && !q.cursor().isEmpty()) {
            List<String> parts = cursor(q.cursor(), ACCOUNT_CURSOR, 1);
            after = validAccount(parts.get(0), "cursor");
        }
        List<AccountRow> rows = queries.accountPage(tenant, new AccountFilter(currency, kind, status,
                metadata(q.metadata()), after), limit + 1);
        boolean more = rows.size() > limit;
        List<AccountRow> page = more ? rows.subList(0, limit) : rows;
        String next = more ? encode(ACCOUNT_CURSOR, page.get(page.size() - 1).accountId()) : null;
        return new AccountPage(page.stream().map(results::account).toList(), next);
    }

    public TransferPage transfers(String tenant, TransferQuery q) {
        int limit = limit(q.limit());
        String account = q.account() == null ? null : validAccount(q.account(), "account");
        String status = q.status() == null ? null : oneOf("status", q.status(), TransferStatus.values());
        OffsetDateTime from = instant("from", q.from());
        OffsetDateTime to = instant("to", q.to());
        if (from != null && to != null && !from.isBefore(to)) {
            throw Refusal.validation("from must be before to");
        }
        Map<String, String> metadata = metadata(q.metadata());
        OffsetDateTime afterAt = null;
        String afterId = null;
        if (q.cursor() != null && !q.cursor().isEmpty()) {
            List<String> parts = cursor(q.cursor(), TRANSFER_CURSOR, 2);
            try {
                afterAt = Ts6.parse(parts.get(0)).atOffset(ZoneOffset.UTC);
            } catch (RuntimeException e) {
                throw Refusal.validation("cursor is not one this API returned");
            }
            afterId = parts.get(1);
            if (afterId.length() > ledger.domain.model.TransferId.LENGTH_MAX) {
                throw Refusal.validation("cursor is not one this API returned");
            }
        }
        List<TransferKey> keys = queries.transferPage(tenant, new TransferFilter(account, status, from, to, metadata,
                afterAt, afterId), limit + 1);
        boolean more = keys.size() > limit;
        List<TransferKey> page = more ? keys.subList(0, limit) : keys;
        String next = null;
        if (more) {
            TransferKey last = page.get(page.size() - 1);
            next = encode(TRANSFER_CURSOR, Results.ts(last.createdAt()), last.transferId());
        }
        List<String> ids = page.stream().map(TransferKey::transferId).toList();
        return new TransferPage(queries.transfers(tenant, ids).stream().map(results::transfer).toList(), next);
    }

    // ---------------------------------------------------------------- checks

    private static int limit(Integer limit) {
        int size = limit == null ? LIMIT_DEFAULT : limit;
        if (size < 1 || size > LedgerQueries.PAGE_SIZE_MAX) {
            throw Refusal.validation("limit must be between 1 and " + LedgerQueries.PAGE_SIZE_MAX);
        }
        return size;
    }

    private static String validAccount(String id, String parameter) {
        try {
            return AccountId.of(id).value();
        } catch (RuntimeException e) {
            throw Refusal.validation(parameter + " is not an account id");
        }
    }

    private static String oneOf(String parameter, String value, Enum<?>[] allowed) {
        for (Enum<?> candidate : allowed) {
            if (candidate.name().equals(value)) {
                return value;
            }
        }
        throw Refusal.validation(parameter + " is one of " + java.util.Arrays.toString(allowed));
    }

    private static OffsetDateTime instant(String parameter, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value);
        } catch (DateTimeParseException e) {
            throw Refusal.validation(parameter + " must be an RFC 3339 timestamp such as 2026-01-31T23:59:59Z");
        }
    }

    /** The metadata filters, bounded like metadata itself: every entry must be held by a transfer listed. */
    static Map<String, String> metadata(Map<String, String> filters) {
        if (filters == null || filters.isEmpty()) {
            return Map.of();
        }
        if (filters.size() > METADATA_FILTERS_MAX) {
            throw Refusal.validation("at most " + METADATA_FILTERS_MAX + " metadata filters");
        }
        Map<String, String> checked = new TreeMap<>();
        filters.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > TransferCommands.METADATA_KEY_LENGTH_MAX) {
                throw Refusal.validation("metadata keys have 1 to " + TransferCommands.METADATA_KEY_LENGTH_MAX
                        + " characters");
            }
            if (value == null || value.length() > TransferCommands.METADATA_VALUE_LENGTH_MAX) {
                throw Refusal.validation("metadata values have at most " + TransferCommands.METADATA_VALUE_LENGTH_MAX
                        + " characters");
            }
            checked.put(key, value);
        });
        return checked;
    }

    // ---------------------------------------------------------------- cursors

    /** An opaque cursor: base64url of its kind and parts, separated by '\n' (which no id or time has). */
    private static String encode(String kind, String... parts) {
        String text = kind + "\n" + String.join("\n", parts);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> cursor(String cursor, String kind, int parts) {
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw Refusal.validation("cursor is not one this API returned");
        }
        List<String> split = List.of(text.split("\n", -1));
        if (split.size() != parts + 1 || !split.get(0).equals(kind) || split.stream().anyMatch(String::isEmpty)) {
            throw Refusal.validation("cursor is not one this API returned (for this list)");
        }
        return split.subList(1, split.size());
    }
}
