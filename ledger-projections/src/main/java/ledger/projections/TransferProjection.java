package ledger.projections;

import static ledger.projections.ReadModelTables.TransferView;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import ledger.audit.Ts6;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.Side;
import ledger.domain.seal.LedgerJson;
import ledger.domain.transfer.Transfer;
import ledger.domain.transfer.TransferStatus;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.SequenceNumber;
import ledger.domain.seal.AuditKeys;
import org.axonframework.messaging.annotation.MetaDataValue;
import org.jooq.BatchBindStep;
import org.jooq.DSLContext;

/**
 * Keeps one row per transfer or entry with its current status; replay-safe like every projection.
 * New transfers of one processor batch are inserted together when its transaction prepares to commit.
 */
@ProcessingGroup(TransferProjection.PROCESSING_GROUP)
public class TransferProjection {
    public static final String PROCESSING_GROUP = "transfers";
    private static final String PENDING = TransferProjection.class.getName() + ".pending";

    private static final ObjectMapper JSON = LedgerJson.mapper();

    private final DSLContext dsl;

    public TransferProjection(DSLContext dsl) {
        this.dsl = dsl;
    }

    @EventHandler
    void on(TransferPosted event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        insert(event.tenant(), event.transferId(), event.kind(), TransferStatus.POSTED, json(event.legs()),
                json(event.metadata()), null, seq, at);
    }

    @EventHandler
    void on(TransferPending event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        List<Leg> legs = List.of(
                new Leg(event.debitAccount(), Side.DEBIT.wire(), event.amount(), event.currency()),
                new Leg(event.creditAccount(), Side.CREDIT.wire(), event.amount(), event.currency()));
        OffsetDateTime expiresAt = event.expiresAt() == null ? null : BalanceProjection.utc(Ts6.parse(event.expiresAt()));
        insert(event.tenant(), event.transferId(), Transfer.KIND_TRANSFER, TransferStatus.PENDING, json(legs),
                json(event.metadata()), expiresAt, seq, at);
    }

    @EventHandler
    void on(PendingTransferPosted event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        PerBatch.flush(PENDING);
        dsl.update(TransferView.T)
                .set(TransferView.STATUS, TransferStatus.POSTED.name())
                .set(TransferView.POSTED_AMOUNT, event.amount())
                .set(TransferView.LAST_SEQ, seq)
                .set(TransferView.UPDATED_AT, BalanceProjection.utc(at))
                .where(TransferView.TENANT.eq(event.tenant()), TransferView.TRANSFER_ID.eq(event.transferId()),
                        TransferView.LAST_SEQ.lt(seq))
                .execute();
    }

    @EventHandler
    void on(PendingTransferVoided event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        status(event.tenant(), event.transferId(), TransferStatus.VOIDED, seq, at);
    }

    @EventHandler
    void on(PendingTransferExpired event, @SequenceNumber long seq, @MetaDataValue(AuditKeys.OCCURRED_AT) String at) {
        status(event.tenant(), event.transferId(), TransferStatus.EXPIRED, seq, at);
    }

    private void insert(String tenant, String transferId, String kind, TransferStatus status, String legs,
                        String metadata, OffsetDateTime expiresAt, long seq, String at) {
        Object[] row = {tenant, transferId, kind, status.name(), legs, metadata, expiresAt,
                BalanceProjection.utc(at), BalanceProjection.utc(at), seq};
        PerBatch.add(PENDING, () -> new Inserts(dsl), Inserts::add, row);
    }

    /** New transfers of one batch, written in one JDBC batch (a replayed one is left as it is). */
    private static final class Inserts implements PerBatch.Writes {
        private final DSLContext dsl;
        private final List<Object[]> rows = new ArrayList<>();

        Inserts(DSLContext dsl) {
            this.dsl = dsl;
        }

        Inserts add(Object[] row) {
            rows.add(row);
            return this;
        }

        @Override
        public void flush() {
            if (rows.isEmpty()) {
                return;
            }
            BatchBindStep batch = dsl.batch(dsl.insertInto(TransferView.T, TransferView.TENANT, TransferView.TRANSFER_ID,
                            TransferView.KIND, TransferView.STATUS, TransferView.LEGS, TransferView.METADATA,
                            TransferView.EXPIRES_AT, TransferView.CREATED_AT, TransferView.UPDATED_AT,
                            TransferView.LAST_SEQ)
                    .values((String) null, null, null, null, null, null, null, null, null, null)
                    .onConflictDoNothing());
            rows.forEach(batch::bind);
            rows.clear();
            batch.execute();
        }
    }

    private void status(String tenant, String transferId, TransferStatus status, long seq, String at) {
        PerBatch.flush(PENDING);
        dsl.update(TransferView.T)
                .set(TransferView.STATUS, status.name())
                .set(TransferView.LAST_SEQ, seq)
                .set(TransferView.UPDATED_AT, BalanceProjection.utc(at))
                .where(TransferView.TENANT.eq(tenant), TransferView.TRANSFER_ID.eq(transferId),
                        TransferView.LAST_SEQ.lt(seq))
                .execute();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write read-model JSON", e);
        }
    }
}
