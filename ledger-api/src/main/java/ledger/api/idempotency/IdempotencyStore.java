package ledger.api.idempotency;

import static org.jooq.impl.DSL.any;
import static org.jooq.impl.DSL.currentOffsetDateTime;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;
import static org.jooq.impl.DSL.val;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ledger.projections.Jdbc;
import ledger.projections.TransactionWrites;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Component;

/**
 * The stored answers to idempotent requests, per tenant and key, in a neutral form (see {@link
 * TransactionWrites.Answer}): the one reader and writer of {@code idempotency_record}.
 */
@Component
public class IdempotencyStore {
    private static final Table<Record> T = table(name("idempotency_record"));
    private static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
    private static final Field<String> KEY = field(name("idempotency_key"), SQLDataType.VARCHAR);
    private static final Field<byte[]> REQUEST_HASH = field(name("request_hash"), SQLDataType.BLOB);
    private static final Field<String> REFUSAL_CODE = field(name("refusal_code"), SQLDataType.VARCHAR);
    private static final Field<String> REFUSAL_DETAIL = field(name("refusal_detail"), SQLDataType.CLOB);
    private static final Field<String> RESULT = field(name("result"), SQLDataType.CLOB);
    private static final Field<Boolean> EXISTED = field(name("existed"), SQLDataType.BOOLEAN);
    private static final Field<String> REFUSAL_FIELDS = field(name("refusal_fields"), SQLDataType.CLOB);
    /** Separates the field names in {@code refusal_fields} (no field name has one). */
    private static final String FIELD_SEPARATOR = ",";

    /** One statement for any number of answers (arrays), leaving a key that has an answer alone. */
    private static final String INSERT_ALL = """
            INSERT INTO idempotency_record (tenant, idempotency_key, request_hash, refusal_code, refusal_detail, result,
                                            created_at)
            SELECT u.tenant, u.key, decode(u.hash, 'hex'), u.code, u.detail, u.result, now()
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[])
                 AS u(tenant, key, hash, code, detail, result)
            ON CONFLICT DO NOTHING""";

    private final DSLContext dsl;
    private final TransactionWrites writes;

    public IdempotencyStore(DSLContext dsl, TransactionWrites writes) {
        this.dsl = dsl;
        this.writes = writes;
    }

    /**
     * A stored answer: a refusal ({@code refusalCode} set, with the {@code refusalFields} it names) or
     * the JSON {@code result} of a success ({@code existed}: the transfer existed, docs/retries.md).
     */
    public record Stored(byte[] requestHash, String refusalCode, String refusalDetail, String result,
                         boolean existed, List<String> refusalFields) {
        public Stored(byte[] requestHash, String refusalCode, String refusalDetail, String result) {
            this(requestHash, refusalCode, refusalDetail, result, false, List.of());
        }
    }

    private static Stored stored(byte[] hash, String code, String detail, String result, Boolean existed,
                                 String fields) {
        return new Stored(hash, code, detail, result, Boolean.TRUE.equals(existed),
                fields == null || fields.isEmpty() ? List.of() : List.of(fields.split(FIELD_SEPARATOR)));
    }

    /** An answer to store (the row {@link TransactionWrites} writes with a batch). */
    public record Answer(String tenant, String key, byte[] requestHash, String refusalCode, String refusalDetail,
                         String result) {
        TransactionWrites.Answer row() {
            return new TransactionWrites.Answer(tenant, key, requestHash, refusalCode, refusalDetail, result);
        }
    }

    /** Deletes up to {@code rowsMax} answers created before {@code cutoff}; returns how many. */
    public int deleteCreatedBefore(java.time.OffsetDateTime cutoff, int rowsMax) {
        return dsl.execute("""
                DELETE FROM idempotency_record WHERE ctid = ANY(ARRAY(
                    SELECT ctid FROM idempotency_record WHERE created_at < {0} LIMIT {1}))""",
                org.jooq.impl.DSL.val(cutoff), org.jooq.impl.DSL.val(rowsMax));
    }

    public Optional<Stored> find(String tenant, String key) {
        return dsl.select(REQUEST_HASH, REFUSAL_CODE, REFUSAL_DETAIL, RESULT, EXISTED, REFUSAL_FIELDS).from(T)
                .where(TENANT.eq(tenant), KEY.eq(key))
                .fetchOptional(r -> stored(r.value1(), r.value2(), r.value3(), r.value4(), r.value5(), r.value6()));
    }

    /** The stored answers among {@code keys}, by key, in one query (a batch of 8,190 would otherwise cost 8,190). */
    public Map<String, Stored> findAll(String tenant, Collection<String> keys) {
        Map<String, Stored> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        dsl.select(KEY, REQUEST_HASH, REFUSAL_CODE, REFUSAL_DETAIL, RESULT, EXISTED, REFUSAL_FIELDS).from(T)
                .where(TENANT.eq(tenant), KEY.eq(any(keys.toArray(String[]::new))))
                .forEach(r -> found.put(r.value1(), stored(r.value2(), r.value3(), r.value4(), r.value5(), r.value6(),
                        r.value7())));
        return found;
    }

    /**
     * Stores answers in one statement, leaving any key that has an answer already alone; false if
     * there was such a key (the caller rolls its transaction back: it cannot tell which one).
     */
    public boolean insertAll(List<Answer> answers) {
        List<TransactionWrites.Answer> rows = answers.stream().map(Answer::row).toList();
        if (writes.stageAnswers(rows)) {
            return true; // written with the batch's other writes; a key taken meanwhile fails the batch then
        }
        return Jdbc.update(dsl, INSERT_ALL, TransactionWrites.answerArrays(rows)) == answers.size();
    }

    /**
     * Stores an answer unless one exists. Inside a transaction that already wrote events, a
     * concurrent insert of the same key waits for the other transaction and then reports false.
     */
    public boolean insert(Answer answer) {
        return Jdbc.update(dsl, INSERT_ALL, TransactionWrites.answerArrays(List.of(answer.row()))) == 1;
    }

    /**
     * Stores the answer to a retry by id unless the key has one (docs/retries.md): the existing
     * transfer's view ({@code existed}) or a {@code transfer_id_conflict} with the differing fields.
     */
    public boolean insertMarked(Answer answer, boolean existed, List<String> refusalFields) {
        return dsl.insertInto(T).columns(TENANT, KEY, REQUEST_HASH, REFUSAL_CODE, REFUSAL_DETAIL, RESULT, EXISTED,
                        REFUSAL_FIELDS, field(name("created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE))
                .values(val(answer.tenant()), val(answer.key()),
                        val(answer.requestHash()), val(answer.refusalCode()),
                        val(answer.refusalDetail()), val(answer.result()),
                        val(existed),
                        val(refusalFields.isEmpty() ? null : String.join(FIELD_SEPARATOR, refusalFields)),
                        currentOffsetDateTime())
                .onConflictDoNothing()
                .execute() == 1;
    }
}
