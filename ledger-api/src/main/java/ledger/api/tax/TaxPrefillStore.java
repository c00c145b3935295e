package ledger.api.tax;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.Records;
import org.jooq.Table;
import org.jooq.impl.SQLDataType;

/**
 * The tax pre-fill read model's tables (migrations V9__tax_prefill.sql), written by
 * {@link TaxPrefillProjection} and read by {@link TaxPrefill}. Every write is idempotent: a posting's
 * sums are added only when its (event, category) row is new, and an input replaces an older one only.
 */
final class TaxPrefillStore {
    /**
     * The most period rows one pre-fill reads: a year of every category in four currencies. A pre-fill
     * uses one currency (at most 12 × 7 rows) and refuses any other, so a cut-off list still shows the
     * other currencies that make it refuse: it can never give a wrong sum.
     */
    static final int PERIOD_ROWS_MAX = 12 * PayrollCategory.values().length * 4;
    static final int INPUT_ROWS_MAX = 1_000;
    static final int PROBLEM_ROWS_MAX = 20;
    /** Category of the row recording a posting whose payroll metadata cannot be used. */
    static final String UNUSABLE = "-";
    private static final int PROBLEM_LENGTH_MAX = 1_000;

    private static final Table<Record> POSTING = table(name("tax_payroll_posting"));
    private static final Field<String> P_EVENT_ID = field(name("event_id"), SQLDataType.VARCHAR);
    private static final Field<String> P_CATEGORY = field(name("category"), SQLDataType.VARCHAR);
    private static final Field<Long> P_GLOBAL_INDEX = field(name("global_index"), SQLDataType.BIGINT);
    private static final Field<String> P_TENANT = field(name("tenant"), SQLDataType.VARCHAR);
    private static final Field<String> P_TRANSFER_ID = field(name("transfer_id"), SQLDataType.VARCHAR);
    private static final Field<String> P_PAYEE = field(name("payee"), SQLDataType.VARCHAR);
    private static final Field<String> P_PERIOD = field(name("period"), SQLDataType.CHAR);
    private static final Field<String> P_CURRENCY = field(name("currency"), SQLDataType.VARCHAR);
    private static final Field<Long> P_AMOUNT = field(name("amount"), SQLDataType.BIGINT);
    private static final Field<String> P_PROBLEM = field(name("problem"), SQLDataType.VARCHAR);

    private static final Table<Record> PERIOD = table(name("tax_payroll_period"));
    private static final Field<String> S_TENANT = field(name("tax_payroll_period", "tenant"), SQLDataType.VARCHAR);
    private static final Field<String> S_PAYEE = field(name("tax_payroll_period", "payee"), SQLDataType.VARCHAR);
    private static final Field<String> S_PERIOD = field(name("tax_payroll_period", "period"), SQLDataType.CHAR);
    private static final Field<String> S_CATEGORY = field(name("tax_payroll_period", "category"), SQLDataType.VARCHAR);
    private static final Field<String> S_CURRENCY = field(name("tax_payroll_period", "currency"), SQLDataType.VARCHAR);
    private static final Field<Short> S_SCALE = field(name("tax_payroll_period", "scale"), SQLDataType.SMALLINT);
    private static final Field<Long> S_AMOUNT = field(name("tax_payroll_period", "amount"), SQLDataType.BIGINT);
    private static final Field<Integer> S_POSTINGS = field(name("tax_payroll_period", "postings"), SQLDataType.INTEGER);
    private static final Field<Long> S_LAST = field(name("tax_payroll_period", "last_global_index"), SQLDataType.BIGINT);

    private static final Table<Record> INPUT = table(name("tax_payee_input"));
    private static final Field<String> I_TENANT = field(name("tax_payee_input", "tenant"), SQLDataType.VARCHAR);
    private static final Field<String> I_PAYEE = field(name("tax_payee_input", "payee"), SQLDataType.VARCHAR);
    private static final Field<String> I_PERIOD = field(name("tax_payee_input", "period"), SQLDataType.CHAR);
    private static final Field<String> I_NAME = field(name("tax_payee_input", "name"), SQLDataType.VARCHAR);
    private static final Field<String> I_VALUE = field(name("tax_payee_input", "value"), SQLDataType.VARCHAR);
    private static final Field<Long> I_GLOBAL_INDEX = field(name("tax_payee_input", "global_index"), SQLDataType.BIGINT);
    private static final Field<String> I_TRANSFER_ID = field(name("tax_payee_input", "transfer_id"), SQLDataType.VARCHAR);

