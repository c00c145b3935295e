package ledger.domain.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.PendingTransferExpired;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.event.TransferEvents.PendingTransferVoided;
import ledger.domain.event.TransferEvents.TransferPending;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.Side;
import org.junit.jupiter.api.Test;

/** {@link TransferSnapshot#fold}: the one place that says how each event changes a transfer. */
class TransferSnapshotTest {
    private static final String TENANT = "acme";
    private static final String CREATED = "2030-01-01T00:00:00.000000Z";
    private static final String LATER = "2030-01-01T00:05:00.000000Z";
    private static final TransferPending PENDING = new TransferPending(TENANT, "p1", "merchant", "wallet", "30.00",
            "USD", "2030-01-01T00:15:00.000000Z", Map.of("order", "A-17"));

    private static TransferSnapshot pending() {
        return TransferSnapshot.fold(null, PENDING, CREATED);
    }

    @Test
    void aPostedTransferOrEntryIsCreatedPostedWithItsLegs() {
        List<Leg> legs = List.of(new Leg("cash", "debit", "1.00", "USD"), new Leg("fees", "credit", "0.30", "USD"),
                new Leg("equity", "credit", "0.70", "USD"));

        TransferSnapshot entry = TransferSnapshot.fold(null,
                new TransferPosted(TENANT, "e1", Transfer.KIND_ENTRY, legs, Map.of("k", "v")), CREATED);

        assertThat(entry).isEqualTo(new TransferSnapshot(TENANT, "e1", Transfer.KIND_ENTRY, TransferStatus.POSTED,
                legs, null, null, Map.of("k", "v"), CREATED));
        assertThat(entry.leg(Side.DEBIT).accountId()).isEqualTo("cash");
        assertThat(entry.leg(Side.CREDIT).accountId()).as("the first credit leg").isEqualTo("fees");
    }

    @Test
    void aPendingTransferHasADebitAndACreditLegOfItsAmount() {
        assertThat(pending()).isEqualTo(new TransferSnapshot(TENANT, "p1", Transfer.KIND_TRANSFER,
                TransferStatus.PENDING, List.of(new Leg("merchant", "debit", "30.00", "USD"),
                new Leg("wallet", "credit", "30.00", "USD")), null, "2030-01-01T00:15:00.000000Z",
                Map.of("order", "A-17"), CREATED));
    }

    @Test
    void postingAPendingTransferKeepsWhatItWasAndAddsWhatWasPosted() {
        TransferSnapshot posted = TransferSnapshot.fold(pending(),
                new PendingTransferPosted(TENANT, "p1", "merchant", "wallet", "30.00", "10.50", "USD"), LATER);

        assertThat(posted.status()).isEqualTo(TransferStatus.POSTED);
        assertThat(posted.postedAmount()).isEqualTo("10.50");
        assertThat(posted.createdAt()).as("the creation's time").isEqualTo(CREATED);
        assertThat(posted.legs()).isEqualTo(pending().legs());
        assertThat(posted.expiresAt()).isEqualTo(pending().expiresAt());
        assertThat(posted.metadata()).isEqualTo(pending().metadata());
    }

    @Test
    void voidingOrExpiringEndsItWithNothingPosted() {
        TransferSnapshot voided = TransferSnapshot.fold(pending(),
                new PendingTransferVoided(TENANT, "p1", "merchant", "wallet", "30.00", "USD"), LATER);
        TransferSnapshot expired = TransferSnapshot.fold(pending(),
                new PendingTransferExpired(TENANT, "p1", "merchant", "wallet", "30.00", "USD"), LATER);

        assertThat(voided).isEqualTo(withStatus(pending(), TransferStatus.VOIDED));
        assertThat(expired).isEqualTo(withStatus(pending(), TransferStatus.EXPIRED));
    }

    private static TransferSnapshot withStatus(TransferSnapshot s, TransferStatus status) {
        return new TransferSnapshot(s.tenant(), s.transferId(), s.kind(), status, s.legs(), null, s.expiresAt(),
                s.metadata(), s.createdAt());
    }

    @Test
    void aTransferIsCreatedOnceAndOnlyAPendingOneChangesAfterwards() {
        TransferSnapshot posted = TransferSnapshot.fold(pending(),
                new PendingTransferPosted(TENANT, "p1", "merchant", "wallet", "30.00", "30.00", "USD"), LATER);

        assertThatThrownBy(() -> TransferSnapshot.fold(pending(), PENDING, LATER))
                .isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> TransferSnapshot.fold(null,
                new PendingTransferVoided(TENANT, "p1", "merchant", "wallet", "30.00", "USD"), LATER))
                .isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> TransferSnapshot.fold(posted,
                new PendingTransferVoided(TENANT, "p1", "merchant", "wallet", "30.00", "USD"), LATER))
                .isInstanceOf(InvariantViolation.class);
        assertThatThrownBy(() -> TransferSnapshot.fold(posted,
                new PendingTransferPosted(TENANT, "p1", "merchant", "wallet", "30.00", "1.00", "USD"), LATER))
                .isInstanceOf(InvariantViolation.class);
    }

    @Test
    void anEventOfAnotherAggregateIsNoTransferEvent() {
        assertThatThrownBy(() -> TransferSnapshot.fold(pending(), new AccountFrozen(TENANT, "cash", "x"), LATER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSnapshotDoesNotChangeWithTheEventItCameFrom() {
        List<Leg> legs = new ArrayList<>(List.of(new Leg("cash", "debit", "1.00", "USD"),
                new Leg("equity", "credit", "1.00", "USD")));
        Map<String, String> metadata = new HashMap<>(Map.of("k", "v"));
        TransferSnapshot snapshot = TransferSnapshot.fold(null,
                new TransferPosted(TENANT, "t1", Transfer.KIND_TRANSFER, legs, metadata), CREATED);

        legs.clear();
        metadata.put("k2", "v2");

        assertThat(snapshot.legs()).hasSize(2);
        assertThat(snapshot.metadata()).containsOnlyKeys("k");
    }

    @Test
    void aTransferWithoutALegOnASideSaysSo() {
        TransferSnapshot odd = new TransferSnapshot(TENANT, "t1", Transfer.KIND_ENTRY, TransferStatus.POSTED,
                List.of(new Leg("cash", "debit", "1.00", "USD")), null, null, Map.of(), CREATED);

        assertThatThrownBy(() -> odd.leg(Side.CREDIT)).isInstanceOf(IllegalStateException.class);
    }
}
