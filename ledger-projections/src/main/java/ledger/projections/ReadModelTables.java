package ledger.projections;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Typed jOOQ handles for the read-model tables of {@code migrations} (V2__read_models.sql). */
final class ReadModelTables {
    private ReadModelTables() {
    }

    static final class AccountBalance {
        static final Table<Record> T = table(name("account_balance"));
        static final Field<String> TENANT = field(name("account_balance", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_ID = field(name("account_balance", "account_id"), SQLDataType.VARCHAR);
        static final Field<String> CURRENCY = field(name("account_balance", "currency"), SQLDataType.VARCHAR);
        static final Field<Short> SCALE = field(name("account_balance", "scale"), SQLDataType.SMALLINT);
        static final Field<String> KIND = field(name("account_balance", "kind"), SQLDataType.VARCHAR);
        static final Field<String> OVERDRAFT_LIMIT = field(name("account_balance", "overdraft_limit"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("account_balance", "status"), SQLDataType.VARCHAR);
        static final Field<Long> DEBITS_POSTED = field(name("account_balance", "debits_posted"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_POSTED = field(name("account_balance", "credits_posted"), SQLDataType.BIGINT);
        static final Field<Long> DEBITS_PENDING = field(name("account_balance", "debits_pending"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_PENDING = field(name("account_balance", "credits_pending"), SQLDataType.BIGINT);
        static final Field<Long> LAST_SEQ = field(name("account_balance", "last_seq"), SQLDataType.BIGINT);
        static final Field<OffsetDateTime> OPENED_AT = field(name("account_balance", "opened_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("account_balance", "updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private AccountBalance() {
        }
    }

    static final class AccountEntry {
        static final Table<Record> T = table(name("account_entry"));
        static final Field<String> TENANT = field(name("account_entry", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT_ID = field(name("account_entry", "account_id"), SQLDataType.VARCHAR);
        static final Field<Long> SEQ = field(name("account_entry", "seq"), SQLDataType.BIGINT);
        static final Field<String> TRANSFER_ID = field(name("account_entry", "transfer_id"), SQLDataType.VARCHAR);
        static final Field<String> ENTRY_TYPE = field(name("account_entry", "entry_type"), SQLDataType.VARCHAR);
        static final Field<String> SIDE = field(name("account_entry", "side"), SQLDataType.VARCHAR);
        static final Field<Long> AMOUNT = field(name("account_entry", "amount"), SQLDataType.BIGINT);
        static final Field<Long> DEBITS_POSTED = field(name("account_entry", "debits_posted"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_POSTED = field(name("account_entry", "credits_posted"), SQLDataType.BIGINT);
        static final Field<Long> DEBITS_PENDING = field(name("account_entry", "debits_pending"), SQLDataType.BIGINT);
        static final Field<Long> CREDITS_PENDING = field(name("account_entry", "credits_pending"), SQLDataType.BIGINT);
        static final Field<OffsetDateTime> OCCURRED_AT = field(name("account_entry", "occurred_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private AccountEntry() {
        }
    }

    static final class TransferView {
        static final Table<Record> T = table(name("transfer_view"));
        static final Field<String> TENANT = field(name("transfer_view", "tenant"), SQLDataType.VARCHAR);
        static final Field<String> TRANSFER_ID = field(name("transfer_view", "transfer_id"), SQLDataType.VARCHAR);
        static final Field<String> KIND = field(name("transfer_view", "kind"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("transfer_view", "status"), SQLDataType.VARCHAR);
        static final Field<String> LEGS = field(name("transfer_view", "legs"), SQLDataType.CLOB);
        static final Field<String> METADATA = field(name("transfer_view", "metadata"), SQLDataType.CLOB);
        static final Field<String> POSTED_AMOUNT = field(name("transfer_view", "posted_amount"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> EXPIRES_AT = field(name("transfer_view", "expires_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> CREATED_AT = field(name("transfer_view", "created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("transfer_view", "updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<Long> LAST_SEQ = field(name("transfer_view", "last_seq"), SQLDataType.BIGINT);

        private TransferView() {
        }
    }
}