    private static final Table<Record> PENDING = table(name("tax_payroll_pending"));
    private static final Field<String> Q_TENANT = field(name("tenant"), SQLDataType.VARCHAR);
    private static final Field<String> Q_TRANSFER_ID = field(name("transfer_id"), SQLDataType.VARCHAR);
    private static final Field<String> Q_METADATA = field(name("metadata"), SQLDataType.CLOB);
    private static final Field<Long> Q_GLOBAL_INDEX = field(name("global_index"), SQLDataType.BIGINT);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> METADATA = new TypeReference<>() {
    };

    private final DSLContext dsl;

    TaxPrefillStore(DSLContext dsl) {
        this.dsl = dsl;
    }

    // ---------------------------------------------------------------- writes (the processor's transaction)

    /** Applies one posting of event {@code eventId} at {@code globalIndex}; nothing if it was applied before. */
    void apply(String eventId, long globalIndex, PayrollPosting posting) {
        if (!posting.usable()) {
            dsl.insertInto(POSTING, P_EVENT_ID, P_CATEGORY, P_GLOBAL_INDEX, P_TENANT, P_TRANSFER_ID, P_PAYEE, P_PERIOD,
                            P_PROBLEM)
                    .values(eventId, UNUSABLE, globalIndex, posting.tenant(), posting.transferId(), posting.payee(),
                            posting.period() == null ? null : posting.period().toString(), abbreviate(posting.problem()))
                    .onConflictDoNothing().execute();
            return;
        }
        String period = posting.period().toString();
        for (Map.Entry<PayrollCategory, Long> amount : posting.amounts().entrySet()) {
            String category = amount.getKey().wire();
            int inserted = dsl.insertInto(POSTING, P_EVENT_ID, P_CATEGORY, P_GLOBAL_INDEX, P_TENANT, P_TRANSFER_ID,
                            P_PAYEE, P_PERIOD, P_CURRENCY, P_AMOUNT)
                    .values(eventId, category, globalIndex, posting.tenant(), posting.transferId(), posting.payee(),
                            period, posting.currency(), amount.getValue())
                    .onConflictDoNothing().execute();
            if (inserted == 1) {
                dsl.insertInto(PERIOD, S_TENANT, S_PAYEE, S_PERIOD, S_CATEGORY, S_CURRENCY, S_SCALE, S_AMOUNT,
                                S_POSTINGS, S_LAST)
                        .values(posting.tenant(), posting.payee(), period, category, posting.currency(),
                                (short) posting.scale(), amount.getValue(), 1, globalIndex)
                        .onConflict(S_TENANT, S_PAYEE, S_PERIOD, S_CATEGORY, S_CURRENCY).doUpdate()
                        .set(S_AMOUNT, S_AMOUNT.plus(amount.getValue()))
                        .set(S_POSTINGS, S_POSTINGS.plus(1))
                        .set(S_LAST, globalIndex)
                        .execute();
            }
        }
        for (Map.Entry<String, String> input : posting.inputs().entrySet()) {
            dsl.insertInto(INPUT, I_TENANT, I_PAYEE, I_PERIOD, I_NAME, I_VALUE, I_GLOBAL_INDEX, I_TRANSFER_ID)
                    .values(posting.tenant(), posting.payee(), period, input.getKey(), input.getValue(), globalIndex,
                            posting.transferId())
                    .onConflict(I_TENANT, I_PAYEE, I_PERIOD, I_NAME).doUpdate()
                    .set(I_VALUE, input.getValue())
                    .set(I_GLOBAL_INDEX, globalIndex)
                    .set(I_TRANSFER_ID, posting.transferId())
                    .where(I_GLOBAL_INDEX.lt(globalIndex))
                    .execute();
        }
    }

