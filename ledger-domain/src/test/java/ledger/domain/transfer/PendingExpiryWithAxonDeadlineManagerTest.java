package ledger.domain.transfer;

import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import ledger.domain.BookFromEvents;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.book.BookEntry;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.ChainCheck;
import ledger.domain.seal.EventSeal;
import org.junit.jupiter.api.Test;

/**
 * The expiry deadline through Axon's own {@code SimpleDeadlineManager} on real time, on its own
 * thread: the deadline reaches the Transfer aggregate, its handler gets {@link LedgerCommandHandler}
 * injected, and the expiry is one event and a book entry per account, written in the deadline's
 * unit of work.
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
            assertThat(ledger.transferEvents("acme", "p1")).hasSize(2).last().satisfies(expired -> {
                assertThat(expired.getPayload())
                        .isEqualTo(new PendingTransferExpired("acme", "p1", "wallet", "equity", "5.00", "USD"));
                assertThat(expired.getMetaData().get(AuditKeys.ACTOR))
                        .isEqualTo(EventSeal.SYSTEM_ACTOR + ":" + LedgerCommandHandler.EXPIRY_DEADLINE);
            });
            List<BookEntry> entries = ledger.store().entries();
            assertThat(entries).filteredOn(e -> BookEntry.EXPIRED.equals(e.type()))
                    .extracting(e -> e.after().accountId()).containsExactly("wallet", "equity");
            // on a real clock an account's status entries carry the handler's own reading of it, not
            // their event's occurredAt (movements carry their event's): compared without their time
            assertThat(BookFromEvents.withoutStatusTimes(entries))
                    .isEqualTo(BookFromEvents.withoutStatusTimes(BookFromEvents.replay(ledger.allEvents())));
            ChainCheck.verifyAll(ledger.allEvents());
        }
    }
}
