package ledger.projections;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.LedgerJson;
import ledger.domain.transfer.TransferSnapshot;
import ledger.domain.transfer.TransferStatus;
import org.axonframework.eventhandling.EventMessage;

/**
 * The rows of the transfer index ({@code transfer_index}, {@code transfer_index_account}; V11) that a
 * transaction's events make: a created transfer's row and one row per account it moves, and the new
 * status of a pending transfer that ended. Written by {@link TransactionWrites} in the statement that
 * writes the transaction's account lines, so no statement and no commit is added.
 */
final class TransferIndexRows {
    private static final ObjectMapper JSON = LedgerJson.mapper();

    final List<String> tenant = new ArrayList<>();
    final List<String> transferId = new ArrayList<>();
    final List<String> kind = new ArrayList<>();
    final List<String> status = new ArrayList<>();
    final List<String> createdAt = new ArrayList<>();
    final List<String> metadata = new ArrayList<>();
    final List<String> reversalOf = new ArrayList<>();

    final List<String> accountTenant = new ArrayList<>();
    final List<String> accountId = new ArrayList<>();
    final List<String> accountCreatedAt = new ArrayList<>();
    final List<String> accountTransferId = new ArrayList<>();

    final List<String> endedTenant = new ArrayList<>();
    final List<String> endedTransferId = new ArrayList<>();
    final List<String> endedStatus = new ArrayList<>();

    static TransferIndexRows of(List<? extends EventMessage<?>> events) {
        TransferIndexRows rows = new TransferIndexRows();
        for (EventMessage<?> event : events) {
            Object payload = event.getPayload();
            String at = (String) event.getMetaData().get(AuditKeys.OCCURRED_AT);
            if (payload instanceof TransferPosted p) {
                rows.created(p.tenant(), p.transferId(), p.kind(), TransferStatus.POSTED, at, p.metadata(), null,
                        accounts(p.legs()));
            } else if (payload instanceof TransferPending p) {
                rows.created(p.tenant(), p.transferId(), ledger.domain.transfer.Transfer.KIND_TRANSFER,
                        TransferStatus.PENDING, at, p.metadata(), null, List.of(p.debitAccount(), p.creditAccount()));
            } else if (payload instanceof ReversalPosted p) {
                rows.created(p.tenant(), p.transferId(), TransferSnapshot.KIND_REVERSAL, TransferStatus.POSTED, at,
                        Map.of(), p.reversalOf(), accounts(p.legs()));
            } else if (payload instanceof PendingTransferPosted p) {
                rows.ended(p.tenant(), p.transferId(), TransferStatus.POSTED);
            } else if (payload instanceof PendingTransferVoided p) {
                rows.ended(p.tenant(), p.transferId(), TransferStatus.VOIDED);
            } else if (payload instanceof PendingTransferExpired p) {
                rows.ended(p.tenant(), p.transferId(), TransferStatus.EXPIRED);
            }
        }
        return rows;
    }

    private static List<String> accounts(List<Leg> legs) {
        Set<String> ids = new LinkedHashSet<>();
        legs.forEach(l -> ids.add(l.accountId()));
        return List.copyOf(ids);
    }

    private void created(String t, String id, String k, TransferStatus s, String at, Map<String, String> meta,
                         String reversed, List<String> accounts) {
        if (at == null) {
            throw new IllegalStateException("event of transfer " + id + " has no " + AuditKeys.OCCURRED_AT);
        }
        tenant.add(t);
        transferId.add(id);
        kind.add(k);
        status.add(s.name());
        createdAt.add(at);
        try {
            metadata.add(JSON.writeValueAsString(meta == null ? Map.of() : meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        reversalOf.add(reversed);
        for (String account : accounts) {
            accountTenant.add(t);
            accountId.add(account);
            accountCreatedAt.add(at);
            accountTransferId.add(id);
        }
    }

    private void ended(String t, String id, TransferStatus s) {
        endedTenant.add(t);
        endedTransferId.add(id);
        endedStatus.add(s.name());
    }

    int created() {
        return transferId.size();
    }

    int accounts() {
        return accountId.size();
    }

    int ended() {
        return endedTransferId.size();
    }

    /** The 7 + 4 + 3 arrays of the three statements' {@code unnest}s, in their order. */
    Jdbc.Array[] arrays() {
        return new Jdbc.Array[] {
                text(tenant), text(transferId), text(kind), text(status), text(createdAt), new Jdbc.Array("text",
                metadata.toArray(String[]::new)), text(reversalOf),
                text(accountTenant), text(accountId), text(accountCreatedAt), text(accountTransferId),
                text(endedTenant), text(endedTransferId), text(endedStatus)};
    }

    private static Jdbc.Array text(List<String> values) {
        return new Jdbc.Array("varchar", values.toArray(String[]::new));
    }
}
