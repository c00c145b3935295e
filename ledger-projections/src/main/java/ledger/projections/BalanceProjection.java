package ledger.projections;

import static ledger.projections.ReadModelTables.AccountBalance;
import static ledger.projections.ReadModelTables.AccountEntry;

import java.time.Instant;
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
import org.jooq.DSLContext;

/**
 * Keeps each account's balances and its statement lines. Every write is conditional on the
 * event's sequence number, so replaying events changes nothing twice.
 */
@ProcessingGroup(BalanceProjection.PROCESSING_GROUP)
public class BalanceProjection {
    public static final String PROCESSING_GROUP = "balances";

    private final DSLContext dsl;

    public BalanceProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    @EventHandler
    void on(AccountOpened event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
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

    private void move(Movement m) {
        OffsetDateTime time = utc(m.at());
        dsl.update(AccountBalance.T)
                .set(AccountBalance.DEBITS_POSTED, AccountBalance.DEBITS_POSTED.plus(m.debitsPosted()))
                .set(AccountBalance.CREDITS_POSTED, AccountBalance.CREDITS_POSTED.plus(m.creditsPosted()))
                .set(AccountBalance.DEBITS_PENDING, AccountBalance.DEBITS_PENDING.plus(m.debitsPending()))
                .set(AccountBalance.CREDITS_PENDING, AccountBalance.CREDITS_PENDING.plus(m.creditsPending()))
                .set(AccountBalance.LAST_SEQ, m.seq())
                .set(AccountBalance.UPDATED_AT, time)
                .where(AccountBalance.TENANT.eq(m.tenant()), AccountBalance.ACCOUNT_ID.eq(m.accountId()),
                        AccountBalance.LAST_SEQ.lt(m.seq()))
                .returning(AccountBalance.DEBITS_POSTED, AccountBalance.CREDITS_POSTED,
                        AccountBalance.DEBITS_PENDING, AccountBalance.CREDITS_PENDING)
                .fetchOptional()
                .ifPresent(after -> dsl.insertInto(AccountEntry.T)
                        .set(AccountEntry.TENANT, m.tenant())
                        .set(AccountEntry.ACCOUNT_ID, m.accountId())
                        .set(AccountEntry.SEQ, m.seq())
                        .set(AccountEntry.TRANSFER_ID, m.transferId())
                        .set(AccountEntry.ENTRY_TYPE, m.entryType())
                        .set(AccountEntry.SIDE, m.side())
                        .set(AccountEntry.AMOUNT, m.amount())
                        .set(AccountEntry.DEBITS_POSTED, after.get(AccountBalance.DEBITS_POSTED))
                        .set(AccountEntry.CREDITS_POSTED, after.get(AccountBalance.CREDITS_POSTED))
                        .set(AccountEntry.DEBITS_PENDING, after.get(AccountBalance.DEBITS_PENDING))
                        .set(AccountEntry.CREDITS_PENDING, after.get(AccountBalance.CREDITS_PENDING))
                        .set(AccountEntry.OCCURRED_AT, time)
                        .onConflictDoNothing()
                        .execute());
    }

    private void status(String tenant, String accountId, AccountStatus status, long seq, String at) {
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
