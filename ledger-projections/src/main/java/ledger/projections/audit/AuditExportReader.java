package ledger.projections.audit;

import static ledger.projections.audit.AuditTables.AuditLog;
import static ledger.projections.audit.AuditTables.DomainEvent;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.NoSuchElementException;
import ledger.audit.Envelope;
import ledger.audit.Sha256;
import ledger.audit.export.StoredEvent;
import org.jooq.Cursor;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * Streams a tenant's log positions {@code from..to} joined with the event store, one row at a
 * time through a server-side cursor, and rebuilds each envelope. The audit log's hash must equal
 * the seal's, or reading stops; each event is handed on with that hash, and the export writer
 * ({@code ExportWriter.event}) refuses an envelope that does not hash to it, so the pair assertion
 * "rebuilt envelope hashes to the logged and sealed hash" costs one canonicalisation, not two.
 *
 * <p>Call inside a transaction (PostgreSQL only streams a cursor with a fetch size there) and
 * close the returned cursor.
 */
public class AuditExportReader {
    /** Rows fetched per round trip. */
    public static final int FETCH_SIZE = 500;

    private final DSLContext dsl;

    public AuditExportReader(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A closeable iterator of stored events in position order. */
    public interface EventCursor extends Iterator<StoredEvent>, AutoCloseable {
        @Override
        void close();
    }

    public EventCursor open(String tenant, long from, long to) {
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("bad range " + from + ".." + to);
        }
        Cursor<? extends Record> rows = dsl.select(AuditLog.POSITION, AuditLog.HASH, DomainEvent.EVENT_IDENTIFIER,
                        DomainEvent.TYPE, DomainEvent.AGGREGATE_IDENTIFIER, DomainEvent.SEQUENCE_NUMBER,
                        DomainEvent.META_DATA, DomainEvent.PAYLOAD)
                .from(AuditLog.T)
                .join(DomainEvent.T).on(DomainEvent.EVENT_IDENTIFIER.eq(AuditLog.EVENT_ID))
                .where(AuditLog.TENANT.eq(tenant), AuditLog.POSITION.between(from, to))
                .orderBy(AuditLog.POSITION)
                .fetchSize(FETCH_SIZE)
                .fetchLazy();
        return new RowCursor(tenant, from, to, rows);
    }

    private static final class RowCursor implements EventCursor {
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
        public StoredEvent next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the log of " + tenant + " has no event at position " + next);
            }
            Record r = rows.fetchNext();
            long position = r.get(AuditLog.POSITION);
            if (position != next) {
                throw new IllegalStateException("the log of " + tenant + " has position " + position + " where "
                        + next + " was expected (event store row missing?)");
            }
            StoredEnvelopes.Rebuilt rebuilt = StoredEnvelopes.rebuild(new StoredEnvelopes.StoredRow(
                    r.get(DomainEvent.EVENT_IDENTIFIER), r.get(DomainEvent.TYPE),
                    r.get(DomainEvent.AGGREGATE_IDENTIFIER), r.get(DomainEvent.SEQUENCE_NUMBER),
                    r.get(DomainEvent.META_DATA), r.get(DomainEvent.PAYLOAD)));
            Envelope envelope = rebuilt.envelope();
            ObjectNode json = envelope.toJson();
            // The envelope's own hash is taken once, by the export writer, which refuses a line whose
            // envelope does not hash to the hash given with it: the audit log's, checked here against the seal's.
            String logged = Sha256.hex(r.get(AuditLog.HASH));
            if (!logged.equals(rebuilt.sealedHash())) {
                throw new IllegalStateException("position " + position + " of " + tenant + " (event "
                        + envelope.eventId() + "): the audit log says " + logged + ", the seal says "
                        + rebuilt.sealedHash());
            }
            if (!envelope.tenant().equals(tenant)) {
                throw new IllegalStateException("position " + position + " of " + tenant + " holds an event of "
                        + envelope.tenant());
            }
            next++;
            return new StoredEvent(position, logged, json);
        }

        @Override
        public void close() {
            rows.close();
        }
    }
}
