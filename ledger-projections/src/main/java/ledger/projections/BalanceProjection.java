package ledger.projections;

import static ledger.projections.ReadModelTables.AccountBalance;
import static ledger.projections.ReadModelTables.AccountEntry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountPosted;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.event.AccountEvents.AmountReserved;
import ledger.domain.event.AccountEvents.ReservationPosted;
import ledger.domain.event.AccountEvents.ReservationReleased;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.Side;
import ledger.domain.money.Money;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import ledger.audit.Ts6;
import ledger.domain.seal.AuditKeys;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.Record9;
import org.jooq.Row9;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * Keeps each account's balances and its statement lines. Every write is conditional on the
 * event's sequence number, so replaying events changes nothing twice. Movements (postings,
 * reservations) of one processor batch are written together when its transaction prepares to
 * commit: a few statements per batch instead of two per event.
 */
@ProcessingGroup(BalanceProjection.PROCESSING_GROUP)
public class BalanceProjection {
    public static final String PROCESSING_GROUP = "balances";
    private static final String PENDING = BalanceProjection.class.getName() + ".pending";

    private final DSLContext dsl;

    public BalanceProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        PerBatch.flush(PENDING);
        OffsetDateTime time = utc(at);
        dsl.insertInto(AccountBalance.T)
                .set(AccountBalance.TENANT, event.tenant())
                .set(AccountBalance.ACCOUNT_ID, event.accountId())
                .set(AccountBalance.CURRENCY, event.currency())
                .set(AccountBalance.SCALE, (short) event.minorUnits())
                .set(AccountBalance.KIND, event.kind())
                .set(AccountBalance.OVERDRAFT_LIMIT, event.overdraftLimit())
                .set(AccountBalance.STATUS, AccountStatus.OPEN.name())
                .set(AccountBalance.DEBITS_POSTED, 0L)
                .set(AccountBalance.CREDITS_POSTED, 0L)
                .set(AccountBalance.DEBITS_PENDING, 0L)
                .set(AccountBalance.CREDITS_PENDING, 0L)
                .set(AccountBalance.LAST_SEQ, seq)
                .set(AccountBalance.OPENED_AT, time)
                .set(AccountBalance.UPDATED_AT, time)
                .onConflictDoNothing()
                .execute();
    }

    @EventHandler
    void on(AccountFrozen event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        status(event.tenant(), event.accountId(), AccountStatus.FROZEN, seq, at);
    }

    @EventHandler
    void on(AccountUnfrozen event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        status(event.tenant(), event.accountId(), AccountStatus.OPEN, seq, at);
    }

    @EventHandler
    void on(AccountClosed event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        status(event.tenant(), event.accountId(), AccountStatus.CLOSED, seq, at);
    }

    @EventHandler
    void on(AccountPosted event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        long amount = Money.minorOf(event.amount());
        boolean debit = Side.parse(event.side()) == Side.DEBIT;
        move(new Movement(event.tenant(), event.accountId(), seq, at, event.transferId(), "posted", event.side(),
                amount, debit ? amount : 0, debit ? 0 : amount, 0, 0));
    }

    @EventHandler
    void on(AmountReserved event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        long amount = Money.minorOf(event.amount());
        boolean debit = Side.parse(event.side()) == Side.DEBIT;
        move(new Movement(event.tenant(), event.accountId(), seq, at, event.transferId(), "reserved", event.side(),
                amount, 0, 0, debit ? amount : 0, debit ? 0 : amount));
    }

    @EventHandler
    void on(ReservationPosted event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        long reserved = Money.minorOf(event.reserved());
        long posted = Money.minorOf(event.posted());
        boolean debit = Side.parse(event.side()) == Side.DEBIT;
        move(new Movement(event.tenant(), event.accountId(), seq, at, event.transferId(), "pending_posted",
                event.side(), posted, debit ? posted : 0, debit ? 0 : posted, debit ? -reserved : 0,
                debit ? 0 : -reserved));
    }

    @EventHandler
    void on(ReservationReleased event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        long amount = Money.minorOf(event.amount());
        boolean debit = Side.parse(event.side()) == Side.DEBIT;
        move(new Movement(event.tenant(), event.accountId(), seq, at, event.transferId(), event.reason(),
                event.side(), amount, 0, 0, debit ? -amount : 0, debit ? 0 : -amount));
    }

    private record Movement(String tenant, String accountId, long seq, String at, String transferId,
                            String entryType, String side, long amount, long debitsPosted, long creditsPosted,
                            long debitsPending, long creditsPending) {
    }

    /**
     * Inside a processor batch, movements are collected and written when the batch's transaction
     * prepares to commit ({@link Movements#flush}); outside one (a direct call) they are written at once.
     */
    private void move(Movement m) {
        PerBatch.add(PENDING, () -> new Movements(dsl), Movements::add, m);
    }

    /**
     * The movements of one batch, in event order. A flush reads the balances of the accounts they
     * touch once, works out every statement line's running balance in memory, skips movements the
     * account already holds (a replay: its sequence number is not above the stored one), and then
     * writes all lines in one JDBC batch and all balances in one statement. A balance is only
     * written over the version it was read from, so a concurrent writer fails the batch instead of
     * being lost.
     */
    private static final class Movements implements PerBatch.Writes {
        private final DSLContext dsl;
        private final List<Movement> movements = new ArrayList<>();

        Movements(DSLContext dsl) {
            this.dsl = dsl;
        }

        Movements add(Movement m) {
            movements.add(m);
            return this;
        }

        private static final class State {
            long debitsPosted;
            long creditsPosted;
            long debitsPending;
            long creditsPending;
            final long readSeq;
            long lastSeq;
            OffsetDateTime updatedAt;

            State(Record r) {
                debitsPosted = r.get(AccountBalance.DEBITS_POSTED);
                creditsPosted = r.get(AccountBalance.CREDITS_POSTED);
                debitsPending = r.get(AccountBalance.DEBITS_PENDING);
                creditsPending = r.get(AccountBalance.CREDITS_PENDING);
                readSeq = r.get(AccountBalance.LAST_SEQ);
                lastSeq = readSeq;
            }
        }

        @Override
        public void flush() {
            if (movements.isEmpty()) {
                return;
            }
            Map<List<String>, State> states = read();
            BatchBindStep lines = dsl.batch(dsl.insertInto(AccountEntry.T, AccountEntry.TENANT, AccountEntry.ACCOUNT_ID,
                            AccountEntry.SEQ, AccountEntry.TRANSFER_ID, AccountEntry.ENTRY_TYPE, AccountEntry.SIDE,
                            AccountEntry.AMOUNT, AccountEntry.DEBITS_POSTED, AccountEntry.CREDITS_POSTED,
                            AccountEntry.DEBITS_PENDING, AccountEntry.CREDITS_PENDING, AccountEntry.OCCURRED_AT)
                    .values((String) null, null, null, null, null, null, null, null, null, null, null, null)
                    .onConflictDoNothing());
            int lineCount = 0;
            for (Movement m : movements) {
                State state = states.get(List.of(m.tenant(), m.accountId()));
                if (state == null || m.seq() <= state.lastSeq) {
                    continue; // no such account in the read model yet, or a replayed movement
                }
                state.debitsPosted += m.debitsPosted();
                state.creditsPosted += m.creditsPosted();
                state.debitsPending += m.debitsPending();
                state.creditsPending += m.creditsPending();
                state.lastSeq = m.seq();
                state.updatedAt = utc(m.at());
                lines.bind(m.tenant(), m.accountId(), m.seq(), m.transferId(), m.entryType(), m.side(), m.amount(),
                        state.debitsPosted, state.creditsPosted, state.debitsPending, state.creditsPending,
                        state.updatedAt);
                lineCount++;
            }
            movements.clear();
            if (lineCount == 0) {
                return;
            }
            lines.execute();
            writeBalances(states);
        }

        /**
         * Writes every changed balance in one statement: {@code UPDATE ... FROM (VALUES ...)}, each row
         * only over the version it was read from ({@code last_seq}), so a concurrent writer makes the
         * count fall short and fails the batch instead of being lost.
         */
        private void writeBalances(Map<List<String>, State> states) {
            List<Row9<String, String, Long, Long, Long, Long, Long, Long, OffsetDateTime>> rows = new ArrayList<>();
            states.forEach((key, state) -> {
                if (state.lastSeq != state.readSeq) {
                    rows.add(DSL.row(key.get(0), key.get(1), state.readSeq, state.debitsPosted, state.creditsPosted,
                            state.debitsPending, state.creditsPending, state.lastSeq, state.updatedAt));
                }
            });
            if (rows.isEmpty()) {
                return;
            }
            @SuppressWarnings("unchecked")
            Table<Record9<String, String, Long, Long, Long, Long, Long, Long, OffsetDateTime>> written =
                    DSL.values(rows.toArray(Row9[]::new)).as("written", "tenant", "account_id", "read_seq",
                            "debits_posted", "credits_posted", "debits_pending", "credits_pending", "last_seq",
                            "updated_at");
            int updated = dsl.update(AccountBalance.T)
                    .set(AccountBalance.DEBITS_POSTED, written.field("debits_posted", Long.class))
                    .set(AccountBalance.CREDITS_POSTED, written.field("credits_posted", Long.class))
                    .set(AccountBalance.DEBITS_PENDING, written.field("debits_pending", Long.class))
                    .set(AccountBalance.CREDITS_PENDING, written.field("credits_pending", Long.class))
                    .set(AccountBalance.LAST_SEQ, written.field("last_seq", Long.class))
                    .set(AccountBalance.UPDATED_AT, written.field("updated_at", OffsetDateTime.class))
                    .from(written)
                    .where(AccountBalance.TENANT.eq(written.field("tenant", String.class)),
                            AccountBalance.ACCOUNT_ID.eq(written.field("account_id", String.class)),
                            AccountBalance.LAST_SEQ.eq(written.field("read_seq", Long.class)))
                    .execute();
            if (updated != rows.size()) {
                throw new IllegalStateException((rows.size() - updated) + " of " + rows.size() + " balances changed "
                        + "while their batch ran; the batch is retried");
            }
        }

        /** The stored balances of every account the movements touch, by {@code [tenant, account id]}. */
        private Map<List<String>, State> read() {
            Map<String, Set<String>> byTenant = new HashMap<>();
            for (Movement m : movements) {
                byTenant.computeIfAbsent(m.tenant(), t -> new HashSet<>()).add(m.accountId());
            }
            Map<List<String>, State> states = new HashMap<>();
            byTenant.forEach((tenant, ids) -> dsl.select(AccountBalance.ACCOUNT_ID, AccountBalance.DEBITS_POSTED,
                            AccountBalance.CREDITS_POSTED, AccountBalance.DEBITS_PENDING, AccountBalance.CREDITS_PENDING,
                            AccountBalance.LAST_SEQ)
                    .from(AccountBalance.T)
                    .where(AccountBalance.TENANT.eq(tenant), AccountBalance.ACCOUNT_ID.in(ids))
                    .forEach(r -> states.put(List.of(tenant, r.get(AccountBalance.ACCOUNT_ID)), new State(r))));
            return states;
        }
    }

    private void status(String tenant, String accountId, AccountStatus status, long seq, String at) {
        PerBatch.flush(PENDING);
        dsl.update(AccountBalance.T)
                .set(AccountBalance.STATUS, status.name())
                .set(AccountBalance.LAST_SEQ, seq)
                .set(AccountBalance.UPDATED_AT, utc(at))
                .where(AccountBalance.TENANT.eq(tenant), AccountBalance.ACCOUNT_ID.eq(accountId),
                        AccountBalance.LAST_SEQ.lt(seq))
                .execute();
    }

    /** Read models keep the envelope's {@code occurredAt} (microseconds), not the store's timestamp column. */
    static OffsetDateTime utc(String occurredAt) {
        return utc(Ts6.parse(occurredAt));
    }

    static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
