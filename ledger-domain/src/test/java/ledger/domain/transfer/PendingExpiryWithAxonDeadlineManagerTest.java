package ledger.domain.transfer;

import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.seal.ChainCheck;
import org.junit.jupiter.api.Test;

/**
 * The expiry deadline through Axon's own {@code SimpleDeadlineManager} on real time: the deadline
 * reaches the Transfer aggregate and its handler gets {@link LedgerCommandHandler} injected.
 */
class PendingExpiryWithAxonDeadlineManagerTest {

    @Test
    void expiresAPendingTransferWhenItsDeadlineFires() throws InterruptedException {
        Commands acme = Commands.forTenant("acme");
        try (LedgerHarness ledger = LedgerHarness.withRealDeadlines()) {
            ledger.send(acme.openSource("equity", USD));
            ledger.send(acme.openAsset("wallet", USD));
            ledger.send(acme.pending("p1", "wallet", "equity", usd("5.00"), Duration.ofSeconds(1)));

            Instant giveUp = Instant.now().plusSeconds(10);
            while (ledger.transfer("acme", "p1").status() == TransferStatus.PENDING && Instant.now().isBefore(giveUp)) {
                Thread.sleep(50);
            }

            assertThat(ledger.transfer("acme", "p1").status()).isEqualTo(TransferStatus.EXPIRED);
            assertThat(ledger.account("acme", "wallet").debitsPending()).isZero();
            assertThat(ledger.account("acme", "equity").creditsPending()).isZero();
            ChainCheck.verifyAll(ledger.allEvents());
        }
    }
}
