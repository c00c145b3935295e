package ledger.projections;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.audit.Sha256;
import ledger.domain.book.BookEntry;
import ledger.projections.audit.AuditLogAppender;
import ledger.projections.audit.AuditLogAppender.Leaf;
import ledger.projections.audit.AuditLogAppender.Prepared;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.jooq.DSLContext;

/**
 * Everything a transaction writes beside its events, in ONE statement once the events are appended:
 * the accounts opened, the book's account lines, the idempotency answers, and the tenants' audit-log
 * rows and Merkle nodes, with each tenant's {@code audit_head} moved from where this JVM knows it to
 * stand. The group commit {@link #open}s a batch's unit of work, the writers stage what they would
 * write ({@link #stageLines}, {@link #stageAnswers}, {@link #events}), and the batch {@link #flush}es
 * when it prepares to commit, after the event store's append. A unit of work that was not opened
 * (a deadline's) writes its audit log when its events are appended, and its lines as they come.
 *
 * <p>Should a tenant's head not be where this JVM thought (another node appended), the statement
 * writes nothing and says so; the heads are then locked, the frontiers rebuilt, and the statement
 * runs again. Should an idempotency key have been answered meanwhile, {@link AnswerTaken} fails the
 * transaction (a conflict: the request then answers what is stored).
 */
public class TransactionWrites {
    private static final String STAGED = TransactionWrites.class.getName() + ".staged";
    private static final String WRITE_ALL = """
            WITH head AS (
                UPDATE audit_head h SET size = h.size + u.n
                FROM unnest(?::varchar[], ?::bigint[], ?::bigint[]) AS u(tenant, n, expected)
                WHERE h.tenant = u.tenant AND h.size = u.expected
                RETURNING h.tenant),
            go AS (SELECT count(*) = ? AS ok FROM head),
            accounts AS (
                INSERT INTO ledger_account (tenant, account_id, currency, scale, kind, overdraft_limit, opened_at,
                                            metadata)
                SELECT u.tenant, u.account_id, u.currency, u.scale, u.kind, u.overdraft_limit, u.opened_at,
                       u.metadata::jsonb
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::smallint[], ?::varchar[], ?::varchar[],
                            ?::timestamptz[], ?::text[])
                     AS u(tenant, account_id, currency, scale, kind, overdraft_limit, opened_at, metadata)
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            account_changes AS (
                UPDATE ledger_account a SET overdraft_limit = u.overdraft_limit,
                                            metadata = coalesce(u.metadata::jsonb, a.metadata)
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[])
                     AS u(tenant, account_id, overdraft_limit, metadata)
                CROSS JOIN go
                WHERE go.ok AND a.tenant = u.tenant AND a.account_id = u.account_id
                RETURNING 1),
            lines AS (
                INSERT INTO account_line (tenant, account_id, seq, type, transfer_id, side, amount, debits_posted,
                                          credits_posted, debits_pending, credits_pending, status, occurred_at)
                SELECT u.tenant, u.account_id, u.seq, u.type, u.transfer_id, u.side, u.amount, u.debits_posted,
                       u.credits_posted, u.debits_pending, u.credits_pending, u.status, u.occurred_at
                FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[],
                            ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[],
                            ?::timestamptz[])
                     AS u(tenant, account_id, seq, type, transfer_id, side, amount, debits_posted, credits_posted,
                          debits_pending, credits_pending, status, occurred_at)
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            answers AS (
                INSERT INTO idempotency_record (tenant, idempotency_key, request_hash, refusal_code, refusal_detail,
                                                result, created_at)
                SELECT u.tenant, u.key, decode(u.hash, 'hex'), u.code, u.detail, u.result, now()
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[], ?::text[], ?::text[])
                     AS u(tenant, key, hash, code, detail, result)
                CROSS JOIN go WHERE go.ok
                ON CONFLICT DO NOTHING
                RETURNING 1),
            log AS (
                INSERT INTO audit_log (tenant, position, global_index, event_id, hash)
                SELECT u.tenant, u.position, e.global_index, u.event_id, decode(u.hex, 'hex')
                FROM unnest(?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[]) AS u(tenant, position, event_id, hex)
                JOIN domain_event_entry e ON e.event_identifier = u.event_id
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            nodes AS (
                INSERT INTO audit_merkle_node (tenant, level, idx, hash)
                SELECT u.tenant, u.level, u.idx, decode(u.hex, 'hex')
                FROM unnest(?::varchar[], ?::smallint[], ?::bigint[], ?::varchar[]) AS u(tenant, level, idx, hex)
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            indexed AS (
                INSERT INTO transfer_index (tenant, created_at, transfer_id, status, account_a, account_b, metadata)
                SELECT u.tenant, u.created_at, u.transfer_id, u.status, u.account_a, u.account_b, u.metadata::jsonb
                FROM unnest(?::varchar[], ?::timestamptz[], ?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[],
                            ?::text[]) AS u(tenant, created_at, transfer_id, status, account_a, account_b, metadata)
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            indexed_accounts AS (
                INSERT INTO transfer_index_account (tenant, account_id, created_at, transfer_id)
                SELECT u.tenant, u.account_id, u.created_at, u.transfer_id
                FROM unnest(?::varchar[], ?::varchar[], ?::timestamptz[], ?::varchar[])
                     AS u(tenant, account_id, created_at, transfer_id)
                CROSS JOIN go WHERE go.ok
                RETURNING 1),
            ended AS (
                UPDATE transfer_index t SET status = u.status
                FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::varchar[])
                     AS u(tenant, transfer_id, aggregate_id, status)
                JOIN domain_event_entry e ON e.aggregate_identifier = u.aggregate_id AND e.sequence_number = 0
                CROSS JOIN go
                WHERE go.ok AND t.tenant = u.tenant AND t.transfer_id = u.transfer_id
                  AND t.created_at = (convert_from(e.meta_data, 'UTF8')::jsonb ->> 'occurredAt')::timestamptz
                RETURNING 1)
            SELECT (SELECT CASE WHEN ok THEN 1 ELSE 0 END FROM go), (SELECT count(*) FROM accounts),
                   (SELECT count(*) FROM lines), (SELECT count(*) FROM answers), (SELECT count(*) FROM log),
                   (SELECT count(*) FROM indexed), (SELECT count(*) FROM indexed_accounts),
                   (SELECT count(*) FROM ended)""";

