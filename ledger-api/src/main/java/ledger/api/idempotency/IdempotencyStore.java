package ledger.api.idempotency;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import ledger.projections.Jdbc;
import ledger.projections.TransactionWrites;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.InsertValuesStep6;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;
import org.springframework.stereotype.Component;

/** The stored answers to idempotent requests, per tenant and key. */
@Component
public class IdempotencyStore {
    private static final Table<Record> T = table(name("idempotency_record"));
    private static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
    private static final Field<String> KEY = field(name("idempotency_key"), SQLDataType.VARCHAR);
    private static final Field<byte[]> REQUEST_HASH = field(name("request_hash"), SQLDataType.BLOB);
    private static final Field<Integer> STATUS = field(name("status_code"), SQLDataType.INTEGER);
    private static final Field<String> BODY = field(name("response_body"), SQLDataType.CLOB);
    private static final Field<OffsetDateTime> CREATED = field(name("created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

    /** One statement for any number of answers (arrays), leaving a key that has an answer alone. */
    private static final String INSERT_ALL = """
            INSERT INTO idempotency_record (tenant, idempotency_key, request_hash, status_code, response_body, created_at)
            SELECT u.tenant, u.key, decode(u.hash, 'hex'), u.status, u.body, now()
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::int4[], ?::text[]) AS u(tenant, key, hash, status, body)
            ON CONFLICT DO NOTHING""";

    private final DSLContext dsl;
    private final TransactionWrites writes;

    public IdempotencyStore(DSLContext dsl, TransactionWrites writes) {
        this.dsl = dsl;
        this.writes = writes;
    }

    public record Stored(byte[] requestHash, int status, String body) {
    }

    public Optional<Stored> find(String tenant, String key) {
        return dsl.select(REQUEST_HASH, STATUS, BODY).from(T)
                .where(TENANT.eq(tenant), KEY.eq(key))
                .fetchOptional(r -> new Stored(r.value1(), r.value2(), r.value3()));
    }

    /** An answer to store under a tenant's idempotency key. */
    public record Answer(String tenant, String key, byte[] requestHash, int status, String body) {
    }

    public boolean insert(Answer a) {
        return insert(a.tenant(), a.key(), a.requestHash(), a.status(), a.body());
    }

    /**
     * Stores answers in one statement, leaving any key that has an answer already alone; false if
     * there was such a key (the caller rolls its transaction back: it cannot tell which one).
     */
    public boolean insertAll(List<Answer> answers) {
        List<TransactionWrites.Answer> rows = answers.stream().map(a -> new TransactionWrites.Answer(a.tenant(), a.key(),
                a.requestHash(), a.status(), a.body())).toList();
        if (writes.stageAnswers(rows)) {
            return true; // written with the batch's other writes; a key taken meanwhile fails the batch then
        }
        return Jdbc.update(dsl, INSERT_ALL, TransactionWrites.answerArrays(rows)) == answers.size();
    }

    /**
     * Stores an answer unless one exists. Inside a transaction that already wrote events, a
     * concurrent insert of the same key waits for the other transaction and then reports false.
     */
    public boolean insert(String tenant, String key, byte[] requestHash, int status, String body) {
        return dsl.insertInto(T)
                .set(TENANT, tenant)
                .set(KEY, key)
                .set(REQUEST_HASH, requestHash)
                .set(STATUS, status)
                .set(BODY, body)
                .set(CREATED, OffsetDateTime.now(ZoneOffset.UTC))
                .onConflictDoNothing()
                .execute() == 1;
    }
}
