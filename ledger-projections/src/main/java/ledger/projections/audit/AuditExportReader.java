package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.AuditLog;
import static ledger.projections.audit.AuditTables.DomainEvent;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import ledger.audit.Envelope;
import ledger.audit.Sha256;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * Streams a tenant's log positions {@code from..to} joined with the event store, one row at a
 * time through a server-side cursor, and rebuilds each envelope ({@link #rebuild}). The audit
 * log's hash must equal the seal's, or the export stops; each event is handed on with that hash,
 * and the export writer ({@code ExportWriter.event}) refuses an envelope that does not hash to it,
 * so the pair assertion "rebuilt envelope hashes to the logged and sealed hash" costs one
 * canonicalisation, not two.
 *
 * <p>Call inside a transaction (PostgreSQL only streams a cursor with a fetch size there) and
 * close the returned cursor.
 */
public class AuditExportReader {
    /** Rows fetched per round trip. */
    public static final int FETCH_SIZE = 500;

    /*
     * The event store keeps metadata and payload as bytea, which travels as hex text (twice the
     * bytes, encoded by the server and decoded here). Both are UTF-8 JSON written by the serializer;
     * converted by the server they travel as plain text. Bytes that are not UTF-8 fail the query.
     */
    private static final Field<String> META_DATA_TEXT =
            DSL.field("convert_from({0}, 'UTF8')", SQLDataType.CLOB, DomainEvent.META_DATA);
    private static final Field<String> PAYLOAD_TEXT =
            DSL.field("convert_from({0}, 'UTF8')", SQLDataType.CLOB, DomainEvent.PAYLOAD);

    private final DSLContext dsl;

    public AuditExportReader(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A log position as read: the hash the log holds (32 bytes) and the event store's row. */
    public record LoggedRow(long position, byte[] hash, StoredEnvelopes.StoredRow row) {
    }

    /** An event at its log position, with the hash the log and the seal agree on. */
    public record LoggedEvent(long position, String hash, Envelope envelope) {
    }

    /**
     * A closeable iterator of the log's rows in position order. Reading and rebuilding are apart so
     * that an export can read on one thread (the one holding the transaction) and rebuild on another.
     */
    public interface EventCursor extends Iterator<LoggedRow>, AutoCloseable {
        @Override
        void close();
    }

    public EventCursor open(String tenant, long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range " + from + ".." + to);
        }
        // A portal is planned for its whole result: for a big range PostgreSQL picks a hash join of
        // the log with the whole event table and a sort, so nothing streams until both are done (and
        // the sort spills to disk). Walking the log's primary key and looking each event up streams in
        // order from the first row; these settings end with the export's transaction.
        dsl.execute("SET LOCAL enable_hashjoin = off");
        dsl.execute("SET LOCAL enable_mergejoin = off");
        // Each event is looked up by the global index the log recorded, a key that follows the log's
        // order through the event table (by event id, a random key, the lookups took twice as long).
        // That index is the processor's token position, which for an event that filled a gap in the
        // event stream lies past the event itself: the join then finds no row with that id, and the
        // event is looked up by id alone (RowCursor.next).
        Cursor<? extends Record> rows = dsl.select(AuditLog.POSITION, AuditLog.HASH, AuditLog.EVENT_ID,
                        DomainEvent.EVENT_IDENTIFIER, DomainEvent.TYPE, DomainEvent.AGGREGATE_IDENTIFIER,
                        DomainEvent.SEQUENCE_NUMBER, META_DATA_TEXT, PAYLOAD_TEXT)
                .from(AuditLog.T)
                .leftJoin(DomainEvent.T).on(DomainEvent.GLOBAL_INDEX.eq(AuditLog.GLOBAL_INDEX),
                        DomainEvent.EVENT_IDENTIFIER.eq(AuditLog.EVENT_ID))
                .where(AuditLog.TENANT.eq(tenant), AuditLog.POSITION.between(from, to))
                .orderBy(AuditLog.POSITION)
                .fetchSize(FETCH_SIZE)
                .fetchLazy();
        return new RowCursor(tenant, from, to, rows);
    }

    /** The event store's row of one event, by id; empty when there is none. */
    private Optional<StoredEnvelopes.StoredRow> eventById(String eventId) {
        return dsl.select(DomainEvent.EVENT_IDENTIFIER, DomainEvent.TYPE, DomainEvent.AGGREGATE_IDENTIFIER,
                        DomainEvent.SEQUENCE_NUMBER, META_DATA_TEXT, PAYLOAD_TEXT)
                .from(DomainEvent.T)
                .where(DomainEvent.EVENT_IDENTIFIER.eq(eventId))
                .fetchOptional(AuditExportReader::storedRow);
    }

    private static StoredEnvelopes.StoredRow storedRow(Record r) {
        return new StoredEnvelopes.StoredRow(r.get(DomainEvent.EVENT_IDENTIFIER), r.get(DomainEvent.TYPE),
                r.get(DomainEvent.AGGREGATE_IDENTIFIER), r.get(DomainEvent.SEQUENCE_NUMBER), r.get(META_DATA_TEXT),
                r.get(PAYLOAD_TEXT));
    }

    private final class RowCursor implements EventCursor {
        private final String tenant;
        private final long to;
        private final Cursor<? extends Record> rows;
        private long next;

        RowCursor(String tenant, long from, long to, Cursor<? extends Record> rows) {
            this.tenant = tenant;
            this.next = from;
            this.to = to;
            this.rows = rows;
        }

        @Override
        public boolean hasNext() {
            return next <= to && rows.hasNext();
        }

        @Override
        public LoggedRow next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the log of " + tenant + " has no event at position " + next);
            }
            Record r = rows.fetchNext();
            long position = r.get(AuditLog.POSITION);
            if (position != next) {
                throw new IllegalStateException("the log of " + tenant + " has position " + position + " where "
                        + next + " was expected");
            }
            String eventId = r.get(AuditLog.EVENT_ID);
            StoredEnvelopes.StoredRow stored = r.get(DomainEvent.EVENT_IDENTIFIER) != null ? storedRow(r)
                    : eventById(eventId).orElseThrow(() -> new IllegalStateException("position " + position + " of "
                            + tenant + " names event " + eventId + ", which the event store does not hold"));
            next++;
            return new LoggedRow(position, r.get(AuditLog.HASH), stored);
        }

        @Override
        public void close() {
            rows.close();
        }
    }

    /**
     * The envelope of a row read from the log, after checking that the log's hash is the seal's
     * and that the event belongs to {@code tenant}. The envelope's own hash is taken once, by the
     * export writer, which refuses a line whose envelope does not hash to the hash given with it.
     */
    public static LoggedEvent rebuild(String tenant, LoggedRow row) {
        StoredEnvelopes.Rebuilt rebuilt = StoredEnvelopes.rebuild(row.row());
        Envelope envelope = rebuilt.envelope();
        String logged = Sha256.hex(row.hash());
        if (!logged.equals(rebuilt.sealedHash())) {
            throw new IllegalStateException("position " + row.position() + " of " + tenant + " (event "
                    + envelope.eventId() + "): the audit log says " + logged + ", the seal says "
                    + rebuilt.sealedHash());
        }
        if (!envelope.tenant().equals(tenant)) {
            throw new IllegalStateException("position " + row.position() + " of " + tenant + " holds an event of "
                    + envelope.tenant());
        }
        return new LoggedEvent(row.position(), logged, envelope);
    }
}