    private final DSLContext dsl;
    private final AuditLogAppender auditLog;

    public TransactionWrites(DSLContext dsl, AuditLogAppender auditLog) {
        this.dsl = dsl;
        this.auditLog = auditLog;
    }

    /**
     * An answer to store under a tenant's idempotency key, in a form no transport owns: a refusal's
     * code and detail, or (code null) the JSON of what the request did.
     */
    public record Answer(String tenant, String key, byte[] requestHash, String refusalCode, String refusalDetail,
                         String result) {
    }

    /** An idempotency key was answered by another transaction meanwhile: this one must not commit. */
    public static final class AnswerTaken extends RuntimeException {
        AnswerTaken() {
            super("an idempotency key was answered concurrently", null, false, false);
        }
    }

    private static final class Staged {
        final List<BookEntry> lines = new ArrayList<>();
        final List<Answer> answers = new ArrayList<>();
        final List<EventMessage<?>> events = new ArrayList<>();
        boolean flushed;
    }

    /** From now on the root unit of work's writes are staged until {@link #flush}. */
    public void open(UnitOfWork<?> root) {
        root.resources().put(STAGED, new Staged());
    }

    private static Staged staged() {
        if (!CurrentUnitOfWork.isStarted()) {
            return null;
        }
        Staged staged = CurrentUnitOfWork.get().root().getResource(STAGED);
        return staged == null || staged.flushed ? null : staged;
    }

    /** Stages account lines; false when the unit of work was not opened (the caller writes them). */
    public boolean stageLines(List<BookEntry> entries) {
        Staged staged = staged();
        return staged != null && staged.lines.addAll(entries);
    }

    /** Stages answers; false when the unit of work was not opened (the caller writes them). */
    public boolean stageAnswers(List<Answer> answers) {
        Staged staged = staged();
        return staged != null && staged.answers.addAll(answers);
    }

    /** Events just appended to the event store: staged, or their audit-log rows written now. */
    public void events(List<? extends EventMessage<?>> events) {
        Staged staged = staged();
        if (staged != null) {
            staged.events.addAll(events);
        } else {
            write(List.of(), List.of(), events);
        }
    }

    /** Writes what the root unit of work staged, in its transaction; then stops staging. */
    public void flush(UnitOfWork<?> root) {
        Staged staged = root.getResource(STAGED);
        if (staged == null || staged.flushed) {
            return;
        }
        staged.flushed = true;
        write(staged.lines, staged.answers, staged.events);
    }