    /** Keeps a pending transfer's payroll metadata until it is posted, voided or expired. */
    void rememberPending(String tenant, String transferId, Map<String, String> metadata, long globalIndex) {
        String json;
        try {
            json = JSON.writeValueAsString(metadata);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        dsl.insertInto(PENDING, Q_TENANT, Q_TRANSFER_ID, Q_METADATA, Q_GLOBAL_INDEX)
                .values(tenant, transferId, json, globalIndex)
                .onConflictDoNothing().execute();
    }

    /** The payroll metadata a pending transfer was created with, if it had any and is still pending. */
    Optional<Map<String, String>> pending(String tenant, String transferId) {
        return dsl.select(Q_METADATA).from(PENDING).where(Q_TENANT.eq(tenant), Q_TRANSFER_ID.eq(transferId))
                .fetchOptional(Q_METADATA)
                .map(json -> {
                    try {
                        return JSON.readValue(json, METADATA);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException("tax_payroll_pending of " + transferId + " is not JSON", e);
                    }
                });
    }

    /** The pending transfer ended (posted, voided or expired): its metadata is no longer needed. */
    void forgetPending(String tenant, String transferId) {
        dsl.deleteFrom(PENDING).where(Q_TENANT.eq(tenant), Q_TRANSFER_ID.eq(transferId)).execute();
    }

    /** A replay from the start: the processor's token is reset, so the model is rebuilt from nothing. */
    void clear() {
        dsl.deleteFrom(POSTING).execute();
        dsl.deleteFrom(PERIOD).execute();
        dsl.deleteFrom(INPUT).execute();
        dsl.deleteFrom(PENDING).execute();
    }

    // ---------------------------------------------------------------- reads

    record PeriodSum(YearMonth period, PayrollCategory category, String currency, int scale, long amount,
                     int postings) {
    }

    record PayeeInput(YearMonth period, String name, String value, String transferId) {
    }

    record Unusable(String transferId, YearMonth period, String problem) {
    }

    /** The sums of a payee from {@code from} to {@code to} (inclusive), oldest first. */
    List<PeriodSum> sums(String tenant, String payee, YearMonth from, YearMonth to) {
        return dsl.select(S_PERIOD, S_CATEGORY, S_CURRENCY, S_SCALE, S_AMOUNT, S_POSTINGS)
                .from(PERIOD)
                .where(S_TENANT.eq(tenant), S_PAYEE.eq(payee), S_PERIOD.between(from.toString(), to.toString()))
                .orderBy(S_PERIOD, S_CATEGORY, S_CURRENCY)
                .limit(PERIOD_ROWS_MAX + 1)
                .fetch(Records.mapping((period, category, currency, scale, amount, postings) -> new PeriodSum(
                        YearMonth.parse(period), PayrollCategory.parse(category).orElseThrow(), currency, scale,
                        amount, postings)));
    }

    /** The payee's inputs as of a period: per name, the value given in the latest period up to it. */
    List<PayeeInput> inputs(String tenant, String payee, YearMonth asOf) {
        return dsl.select(I_PERIOD, I_NAME, I_VALUE, I_TRANSFER_ID)
                .distinctOn(I_NAME)
                .from(INPUT)
                .where(I_TENANT.eq(tenant), I_PAYEE.eq(payee), I_PERIOD.le(asOf.toString()))
                .orderBy(I_NAME, I_PERIOD.desc())
                .limit(INPUT_ROWS_MAX)
                .fetch(Records.mapping((period, name, value, transferId) -> new PayeeInput(YearMonth.parse(period),
                        name, value, transferId)));
    }

    /** Postings of the payee whose payroll metadata could not be used, in or without a period up to {@code to}. */
    List<Unusable> unusable(String tenant, String payee, YearMonth from, YearMonth to) {
        return dsl.select(P_TRANSFER_ID, P_PERIOD, P_PROBLEM)
                .from(POSTING)
                .where(P_TENANT.eq(tenant), P_PAYEE.eq(payee), P_CATEGORY.eq(UNUSABLE),
                        P_PERIOD.isNull().or(P_PERIOD.between(from.toString(), to.toString())))
                .orderBy(P_GLOBAL_INDEX)
                .limit(PROBLEM_ROWS_MAX)
                .fetch(Records.mapping((transferId, period, problem) -> new Unusable(transferId,
                        period == null ? null : YearMonth.parse(period), problem)));
    }

    private static String abbreviate(String text) {
        return text.length() <= PROBLEM_LENGTH_MAX ? text : text.substring(0, PROBLEM_LENGTH_MAX - 1) + "…";
    }
}
