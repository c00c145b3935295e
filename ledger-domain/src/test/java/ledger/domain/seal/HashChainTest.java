package ledger.domain.seal;

import static ledger.domain.Commands.JPY;
import static ledger.domain.Commands.USD;
import static ledger.domain.Commands.credit;
import static ledger.domain.Commands.debit;
import static ledger.domain.Commands.money;
import static ledger.domain.Commands.usd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import ledger.audit.Envelope;
import ledger.domain.Commands;
import ledger.domain.LedgerHarness;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.TransferEvents.PendingTransferPosted;
import ledger.domain.model.Invariants.InvariantViolation;
import ledger.domain.model.RejectionCode;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every applied event is sealed into its aggregate's hash chain (AUDIT-CHAIN.md §1), and the
 * chain can be recomputed from the stored events alone ({@link ChainCheck}).
 */
class HashChainTest {
    private static final String TENANT = "acme";
    private final Commands acme = Commands.forTenant(TENANT);
    private LedgerHarness ledger;

    @BeforeEach
    void start() {
        ledger = LedgerHarness.create();
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    /** One of everything: each event type of both aggregates, with rejections in between. */
    private void everyKindOfEvent() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openSource("equity-jpy", JPY));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.openAsset("cash-jpy", JPY));
        ledger.send(acme.openAsset("spare", USD));
        ledger.send(acme.transfer("t1", "cash", "equity", usd("100.00")));
        ledger.reject(acme.transfer("t2", "equity", "cash", usd("100.01")), RejectionCode.INSUFFICIENT_FUNDS);
        ledger.send(acme.entry("e1", debit("cash", "5.00"), credit("equity", "5.00"),
                debit("cash-jpy", "700"), credit("equity-jpy", "700")));
        ledger.send(acme.pending("p1", "equity", "cash", usd("10.00"), Duration.ofMinutes(1)));
        ledger.send(acme.pending("p2", "equity", "cash", usd("10.00"), Duration.ofMinutes(1)));
        ledger.send(acme.pending("p3", "equity", "cash", usd("10.00"), Duration.ofMinutes(1)));
        ledger.send(acme.post("p1", "2.50"));
        ledger.reject(acme.post("p1", null), RejectionCode.TRANSFER_NOT_PENDING);
        ledger.send(acme.voidPending("p2"));
        ledger.advanceTime(Duration.ofMinutes(1));
        ledger.send(acme.freeze("cash"));
        ledger.send(acme.freeze("cash"));
        ledger.send(acme.unfreeze("cash"));
        ledger.send(acme.close("spare"));
        ledger.reject(acme.close("spare"), RejectionCode.ACCOUNT_CLOSED);
    }

    @Test
    void everyAggregatesChainRecomputesFromItsStoredEvents() {
        everyKindOfEvent();

        List<DomainEventMessage<?>> events = ledger.allEvents();
        Set<String> types = events.stream().map(e -> (String) e.getMetaData().get(AuditKeys.EVENT_TYPE))
                .collect(Collectors.toSet());
        assertThat(types).containsExactlyInAnyOrder("ledger.AccountOpened", "ledger.AccountFrozen",
                "ledger.AccountUnfrozen", "ledger.AccountClosed", "ledger.TransferPosted",
                "ledger.TransferPending", "ledger.PendingTransferPosted", "ledger.PendingTransferVoided",
                "ledger.PendingTransferExpired");
        Map<String, List<DomainEventMessage<?>>> chains = ChainCheck.byAggregate(events);
        assertThat(chains).hasSize(10);
        assertThat(chains.get("acme/account/cash")).as("an account's chain is its life cycle")
                .extracting(e -> e.getMetaData().get(AuditKeys.EVENT_TYPE))
                .containsExactly("ledger.AccountOpened", "ledger.AccountFrozen", "ledger.AccountUnfrozen");
        assertThat(chains.get("acme/transfer/p1")).extracting(e -> e.getMetaData().get(AuditKeys.EVENT_TYPE))
                .containsExactly("ledger.TransferPending", "ledger.PendingTransferPosted");
        assertThat(chains.get("acme/transfer/p3")).extracting(e -> e.getMetaData().get(AuditKeys.EVENT_TYPE))
                .containsExactly("ledger.TransferPending", "ledger.PendingTransferExpired");
        ChainCheck.verifyAll(events);
    }

    @Test
    void chainsReadBackThroughTheEventStoreAreTheSame() {
        everyKindOfEvent();

        for (String id : ChainCheck.byAggregate(ledger.allEvents()).keySet()) {
            ChainCheck.verifyChain(id, ledger.events(id));
        }
    }

    @Test
    void theFirstEventOfAnAggregateLinksToTheZeroHash() {
        ledger.send(acme.openAsset("cash", USD));

        DomainEventMessage<?> opened = ledger.accountEvents(TENANT, "cash").get(0);
        assertThat(opened.getMetaData().get(AuditKeys.PREV_HASH)).isEqualTo(Envelope.ZERO_HASH);
        assertThat(opened.getSequenceNumber()).isZero();
        assertThat((String) opened.getMetaData().get(AuditKeys.HASH)).matches("[0-9a-f]{64}");
    }

    @Test
    void auditMetaComesFromTheCommandsActorAndCorrelationId() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));

        ledger.send(acme.transfer("t1", "cash", "equity", usd("1.00")), "user:alice", "req-42");

        ledger.send(acme.freeze("cash"), "user:bob", "req-43");

        List<DomainEventMessage<?>> caused = List.of(ledger.transferEvents(TENANT, "t1").get(0));
        assertThat(ledger.accountEvents(TENANT, "cash")).as("a transfer adds nothing to its accounts' chains")
                .hasSize(2);
        assertThat(ledger.accountEvents(TENANT, "cash").get(1).getMetaData())
                .containsEntry(AuditKeys.ACTOR, "user:bob").containsEntry(AuditKeys.CORRELATION_ID, "req-43");
        assertThat(caused).allSatisfy(e -> {
            assertThat(e.getMetaData()).containsEntry(AuditKeys.ACTOR, "user:alice");
            assertThat(e.getMetaData()).containsEntry(AuditKeys.CORRELATION_ID, "req-42");
            assertThat(e.getMetaData()).containsEntry(AuditKeys.TENANT, TENANT);
            assertThat(ChainCheck.envelopeOf(e).meta())
                    .isEqualTo(Map.of(AuditKeys.ACTOR, "user:alice", AuditKeys.CORRELATION_ID, "req-42"));
        });
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void aCommandWithoutAuditMetadataIsAttributedToTheSystemAndItsOwnId() {
        ledger.sendMessage(LedgerHarness.bareCommand("cmd-7", acme.openAsset("cash", USD)));

        DomainEventMessage<?> opened = ledger.accountEvents(TENANT, "cash").get(0);
        assertThat(opened.getMetaData()).containsEntry(AuditKeys.ACTOR, EventSeal.SYSTEM_ACTOR);
        assertThat(opened.getMetaData()).containsEntry(AuditKeys.CORRELATION_ID, "cmd-7");
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void theStoredEventIdAndTimestampAreTheEnvelopes() {
        ledger.advanceClockOnly(Duration.ofNanos(1_234_567_891));
        ledger.send(acme.openAsset("cash", USD));

        DomainEventMessage<?> opened = ledger.accountEvents(TENANT, "cash").get(0);
        assertThat(opened.getMetaData().get(AuditKeys.OCCURRED_AT)).isEqualTo("2030-01-01T00:00:01.234567Z");
        assertThat(opened.getTimestamp()).isEqualTo("2030-01-01T00:00:01.234567Z");
        assertThat(opened.getIdentifier()).isEqualTo(opened.getMetaData().get(AuditKeys.EVENT_ID));
    }

    @Test
    void theEnvelopeHoldsAmountsAsStringsAndTheScaleAsAnInteger() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.transfer("t1", "cash", "equity", usd("1234.50")));
        ledger.send(acme.pending("p1", "cash", "equity", usd("10.00"), null));
        ledger.send(acme.post("p1", "2.5"));

        JsonNode opened = ChainCheck.envelopeOf(ledger.accountEvents(TENANT, "cash").get(0)).toJson();
        JsonNode posted = ChainCheck.envelopeOf(ledger.transferEvents(TENANT, "t1").get(0)).toJson();
        JsonNode postedPending = ChainCheck.envelopeOf(ledger.transferEvents(TENANT, "p1").get(1)).toJson();
        assertThat(opened.get("payload").get("minorUnits").isIntegralNumber()).isTrue();
        JsonNode leg = posted.get("payload").get("legs").get(0);
        assertThat(leg.get("amount").isTextual()).isTrue();
        assertThat(leg.get("amount").textValue()).isEqualTo("1234.50");
        assertThat(leg.get("accountId").textValue()).isEqualTo("cash");
        assertThat(posted.get("aggregateType").textValue()).isEqualTo("Transfer");
        assertThat(posted.get("aggregateId").textValue()).isEqualTo("acme/transfer/t1");
        assertThat(posted.get("eventType").textValue()).isEqualTo("ledger.TransferPosted");
        assertThat(postedPending.get("payload").get("reserved").textValue()).isEqualTo("10.00");
        assertThat(postedPending.get("payload").get("amount").textValue()).isEqualTo("2.50");
        assertThat(postedPending.get("payload").get("debitAccount").textValue()).isEqualTo("cash");
        assertThat(postedPending.get("payload").get("creditAccount").textValue()).isEqualTo("equity");
    }

    @Test
    void aRejectedCommandLeavesEveryChainHeadWhereItWas() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.pending("p1", "cash", "equity", usd("10.00"), null));
        String head = (String) ledger.transferEvents(TENANT, "p1").get(0).getMetaData().get(AuditKeys.HASH);

        ledger.reject(acme.post("p1", "10.01"), RejectionCode.AMOUNT_INVALID);
        ledger.send(acme.post("p1", "10.00"));

        DomainEventMessage<?> next = ledger.transferEvents(TENANT, "p1").get(1);
        assertThat(next.getSequenceNumber()).isEqualTo(1);
        assertThat(next.getMetaData().get(AuditKeys.PREV_HASH)).isEqualTo(head);
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void aRejectedTransferStartsNoChainAndItsIdStartsOneLater() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));

        ledger.reject(acme.entry("e1", debit("equity", "1.00"), credit("cash", "1.00")),
                RejectionCode.INSUFFICIENT_FUNDS);
        assertThat(ledger.transferEvents(TENANT, "e1")).isEmpty();
        ledger.send(acme.entry("e1", debit("cash", "1.00"), credit("equity", "1.00")));

        DomainEventMessage<?> first = ledger.transferEvents(TENANT, "e1").get(0);
        assertThat(first.getSequenceNumber()).isZero();
        assertThat(first.getMetaData().get(AuditKeys.PREV_HASH)).isEqualTo(Envelope.ZERO_HASH);
        assertThat(ledger.accountEvents(TENANT, "cash")).hasSize(1);
        ChainCheck.verifyAll(ledger.allEvents());
    }

    @Test
    void chainsOfDifferentTenantsAreSeparate() {
        Commands globex = Commands.forTenant("globex");
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(globex.openAsset("cash", USD));

        assertThat(ledger.eventsOfTenant("globex")).singleElement()
                .satisfies(e -> assertThat(e.getAggregateIdentifier()).isEqualTo("globex/account/cash"));
        ChainCheck.verifyAll(ledger.eventsOfTenant("acme"));
        ChainCheck.verifyAll(ledger.eventsOfTenant("globex"));
    }

    // ---- the check itself detects tampering, so the tests above can fail ----

    /** The chain of account "cash": opened, frozen, unfrozen, frozen again. */
    private List<DomainEventMessage<?>> cashChain() {
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.freeze("cash"));
        ledger.send(acme.unfreeze("cash"));
        ledger.send(acme.freeze("cash"));
        return ledger.accountEvents(TENANT, "cash");
    }

    /** The chain of pending transfer "p1": reserved 10.00, then 4.00 of it posted. */
    private List<DomainEventMessage<?>> holdChain() {
        ledger.send(acme.openSource("equity", USD));
        ledger.send(acme.openAsset("cash", USD));
        ledger.send(acme.pending("p1", "cash", "equity", money("10.00", USD), null));
        ledger.send(acme.post("p1", "4.00"));
        return ledger.transferEvents(TENANT, "p1");
    }

    private static DomainEventMessage<?> withPayload(DomainEventMessage<?> event, Object payload) {
        return new GenericDomainEventMessage<>(event.getType(), event.getAggregateIdentifier(),
                event.getSequenceNumber(), payload, event.getMetaData(), event.getIdentifier(), event.getTimestamp());
    }

    private static DomainEventMessage<?> withMetaData(DomainEventMessage<?> event, String key, String value) {
        Map<String, Object> metaData = new HashMap<>(event.getMetaData());
        metaData.put(key, value);
        return new GenericDomainEventMessage<>(event.getType(), event.getAggregateIdentifier(),
                event.getSequenceNumber(), event.getPayload(), MetaData.from(metaData), event.getIdentifier(),
                event.getTimestamp());
    }

    @Test
    void detectsAChangedPayload() {
        List<DomainEventMessage<?>> chain = new ArrayList<>(holdChain());
        ChainCheck.verifyChain("p1", chain);
        PendingTransferPosted posted = (PendingTransferPosted) chain.get(1).getPayload();
        chain.set(1, withPayload(chain.get(1), new PendingTransferPosted(posted.tenant(), posted.transferId(),
                posted.debitAccount(), posted.creditAccount(), posted.reserved(), "10.00", posted.currency())));

        assertThatThrownBy(() -> ChainCheck.verifyChain("p1", chain)).hasMessageContaining("recomputed hash");
    }

    @Test
    void detectsAChangedLifeCycleEvent() {
        List<DomainEventMessage<?>> chain = new ArrayList<>(cashChain());
        chain.set(1, withPayload(chain.get(1), new AccountFrozen(TENANT, "cash", "nothing to see")));

        assertThatThrownBy(() -> ChainCheck.verifyChain("cash", chain)).hasMessageContaining("recomputed hash");
    }

    @Test
    void detectsChangedAuditMetadata() {
        List<DomainEventMessage<?>> chain = new ArrayList<>(cashChain());
        chain.set(2, withMetaData(chain.get(2), AuditKeys.ACTOR, "user:mallory"));

        assertThatThrownBy(() -> ChainCheck.verifyChain("cash", chain)).hasMessageContaining("recomputed hash");
    }

    @Test
    void detectsARemovedOrReorderedEvent() {
        List<DomainEventMessage<?>> removed = new ArrayList<>(cashChain());
        removed.remove(1);
        List<DomainEventMessage<?>> reordered = new ArrayList<>(ledger.accountEvents(TENANT, "cash"));
        reordered.add(1, reordered.remove(2));

        assertThatThrownBy(() -> ChainCheck.verifyChain("cash", removed)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> ChainCheck.verifyChain("cash", reordered)).isInstanceOf(AssertionError.class);
    }

    @Test
    void detectsARelinkedEventWhoseHashWasNotRecomputed() {
        List<DomainEventMessage<?>> chain = new ArrayList<>(cashChain());
        chain.set(2, withMetaData(chain.get(2), AuditKeys.PREV_HASH, Envelope.ZERO_HASH.replace('0', 'a')));

        assertThatThrownBy(() -> ChainCheck.verifyChain("cash", chain)).hasMessageContaining("prevHash");
    }

    @Test
    void anEventTypeIsDeclaredNeverGuessedFromTheClassName() {
        record Undeclared(String tenant) {
        }

        assertThatThrownBy(() -> EventSeal.eventTypeOf(new Undeclared("acme")))
                .isInstanceOf(InvariantViolation.class);
    }
}
