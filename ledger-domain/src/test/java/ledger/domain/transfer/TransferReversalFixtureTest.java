package ledger.domain.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import ledger.audit.Envelope;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.event.TransferEvents.ReversalPosted;
import ledger.domain.event.TransferEvents.TransferPosted;
import ledger.domain.event.TransferEvents.TransferReversed;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.EventSeal;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Transfer aggregate's side of a reversal on Axon's {@link AggregateTestFixture}: a reversal is
 * created by its own event naming the original, and the original records each reversal, so what is
 * left to reverse follows from its events. (The rules a client meets are in {@link ReversalTest}.)
 */
class TransferReversalFixtureTest {
    private static final String TENANT = "acme";
    private static final String T1 = AggregateIds.transfer(TenantId.of(TENANT), TransferId.of("t1"));
    private static final String R1 = AggregateIds.transfer(TenantId.of(TENANT), TransferId.of("t1.r1"));
    private static final TransferPosted POSTED = new TransferPosted(TENANT, "t1", Transfer.KIND_TRANSFER,
            List.of(new Leg("cash", "debit", "10.00", "USD"), new Leg("equity", "credit", "10.00", "USD")), Map.of());

    private AggregateTestFixture<Transfer> fixture;

    @BeforeEach
    void createFixture() {
        fixture = new AggregateTestFixture<>(Transfer.class);
    }

    private static List<DomainEventMessage<?>> sealed(String aggregateId, Object... payloads) {
        List<DomainEventMessage<?>> history = new ArrayList<>();
        String prevHash = Envelope.ZERO_HASH;
        for (int seq = 0; seq < payloads.length; seq++) {
            MetaData seal = EventSeal.seal(TENANT, AggregateIds.TRANSFER_TYPE, aggregateId, seq, prevHash,
                    payloads[seq]);
            history.add(new GenericDomainEventMessage<>(AggregateIds.TRANSFER_TYPE, aggregateId, seq, payloads[seq],
                    seal));
            prevHash = (String) seal.get(AuditKeys.HASH);
        }
        return history;
    }

    private static Consumer<Transfer> reversed(long minor, String... ids) {
        return t -> {
            assertThat(t.snapshot().reversedMinor()).isEqualTo(minor);
            assertThat(t.snapshot().reversals()).extracting(TransferSnapshot.Reversal::transferId).containsExactly(ids);
        };
    }

    @Test
    void aReversalIsCreatedByItsOwnEventNamingTheOriginal() {
        ReversalPosted reversal = new ReversalPosted(TENANT, "t1.r1", "t1",
                List.of(new Leg("equity", "debit", "4.00", "USD"), new Leg("cash", "credit", "4.00", "USD")));
        fixture.givenNoPriorActivity()
                .whenConstructing(() -> new Transfer(R1, reversal))
                .expectEvents(reversal)
                .expectState(t -> {
                    assertThat(t.snapshot().kind()).isEqualTo(TransferSnapshot.KIND_REVERSAL);
                    assertThat(t.snapshot().reversalOf()).isEqualTo("t1");
                    assertThat(t.status()).isEqualTo(TransferStatus.POSTED);
                });
    }

    @Test
    void theOriginalRecordsEachReversalAndWhatItTookBack() {
        TransferReversed first = new TransferReversed(TENANT, "t1", "t1.r1", "4.00", "USD");
        fixture.given(sealed(T1, POSTED))
                .whenInvoking(T1, t -> t.markReversed("t1.r1", "4.00", "USD"))
                .expectEvents(first)
                .expectState(reversed(400, "t1.r1"));

        fixture = new AggregateTestFixture<>(Transfer.class);
        fixture.given(sealed(T1, POSTED, first))
                .whenInvoking(T1, t -> t.markReversed("t1.r2", "6.00", "USD"))
                .expectEvents(new TransferReversed(TENANT, "t1", "t1.r2", "6.00", "USD"))
                .expectState(reversed(1000, "t1.r1", "t1.r2"));
    }
}
