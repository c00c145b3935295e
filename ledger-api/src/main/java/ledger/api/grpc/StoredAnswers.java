package ledger.api.grpc;

import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import ledger.api.idempotency.IdempotencyStore;
import ledger.api.idempotency.IdempotencyStore.Stored;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * Reads the stored answers of many idempotency keys in one query (a batch of 8,190 transfers would
 * otherwise cost 8,190 round trips). Writes go through {@link IdempotencyStore}, the one writer.
 */
final class StoredAnswers {
    private static final Table<Record> T = table(name("idempotency_record"));
    private static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
    private static final Field<String> KEY = field(name("idempotency_key"), SQLDataType.VARCHAR);
    private static final Field<byte[]> REQUEST_HASH = field(name("request_hash"), SQLDataType.BLOB);
    private static final Field<Integer> STATUS = field(name("status_code"), SQLDataType.INTEGER);
    private static final Field<String> BODY = field(name("response_body"), SQLDataType.CLOB);

    private final DSLContext dsl;

    StoredAnswers(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** The stored answers among {@code keys}, by key. */
    Map<String, Stored> find(String tenant, Collection<String> keys) {
        Map<String, Stored> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        dsl.select(KEY, REQUEST_HASH, STATUS, BODY).from(T)
                .where(TENANT.eq(tenant), KEY.eq(any(keys.toArray(String[]::new))))
                .forEach(r -> found.put(r.value1(), new Stored(r.value2(), r.value3(), r.value4())));
        return found;
    }
}
