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
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.LedgerJson;
import ledger.domain.transfer.TransferStatus;
import org.axonframework.eventhandling.EventMessage;

/**
 * The rows of the transfer index ({@code transfer_index}, {@code transfer_index_account}; V11, V20) that a
 * transaction's events make: a created transfer's row, with the first two distinct accounts it moves and its
 * metadata (null when it has none), a {@code transfer_index_account} row per further account, and the new
 * status of a pending transfer that ended. Written by {@link TransactionWrites} in the statement that
 * writes the transaction's account lines, so no statement and no commit is added.
 */
final class TransferIndexRows {
    private static final ObjectMapper JSON = LedgerJson.mapper();

    final List<String> tenant = new ArrayList<>();
    final List<String> createdAt = new ArrayList<>();
    final List<String> transferId = new ArrayList<>();
    final List<String> status = new ArrayList<>();
    final List<String> accountA = new ArrayList<>();
    final List<String> accountB = new ArrayList<>();
    final List<String> metadata = new ArrayList<>();

    final List<String> accountTenant = new ArrayList<>();
    final List<String> accountId = new ArrayList<>();
    final List<String> accountCreatedAt = new ArrayList<>();
    final List<String> accountTransferId = new ArrayList<>();

    final List<String> endedTenant = new ArrayList<>();
    final List<String> endedTransferId = new ArrayList<>();
    final List<String> endedAggregateId = new ArrayList<>();
    final List<String> endedStatus = new ArrayList<>();

    static TransferIndexRows of(List<? extends EventMessage<?>> events) {
        TransferIndexRows rows = new TransferIndexRows();
        for (EventMessage<?> event : events) {
            Object payload = event.getPayload();
            String at = (String) event.getMetaData().get(AuditKeys.OCCURRED_AT);
            if (payload instanceof TransferPosted p) {
                rows.created(p.tenant(), p.transferId(), TransferStatus.POSTED, at, p.metadata(),
                        accounts(p.legs().stream().map(Leg::accountId).toList()));
            } else if (payload instanceof TransferPending p) {
                rows.created(p.tenant(), p.transferId(), TransferStatus.PENDING, at, p.metadata(),
                        accounts(List.of(p.debitAccount(), p.creditAccount())));
            } else if (payload instanceof ReversalPosted p) {
                rows.created(p.tenant(), p.transferId(), TransferStatus.POSTED, at, Map.of(),
                        accounts(p.legs().stream().map(Leg::accountId).toList()));
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

    /** The distinct accounts of a transfer's legs, in the legs' order. */
    private static List<String> accounts(List<String> legAccounts) {
        Set<String> ids = new LinkedHashSet<>(legAccounts);
        return List.copyOf(ids);
    }

    private void created(String t, String id, TransferStatus s, String at, Map<String, String> meta,
                         List<String> accounts) {
        if (at == null) {
            throw new IllegalStateException("event of transfer " + id + " has no " + AuditKeys.OCCURRED_AT);
        }
        tenant.add(t);
        createdAt.add(at);
        transferId.add(id);
        status.add(s.name());
        accountA.add(accounts.isEmpty() ? null : accounts.get(0));
        accountB.add(accounts.size() < 2 ? null : accounts.get(1));
        try {
            metadata.add(meta == null || meta.isEmpty() ? null : JSON.writeValueAsString(meta));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        for (String account : accounts.subList(Math.min(2, accounts.size()), accounts.size())) {
            accountTenant.add(t);
            accountId.add(account);
            accountCreatedAt.add(at);
            accountTransferId.add(id);
        }
    }

    /** A pending transfer ended: its row is found by its first event's time (the row's key). */
    private void ended(String t, String id, TransferStatus s) {
        endedTenant.add(t);
        endedTransferId.add(id);
        endedAggregateId.add(AggregateIds.transfer(TenantId.of(t), TransferId.of(id)));
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

    /** The 7 + 4 + 4 arrays of the three statements' {@code unnest}s, in their order. */
    Jdbc.Array[] arrays() {
        return new Jdbc.Array[] {
                text(tenant), text(createdAt), text(transferId), text(status), text(accountA), text(accountB),
                new Jdbc.Array("text", metadata.toArray(String[]::new)),
                text(accountTenant), text(accountId), text(accountCreatedAt), text(accountTransferId),
                text(endedTenant), text(endedTransferId), text(endedAggregateId), text(endedStatus)};
    }

    private static Jdbc.Array text(List<String> values) {
        return new Jdbc.Array("varchar", values.toArray(String[]::new));
    }
}
