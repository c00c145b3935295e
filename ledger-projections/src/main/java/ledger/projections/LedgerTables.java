package ledger.projections;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Typed jOOQ handles for the ledger's tables of {@code migrations} (V6__write_path_v2.sql) and the event store. */
final class LedgerTables {
    private LedgerTables() {
    }

    static final class LedgerAccount {
        static final Table<Record> T = table(name("ledger_account")).as("a");
        static final Field<String> TENANT = field(name("a", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_ID = field(name("a", "account_id"), SQLDataType.VARCHAR);
        static final Field<String> CURRENCY = field(name("a", "currency"), SQLDataType.VARCHAR);
        static final Field<Short> SCALE = field(name("a", "scale"), SQLDataType.SMALLINT);
        static final Field<String> KIND = field(name("a", "kind"), SQLDataType.VARCHAR);
        static final Field<String> OVERDRAFT_LIMIT = field(name("a", "overdraft_limit"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> OPENED_AT = field(name("a", "opened_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        /** jsonb, read as its text. */
        static final Field<String> METADATA = field("{0}::text", SQLDataType.VARCHAR, field(name("a", "metadata")));
        static final Field<Object> METADATA_JSONB = field(name("a", "metadata"), SQLDataType.OTHER);

        private LedgerAccount() {
        }
    }

    /** {@code account_line} as {@code l}: an account's states, one line per change. */
    static final class AccountLine {
        static final Table<Record> T = table(name("account_line")).as("l");
        static final Field<String> TENANT = field(name("l", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_ID = field(name("l", "account_id"), SQLDataType.VARCHAR);
        static final Field<Long> SEQ = field(name("l", "seq"), SQLDataType.BIGINT);
        static final Field<String> TYPE = field(name("l", "type"), SQLDataType.VARCHAR);
        static final Field<String> TRANSFER_ID = field(name("l", "transfer_id"), SQLDataType.VARCHAR);
        static final Field<String> SIDE = field(name("l", "side"), SQLDataType.VARCHAR);
        static final Field<Long> AMOUNT = field(name("l", "amount"), SQLDataType.BIGINT);
        static final Field<Long> DEBITS_POSTED = field(name("l", "debits_posted"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_POSTED = field(name("l", "credits_posted"), SQLDataType.BIGINT);
        static final Field<Long> DEBITS_PENDING = field(name("l", "debits_pending"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_PENDING = field(name("l", "credits_pending"), SQLDataType.BIGINT);
        static final Field<String> STATUS = field(name("l", "status"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> OCCURRED_AT = field(name("l", "occurred_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private AccountLine() {
        }
    }

    /** Axon's event table (V1__axon_event_store.sql), read to rebuild transfers. */
    static final class Events {
        static final Table<Record> T = table(name("domain_event_entry"));
        static final Field<String> AGGREGATE_IDENTIFIER = field(name("aggregate_identifier"), SQLDataType.VARCHAR);
        static final Field<Long> SEQUENCE_NUMBER = field(name("sequence_number"), SQLDataType.BIGINT);
        static final Field<String> PAYLOAD_TYPE = field(name("payload_type"), SQLDataType.VARCHAR);
        static final Field<byte[]> PAYLOAD = field(name("payload"), SQLDataType.BLOB);
        static final Field<byte[]> META_DATA = field(name("meta_data"), SQLDataType.BLOB);

        private Events() {
        }
    }

    /**
     * {@code transfer_index} as {@code ti} (V11, V20): one row per transfer, to list and search, with the first
     * two distinct accounts it moves.
     */
    static final class TransferIndex {
        static final Table<Record> T = table(name("transfer_index")).as("ti");
        static final Field<String> TENANT = field(name("ti", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> TRANSFER_ID = field(name("ti", "transfer_id"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("ti", "status"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> CREATED_AT = field(name("ti", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<String> ACCOUNT_A = field(name("ti", "account_a"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_B = field(name("ti", "account_b"), SQLDataType.VARCHAR);
        /** jsonb, null when the transfer has no metadata. */
        static final Field<Object> METADATA = field(name("ti", "metadata"), SQLDataType.OTHER);

        private TransferIndex() {
        }
    }

    /** {@code transfer_index_account} as {@code ta} (V11, V20): a row per account a transfer moves beyond its first two. */
    static final class TransferIndexAccount {
        static final Table<Record> T = table(name("transfer_index_account")).as("ta");
        static final Field<String> TENANT = field(name("ta", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_ID = field(name("ta", "account_id"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> CREATED_AT = field(name("ta", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<String> TRANSFER_ID = field(name("ta", "transfer_id"), SQLDataType.VARCHAR);

        private TransferIndexAccount() {
        }
    }
}
