package ledger.sagas.settlement;

import java.util.List;
import ledger.domain.command.TransferCommands.SharesGroupCommit;
import ledger.domain.model.TenantId;
import ledger.sagas.settlement.SettlementEvents.SettlementStarted;
import org.axonframework.modelling.command.TargetAggregateIdentifier;

/**
 * Commands of the {@code Settlement} aggregate: the API starts one, the saga records its progress.
 * They share group commits with the ledger's commands ({@link SharesGroupCommit}).
 */
public final class SettlementCommands {
    private SettlementCommands() {
    }

    /** The aggregate id of a settlement: {@code tenant/settlement/id}, like accounts and transfers. */
    public static String aggregateId(String tenant, String settlementId) {
        return TenantId.of(tenant).value() + "/settlement/" + settlementId;
    }

    /** Accepts a settlement as decided (quote, amounts, accounts): {@code started} becomes its first event. */
    public record StartSettlement(SettlementStarted started) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(started.tenant(), started.settlementId());
        }
    }

    public record RecordStep(String tenant, String settlementId, Step step, String transferId) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(tenant, settlementId);
        }
    }

    /**
     * Records that the ledger refused a step's command ({@code code}, {@code detail}): the saga
     * compensates on its event. Like a step, recorded once, and not after the final outcome.
     */
    public record RecordRefusal(String tenant, String settlementId, Step step, String code, String detail)
            implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(tenant, settlementId);
        }
    }

    /** Records a re-quote (before the destination side is posted; once). */
    public record RequoteSettlement(SettlementEvents.SettlementRequoted requoted) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(requoted.tenant(), requoted.settlementId());
        }
    }

    /** Records the last step (the reservation posted) and the settlement's completion. */
    public record CompleteSettlement(String tenant, String settlementId, String transferId) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(tenant, settlementId);
        }
    }

    public record CompensateSettlement(String tenant, String settlementId, String reasonCode, String reasonDetail,
                                       List<String> undone) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(tenant, settlementId);
        }
    }

    public record FailSettlement(String tenant, String settlementId, String reasonCode, String reasonDetail) implements SharesGroupCommit {
        @TargetAggregateIdentifier
        public String aggregateId() {
            return SettlementCommands.aggregateId(tenant, settlementId);
        }
    }
}
