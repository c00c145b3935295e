package ledger.domain.transfer;

import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.credit;
import static ledger.domain.Commands.debit;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.command.TransferCommands.ReverseTransfer;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.event.TransferEvents.TransferReversed;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.seal.ChainCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reversals through {@link LedgerCommandHandler} (docs/reversals.md): a new transfer with the
 * original's legs swapped, recorded on the original; never more in total than the original moved,
 * also when reversals race; refusals change nothing ({@link LedgerHarness#reject}).
 */
class ReversalTest {
    private static final String TENANT = "acme";
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.openAsset("bank", USD));
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private ReverseTransfer reverse(String id, String amount) {
        return new ReverseTransfer(TenantId.of(TENANT), TransferId.of(id), null, amount, List.of());
    }

    @Test
    void aPartialThenTheRestSwapsTheLegsAndLinksBothWays() {
        ledger.send(acme.transfer("t1", "cash", "equity", usd("10.00")));
        long before = ledger.eventCount();

        TransferSnapshot first = ledger.send(reverse("t1", "4.00"));

        List<Leg> swapped = List.of(new Leg("equity", "debit", "4.00", "USD"), new Leg("cash", "credit", "4.00", "USD"));
        assertThat(ledger.payloadsSince(before)).containsExactly(
                new TransferReversed(TENANT, "t1", "t1.r1", "4.00", "USD"),
                new ReversalPosted(TENANT, "t1.r1", "t1", swapped));
        assertThat(first.transferId()).isEqualTo("t1.r1");
        assertThat(first.kind()).isEqualTo(TransferSnapshot.KIND_REVERSAL);
        assertThat(first.reversalOf()).isEqualTo("t1");
        assertThat(first.legs()).isEqualTo(swapped);
        assertThat(ledger.account(TENANT, "cash").balance()).isEqualTo(600);

        TransferSnapshot rest = ledger.send(reverse("t1", null));
        assertThat(rest.transferId()).isEqualTo("t1.r2");
        assertThat(rest.legs().get(0).amount()).isEqualTo("6.00");
        assertThat(ledger.transfer(TENANT, "t1").reversals()).containsExactly(
                new TransferSnapshot.Reversal("t1.r1", "4.00"), new TransferSnapshot.Reversal("t1.r2", "6.00"));
        assertThat(ledger.account(TENANT, "cash").balance()).isZero();
        assertThat(ledger.account(TENANT, "equity").balance()).isZero();

        ledger.reject(reverse("t1", null), RejectionCode.TRANSFER_NOT_REVERSIBLE);
        ledger.reject(reverse("t1", "0.01"), RejectionCode.TRANSFER_NOT_REVERSIBLE);
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void neverMoreThanIsLeftAndNothingOddIsAccepted() {
        ledger.send(acme.transfer("t1", "cash", "equity", usd("10.00")));
        ledger.send(reverse("t1", "9.99"));
        ledger.reject(reverse("t1", "0.02"), RejectionCode.AMOUNT_INVALID);
        ledger.reject(reverse("t1", "0.001"), RejectionCode.AMOUNT_INVALID);
        ledger.reject(reverse("t1", "-0.01"), RejectionCode.AMOUNT_INVALID);
        ledger.reject(reverse("t1", "0"), RejectionCode.AMOUNT_INVALID);
        ledger.reject(reverse("t1", "1e-2"), RejectionCode.AMOUNT_INVALID);
        ledger.reject(reverse("nothing", null), RejectionCode.TRANSFER_NOT_FOUND);
        // a reversal is not reversed (post a new transfer instead)
        ledger.reject(reverse("t1.r1", null), RejectionCode.TRANSFER_NOT_REVERSIBLE);
        TransferSnapshot last = ledger.send(reverse("t1", "0.01"));
        assertThat(last.transferId()).isEqualTo("t1.r2");
    }

    @Test
    void pendingVoidedAndExpiredTransfersAreNotReversedAndAPostedHoldIsReversedForWhatWasPosted() {
        ledger.send(acme.transfer("fund", "cash", "equity", usd("10.00")));
        ledger.send(acme.pending("hold", "bank", "cash", usd("5.00"), null));
        LedgerRejection pending = ledger.reject(reverse("hold", null), RejectionCode.TRANSFER_NOT_REVERSIBLE);
        assertThat(pending.getMessage()).contains("pending", "void");

        ledger.send(acme.pending("voided", "bank", "cash", usd("1.00"), null));
        ledger.send(acme.voidPending("voided"));
        ledger.reject(reverse("voided", null), RejectionCode.TRANSFER_NOT_REVERSIBLE);

        ledger.send(acme.post("hold", "3.00"));
        ledger.reject(reverse("hold", "3.01"), RejectionCode.AMOUNT_INVALID);
        TransferSnapshot reversal = ledger.send(reverse("hold", null));
        assertThat(reversal.legs()).containsExactly(new Leg("cash", "debit", "3.00", "USD"),
                new Leg("bank", "credit", "3.00", "USD"));
        assertThat(ledger.account(TENANT, "cash").balance()).isEqualTo(1000);
    }

    @Test
    void aReversalMeetsTheAccountsRulesLikeAnyTransfer() {
        ledger.send(acme.transfer("in", "cash", "equity", usd("10.00")));
        ledger.send(acme.transfer("out", "bank", "cash", usd("8.00")));
        // reversing "in" would take cash (2.00 left) below zero
        ledger.reject(reverse("in", null), RejectionCode.INSUFFICIENT_FUNDS);
        ledger.send(reverse("in", "2.00"));
        ledger.send(acme.freeze("bank"));
        ledger.reject(reverse("out", null), RejectionCode.ACCOUNT_FROZEN);
    }

    @Test
    void anEntryIsReversedInFullOnlyAndOnce() {
        ledger.send(acme.entry("e1", debit("cash", "3.00"), debit("bank", "2.00"), credit("equity", "5.00")));

        ledger.reject(reverse("e1", "1.00"), RejectionCode.AMOUNT_INVALID);
        TransferSnapshot reversal = ledger.send(reverse("e1", null));

        assertThat(reversal.legs()).containsExactly(new Leg("cash", "credit", "3.00", "USD"),
                new Leg("bank", "credit", "2.00", "USD"), new Leg("equity", "debit", "5.00", "USD"));
        assertThat(ledger.transfer(TENANT, "e1").reversals()).containsExactly(
                new TransferSnapshot.Reversal("e1.r1", null));
        ledger.reject(reverse("e1", null), RejectionCode.TRANSFER_NOT_REVERSIBLE);
        assertThat(ledger.account(TENANT, "cash").balance()).isZero();
        assertThat(ledger.account(TENANT, "bank").balance()).isZero();
    }

    @Test
    void aNamedReversalIdMustBeNew() {
        ledger.send(acme.transfer("t1", "cash", "equity", usd("10.00")));
        ledger.send(acme.transfer("t2", "cash", "equity", usd("1.00")));
        ledger.reject(new ReverseTransfer(TenantId.of(TENANT), TransferId.of("t1"), TransferId.of("t2"), null,
                List.of()), RejectionCode.DUPLICATE_ID);
        TransferSnapshot named = ledger.send(new ReverseTransfer(TenantId.of(TENANT), TransferId.of("t1"),
                TransferId.of("refund-7"), "1.00", List.of(AccountId.of("cash"), AccountId.of("equity"))));
        assertThat(named.transferId()).isEqualTo("refund-7");
        assertThat(ledger.transfer(TENANT, "t1").reversals()).containsExactly(
                new TransferSnapshot.Reversal("refund-7", "1.00"));
    }

    @Test
    void concurrentReversalsNeverTakeBackMoreThanTheTransferMoved() throws Exception {
        ledger.send(acme.transfer("t1", "cash", "equity", usd("10.00")));
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(() -> {
                for (int attempt = 0; ; attempt++) {
                    try {
                        ledger.send(reverse("t1", "1.00"));
                        return "reversed";
                    } catch (LedgerRejection refused) {
                        return refused.code().code();
                    } catch (RuntimeException conflict) {
                        // two writers of t1's next event: the loser runs again, as the API does
                        assertThat(attempt).as("attempts of one reversal").isLessThan(50);
                    }
                }
            });
        }
        List<String> outcomes = new ArrayList<>();
        try {
            for (Future<String> outcome : pool.invokeAll(calls)) {
                outcomes.add(outcome.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(outcomes.stream().filter("reversed"::equals)).hasSize(10);
        assertThat(outcomes).containsOnly("reversed", "transfer_not_reversible");
        TransferSnapshot original = ledger.transfer(TENANT, "t1");
        assertThat(original.reversedMinor()).isEqualTo(1000);
        assertThat(original.reversals()).hasSize(10);
        assertThat(ledger.account(TENANT, "cash").balance()).isZero();
        assertThat(Map.of("equity", ledger.account(TENANT, "equity").balance())).containsEntry("equity", 0L);
    }
}
