package ledger.sagas.reconciliation;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Typed jOOQ handles for the reconciliation tables (migrations V16 onwards). */
final class ReconTables {
    private ReconTables() {
    }

    static final class Upload {
        static final Table<Record> T = table(name("recon_upload"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> ID = field(name("upload_id"), SQLDataType.VARCHAR);
        static final Field<String> SHA256 = field(name("sha256"), SQLDataType.CHAR);
        static final Field<Long> BYTES = field(name("bytes"), SQLDataType.BIGINT);
        static final Field<String> FORMAT = field(name("format"), SQLDataType.VARCHAR);
        static final Field<String> DETECTED_FORMAT = field(name("detected_format"), SQLDataType.VARCHAR);
        static final Field<String> MAPPING = field(name("mapping"), SQLDataType.VARCHAR);
        static final Field<String> LEDGER_ACCOUNT = field(name("ledger_account"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("status"), SQLDataType.VARCHAR);
        static final Field<Integer> CHUNKS = field(name("chunks"), SQLDataType.INTEGER);
        static final Field<Long> RECORDS = field(name("records"), SQLDataType.BIGINT);
        static final Field<Integer> STATEMENTS = field(name("statements"), SQLDataType.INTEGER);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> COMPLETED_AT = field(name("completed_at"),
                SQLDataType.TIMESTAMPWITHTIMEZONE);

        private Upload() {
        }
    }

    static final class Statement {
        static final Table<Record> T = table(name("recon_statement"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> UPLOAD_ID = field(name("upload_id"), SQLDataType.VARCHAR);
        static final Field<Integer> SEQ = field(name("seq"), SQLDataType.INTEGER);
        static final Field<String> STATEMENT_ID = field(name("statement_id"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT = field(name("account"), SQLDataType.VARCHAR);
        static final Field<String> LEDGER_ACCOUNT = field(name("ledger_account"), SQLDataType.VARCHAR);
        static final Field<String> CURRENCY = field(name("currency"), SQLDataType.VARCHAR);
        static final Field<BigDecimal> OPENING_BALANCE = field(name("opening_balance"), SQLDataType.NUMERIC);
        static final Field<LocalDate> OPENING_DATE = field(name("opening_date"), SQLDataType.LOCALDATE);
        static final Field<BigDecimal> CLOSING_BALANCE = field(name("closing_balance"), SQLDataType.NUMERIC);
        static final Field<LocalDate> CLOSING_DATE = field(name("closing_date"), SQLDataType.LOCALDATE);
        static final Field<Long> ENTRIES = field(name("entries"), SQLDataType.BIGINT);

        private Statement() {
        }
    }

    static final class Item {
        static final Table<Record> T = table(name("recon_item"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> SIDE = field(name("side"), SQLDataType.VARCHAR);
        static final Field<String> ID = field(name("item_id"), SQLDataType.VARCHAR);
        static final Field<String> UPLOAD_ID = field(name("upload_id"), SQLDataType.VARCHAR);
        static final Field<String> STATEMENT_ID = field(name("statement_id"), SQLDataType.VARCHAR);
        static final Field<String> REFERENCE = field(name("reference"), SQLDataType.VARCHAR);
        static final Field<String> GROUP_KEY = field(name("group_key"), SQLDataType.VARCHAR);
        static final Field<BigDecimal> AMOUNT = field(name("amount"), SQLDataType.NUMERIC);
        static final Field<String> CURRENCY = field(name("currency"), SQLDataType.VARCHAR);
        static final Field<String> VALUE_DATE = field(name("value_date"), SQLDataType.VARCHAR);
        static final Field<String> ACCOUNT = field(name("account"), SQLDataType.VARCHAR);
        static final Field<String> COUNTERPARTY = field(name("counterparty"), SQLDataType.VARCHAR);
        static final Field<String> DESCRIPTION = field(name("description"), SQLDataType.CLOB);
        static final Field<String> STATUS = field(name("status"), SQLDataType.VARCHAR);
        static final Field<String> OUTCOME_ID = field(name("outcome_id"), SQLDataType.VARCHAR);
        static final Field<String> KIND = field(name("kind"), SQLDataType.VARCHAR);
        static final Field<String> REASON = field(name("reason"), SQLDataType.VARCHAR);
        static final Field<String> LEVEL = field(name("level"), SQLDataType.VARCHAR);
        static final Field<String> FIXES = field(name("fixes"), SQLDataType.CLOB);
        static final Field<Boolean> CLOSED = field(name("closed"), SQLDataType.BOOLEAN);
        static final Field<String> TRANSFER_ID = field(name("transfer_id"), SQLDataType.VARCHAR);
        static final Field<String> LEDGER_ACCOUNT = field(name("ledger_account"), SQLDataType.VARCHAR);

        private Item() {
        }
    }

    static final class OutcomeRow {
        static final Table<Record> T = table(name("recon_outcome"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> ID = field(name("outcome_id"), SQLDataType.VARCHAR);
        static final Field<String> MATCHER_ID = field(name("matcher_id"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("status"), SQLDataType.VARCHAR);
        static final Field<String> KIND = field(name("kind"), SQLDataType.VARCHAR);
        static final Field<String> REASON = field(name("reason"), SQLDataType.VARCHAR);
        static final Field<String> LEVEL = field(name("level"), SQLDataType.VARCHAR);
        static final Field<String> DETAIL = field(name("detail"), SQLDataType.CLOB);
        static final Field<String> ITEMS = field(name("items"), SQLDataType.CLOB);
        static final Field<String> FIXES = field(name("fixes"), SQLDataType.CLOB);
        static final Field<Long> SEQ = field(name("seq"), SQLDataType.BIGINT);
        static final Field<String> RESOLUTION = field(name("resolution"), SQLDataType.VARCHAR);
        static final Field<String> NOTE = field(name("note"), SQLDataType.CLOB);
        static final Field<String> RESOLUTION_TRANSFER_ID = field(name("resolution_transfer_id"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> RESOLVED_AT = field(name("resolved_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<String> FROZEN_ACCOUNT = field(name("frozen_account"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> OPENED_AT = field(name("opened_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private OutcomeRow() {
        }
    }

    /** A tenant's known counterparties (V19): set, unknown ones are L3 breaks; no row, no check. */
    static final class Counterparties {
        static final Table<Record> T = table(name("recon_counterparties"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String[]> NAMES = field(name("names"), SQLDataType.VARCHAR.array());
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private Counterparties() {
        }
    }

    static final class Webhook {
        static final Table<Record> T = table(name("recon_webhook"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> URL = field(name("url"), SQLDataType.VARCHAR);
        static final Field<String> SECRET = field(name("secret"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private Webhook() {
        }
    }
}
