package ledger.domain.command;

import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import ledger.domain.Commands;
import ledger.domain.command.TransferCommands.CreateTransferChain;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TransferId;
import org.junit.jupiter.api.Test;

/**
 * The rules commands carry themselves: a new transfer's timeout, and what a command says up front
 * about the accounts it may change and the transfers it creates (what a caller locks and probes
 * before the command runs).
 */
class TransferCommandsTest {
    private final Commands acme = Commands.forTenant("acme");

    @Test
    void onlyAPendingTransferHasATimeoutOfOneSecondToItsMaximum() {
        long max = TransferCommands.PENDING_TIMEOUT_MAX.toSeconds();

        assertThat(TransferCommands.timeout(true, null)).isNull();
        assertThat(TransferCommands.timeout(false, null)).isNull();
        assertThat(TransferCommands.timeout(true, 1L)).isEqualTo(Duration.ofSeconds(1));
        assertThat(TransferCommands.timeout(true, max)).isEqualTo(TransferCommands.PENDING_TIMEOUT_MAX);
        for (Long refused : new Long[] {0L, -1L, max + 1, Long.MIN_VALUE, Long.MAX_VALUE}) {
            assertThatThrownBy(() -> TransferCommands.timeout(true, refused)).as("timeout %s", refused)
                    .isInstanceOfSatisfying(LedgerRejection.class,
                            r -> assertThat(r.code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
        }
        assertThatThrownBy(() -> TransferCommands.timeout(false, 30L))
                .isInstanceOfSatisfying(LedgerRejection.class,
                        r -> assertThat(r.code()).isEqualTo(RejectionCode.VALIDATION_FAILED));
    }

    @Test
    void aTransferNamesItsTwoAccountsAndTheTransferItCreates() {
        var transfer = acme.transfer("t1", "cash", "equity", usd("1.00"));

        assertThat(transfer.accounts()).containsExactly(AccountId.of("cash"), AccountId.of("equity"));
        assertThat(transfer.createdTransfers()).containsExactly("acme/transfer/t1");
    }

    @Test
    void anEntryNamesTheAccountsOfItsLegs() {
        PostEntry entry = acme.entry("e1", Commands.debit("cash", "1.00"), Commands.credit("fees", "0.30"),
                Commands.credit("equity", "0.70"));

        assertThat(entry.accounts()).extracting(AccountId::value).containsExactly("cash", "fees", "equity");
        assertThat(entry.createdTransfers()).containsExactly("acme/transfer/e1");
        assertThat(new PostEntry(acme.tenant(), TransferId.of("e2"), null, Map.of()).accounts()).isEmpty();
    }

    @Test
    void aChainNamesEveryAccountOnceAndEveryTransferInOrderAndRoutesLikeItsFirst() {
        CreateTransferChain chain = acme.chain(acme.transfer("c1", "cash", "equity", usd("1.00")),
                acme.transfer("c2", "bank", "cash", usd("1.00")));

        assertThat(chain.accounts()).extracting(AccountId::value).containsExactly("cash", "equity", "bank");
        assertThat(chain.createdTransfers()).containsExactly("acme/transfer/c1", "acme/transfer/c2");
        assertThat(chain.routingKey()).isEqualTo("acme/transfer/c1");
    }

    @Test
    void aChainWithoutTransfersOrWithHolesStillAnswers() {
        CreateTransferChain none = new CreateTransferChain(acme.tenant(), null);
        CreateTransferChain empty = new CreateTransferChain(acme.tenant(), List.of());
        CreateTransferChain holes = new CreateTransferChain(acme.tenant(),
                Arrays.asList(null, acme.transfer("c1", "cash", "equity", usd("1.00"))));

        assertThat(none.accounts()).isEmpty();
        assertThat(none.createdTransfers()).isEmpty();
        assertThat(none.routingKey()).isEqualTo("acme");
        assertThat(empty.routingKey()).isEqualTo("acme");
        assertThat(holes.accounts()).hasSize(2);
        assertThat(holes.createdTransfers()).containsExactly("acme/transfer/c1");
    }
}
