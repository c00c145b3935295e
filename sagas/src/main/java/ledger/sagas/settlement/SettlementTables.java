package ledger.sagas.settlement;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.time.OffsetDateTime;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/** Typed jOOQ handles for the settlement view's tables (migrations V8__settlement.sql). */
final class SettlementTables {
    private SettlementTables() {
    }

    static final class View {
        static final Table<Record> T = table(name("settlement_view"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> ID = field(name("settlement_id"), SQLDataType.VARCHAR);
        static final Field<String> STATUS = field(name("status"), SQLDataType.VARCHAR);
        static final Field<String> SOURCE_ACCOUNT = field(name("source_account"), SQLDataType.VARCHAR);
        static final Field<String> DESTINATION_ACCOUNT = field(name("destination_account"), SQLDataType.VARCHAR);
        static final Field<String> SOURCE_CURRENCY = field(name("source_currency"), SQLDataType.VARCHAR);
        static final Field<String> DESTINATION_CURRENCY = field(name("destination_currency"), SQLDataType.VARCHAR);
        static final Field<String> SOURCE_AMOUNT = field(name("source_amount"), SQLDataType.VARCHAR);
        static final Field<String> DESTINATION_AMOUNT = field(name("destination_amount"), SQLDataType.VARCHAR);
        static final Field<String> VALUE_AT_MID = field(name("value_at_mid"), SQLDataType.VARCHAR);
        static final Field<String> SPREAD_REVENUE = field(name("spread_revenue"), SQLDataType.VARCHAR);
        static final Field<String> ROUNDING = field(name("rounding"), SQLDataType.VARCHAR);
        static final Field<String> ROUNDING_RULE = field(name("rounding_rule"), SQLDataType.VARCHAR);
        static final Field<String> EXACT_VALUE = field(name("exact_value"), SQLDataType.VARCHAR);
        static final Field<String> ROUNDING_DIFFERENCE = field(name("rounding_difference"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_ID = field(name("quote_id"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_PROVIDER = field(name("quote_provider"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_RATE = field(name("quote_rate"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_BID = field(name("quote_bid"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_ASK = field(name("quote_ask"), SQLDataType.VARCHAR);
        static final Field<String> QUOTE_MID = field(name("quote_mid"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> QUOTE_OBTAINED_AT = field(name("quote_obtained_at"),
                SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> QUOTE_EXPIRES_AT = field(name("quote_expires_at"),
                SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> DEADLINE = field(name("deadline"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<String> REASON_CODE = field(name("reason_code"), SQLDataType.VARCHAR);
        static final Field<String> REASON_DETAIL = field(name("reason_detail"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> CREATED_AT = field(name("created_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);
        static final Field<OffsetDateTime> UPDATED_AT = field(name("updated_at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private View() {
        }
    }

    static final class StepRow {
        static final Table<Record> T = table(name("settlement_step"));
        static final Field<String> TENANT = field(name("tenant"), SQLDataType.VARCHAR);
        static final Field<String> ID = field(name("settlement_id"), SQLDataType.VARCHAR);
        static final Field<Long> SEQ = field(name("seq"), SQLDataType.BIGINT);
        static final Field<String> STEP = field(name("step"), SQLDataType.VARCHAR);
        static final Field<String> TRANSFER_ID = field(name("transfer_id"), SQLDataType.VARCHAR);
        static final Field<OffsetDateTime> AT = field(name("at"), SQLDataType.TIMESTAMPWITHTIMEZONE);

        private StepRow() {
        }
    }
}
