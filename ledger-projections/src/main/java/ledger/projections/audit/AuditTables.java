package ledger.projections.audit;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Typed jOOQ handles for the audit tables of {@code migrations} (V4__audit.sql) and the event store. */
final class AuditTables {
    private AuditTables() {
    }

    static final class AuditLog {
        static final Table<Record> T = table(name("audit_log"));
        static final Field<String> TENANT = field(name("audit_log", "tenant"), SQLDataType.VARCHAR);
        static final Field<Long> POSITION = field(name("audit_log", "position"), SQLDataType.BIGINT);
        static final Field<Long> GLOBAL_INDEX = field(name("audit_log", "global_index"), SQLDataType.BIGINT);
        static final Field<String> EVENT_ID = field(name("audit_log", "event_id"), SQLDataType.VARCHAR);
        static final Field<byte[]> HASH = field(name("audit_log", "hash"), SQLDataType.BLOB);

        private AuditLog() {
        }
    }

    static final class MerkleNode {
        static final Table<Record> T = table(name("audit_merkle_node"));
        static final Field<String> TENANT = field(name("audit_merkle_node", "tenant"), SQLDataType.VARCHAR);
        static final Field<Short> LEVEL = field(name("audit_merkle_node", "level"), SQLDataType.SMALLINT);
        static final Field<Long> IDX = field(name("audit_merkle_node", "idx"), SQLDataType.BIGINT);
        static final Field<byte[]> HASH = field(name("audit_merkle_node", "hash"), SQLDataType.BLOB);

        private MerkleNode() {
        }
    }

    static final class Checkpoint {
        static final Table<Record> T = table(name("audit_checkpoint"));
        static final Field<String> TENANT = field(name("audit_checkpoint", "tenant"), SQLDataType.VARCHAR);
        static final Field<Long> TREE_SIZE = field(name("audit_checkpoint", "tree_size"), SQLDataType.BIGINT);
        static final Field<String> KEY_ID = field(name("audit_checkpoint", "key_id"), SQLDataType.VARCHAR);
        static final Field<byte[]> ROOT_HASH = field(name("audit_checkpoint", "root_hash"), SQLDataType.BLOB);
        static final Field<OffsetDateTime> ISSUED_AT = field(name("audit_checkpoint", "issued_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<String> CHECKPOINT = field(name("audit_checkpoint", "checkpoint"), SQLDataType.CLOB);
        static final Field<String> SIGNATURE = field(name("audit_checkpoint", "signature"), SQLDataType.VARCHAR);

        private Checkpoint() {
        }
    }

    static final class Key {
        static final Table<Record> T = table(name("audit_key"));
        static final Field<String> KEY_ID = field(name("audit_key", "key_id"), SQLDataType.VARCHAR);
        static final Field<String> PUBLIC_KEY = field(name("audit_key", "public_key"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> FIRST_USED_AT = field(name("audit_key", "first_used_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private Key() {
        }
    }

    /** Axon's event table (V1__axon_event_store.sql): read only, to rebuild envelopes. */
    static final class DomainEvent {
        static final Table<Record> T = table(name("domain_event_entry"));
        static final Field<Long> GLOBAL_INDEX = field(name("domain_event_entry", "global_index"), SQLDataType.BIGINT);
        static final Field<String> EVENT_IDENTIFIER = field(name("domain_event_entry", "event_identifier"), SQLDataType.VARCHAR);
        static final Field<String> AGGREGATE_IDENTIFIER = field(name("domain_event_entry", "aggregate_identifier"), SQLDataType.VARCHAR);
        static final Field<Long> SEQUENCE_NUMBER = field(name("domain_event_entry", "sequence_number"), SQLDataType.BIGINT);
        static final Field<String> TYPE = field(name("domain_event_entry", "type"), SQLDataType.VARCHAR);
        static final Field<byte[]> META_DATA = field(name("domain_event_entry", "meta_data"), SQLDataType.BLOB);
        static final Field<byte[]> PAYLOAD = field(name("domain_event_entry", "payload"), SQLDataType.BLOB);

        private DomainEvent() {
        }
    }
}