    private void write(List<BookEntry> lines, List<Answer> answers, List<? extends EventMessage<?>> events) {
        if (lines.isEmpty() && answers.isEmpty() && events.isEmpty()) {
            return;
        }
        Map<String, List<Leaf>> leaves = AuditLogAppender.leaves(events);
        List<Prepared> prepared = auditLog.prepare(leaves);
        TransferIndexRows index = TransferIndexRows.of(events);
        long[] written = prepared.stream().anyMatch(p -> p.from() < 0) ? null : run(lines, answers, prepared, index);
        if (written == null || written[0] == 0) {
            // a head was not where this JVM thought: lock them, rebuild, write again (it cannot miss now)
            prepared = auditLog.lockHeads(leaves);
            written = run(lines, answers, prepared, index);
            check(written[0] == 1, "the locked audit heads are where they were read");
        }
        check(written[5] == index.created() && written[6] == index.accounts(),
                "every created transfer and its accounts were indexed");
        check(written[7] == index.ended(), "every ended pending transfer is in the index");
        check(written[2] == lines.size(), "every account line was written");
        if (written[3] != answers.size()) {
            throw new AnswerTaken();
        }
        check(written[4] == events.size(), "every event is in the event store and got its log position");
        auditLog.written(prepared);
    }

    private long[] run(List<BookEntry> lines, List<Answer> answers, List<Prepared> prepared, TransferIndexRows index) {
        List<Object> parameters = new ArrayList<>(60);
        int tenants = prepared.size();
        String[] headTenant = new String[tenants];
        Long[] headCount = new Long[tenants];
        Long[] headFrom = new Long[tenants];
        for (int i = 0; i < tenants; i++) {
            headTenant[i] = prepared.get(i).tenant();
            headCount[i] = (long) prepared.get(i).count();
            headFrom[i] = prepared.get(i).from();
        }
        parameters.add(new Jdbc.Array("varchar", headTenant));
        parameters.add(new Jdbc.Array("int8", headCount));
        parameters.add(new Jdbc.Array("int8", headFrom));
        parameters.add((long) tenants);
        parameters.addAll(List.of(BookStore.accountArrays(lines)));
        parameters.addAll(List.of(BookStore.updateArrays(lines)));
        parameters.addAll(List.of(BookStore.lineArrays(lines)));
        parameters.addAll(List.of(answerArrays(answers)));
        parameters.addAll(List.of(concat(prepared, true)));
        parameters.addAll(List.of(concat(prepared, false)));
        parameters.addAll(List.of(index.arrays()));
        return Jdbc.queryLongsPlannedOnce(dsl, WRITE_ALL, parameters.toArray());
    }

    /**
     * The {@code idempotency_record} rows of the answers, as 6 arrays (tenant, key, request hash hex,
     * refusal code, refusal detail, result).
     */
    public static Jdbc.Array[] answerArrays(List<Answer> answers) {
        int n = answers.size();
        String[] tenant = new String[n];
        String[] key = new String[n];
        String[] hash = new String[n];
        String[] code = new String[n];
        String[] detail = new String[n];
        String[] result = new String[n];
        for (int i = 0; i < n; i++) {
            Answer a = answers.get(i);
            tenant[i] = a.tenant();
            key[i] = a.key();
            hash[i] = Sha256.hex(a.requestHash());
            code[i] = a.refusalCode();
            detail[i] = a.refusalDetail();
            result[i] = a.result();
        }
        return new Jdbc.Array[] {new Jdbc.Array("varchar", tenant), new Jdbc.Array("varchar", key),
                new Jdbc.Array("varchar", hash), new Jdbc.Array("varchar", code), new Jdbc.Array("text", detail),
                new Jdbc.Array("text", result)};
    }

    /** The log rows ({@code log}) or the node rows of every tenant, as one set of 4 arrays. */
    private static Jdbc.Array[] concat(List<Prepared> prepared, boolean log) {
        String[] types = log ? new String[] {"varchar", "int8", "varchar", "varchar"}
                : new String[] {"varchar", "int2", "int8", "varchar"};
        Jdbc.Array[] out = new Jdbc.Array[4];
        for (int column = 0; column < 4; column++) {
            List<Object> values = new ArrayList<>();
            for (Prepared p : prepared) {
                AuditLogAppender.Rows rows = p.rows();
                Jdbc.Array array = log
                        ? new Jdbc.Array[] {rows.tenant(), rows.positions(), rows.ids(), rows.hashes()}[column]
                        : new Jdbc.Array[] {rows.nodeTenant(), rows.levels(), rows.indexes(), rows.nodeHashes()}[column];
                values.addAll(List.of(array.values()));
            }
            Object[] typed = switch (types[column]) {
                case "int8" -> values.toArray(new Long[0]);
                case "int2" -> values.toArray(new Short[0]);
                default -> values.toArray(new String[0]);
            };
            out[column] = new Jdbc.Array(types[column], typed);
        }
        return out;
    }

    private static void check(boolean condition, String why) {
        if (!condition) {
            throw new IllegalStateException("invariant violated: " + why);
        }
    }
}
