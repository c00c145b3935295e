package ledger.domain.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import ledger.audit.Envelope;
import ledger.domain.event.AccountEvents.AccountClosed;
import ledger.domain.event.AccountEvents.AccountFrozen;
import ledger.domain.event.AccountEvents.AccountOpened;
import ledger.domain.event.AccountEvents.AccountUnfrozen;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountStatus;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.TenantId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.ChainCheck;
import ledger.domain.seal.EventSeal;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The Account aggregate alone, on Axon's {@link AggregateTestFixture}: its life cycle (opened,
 * frozen, unfrozen, closed), each change one sealed event. It has no command handlers: the
 * {@code LedgerCommandHandler} decides against the book (closing needs a zero balance, which the
 * book holds) and calls these methods, so the fixture constructs the aggregate and invokes them
 * ({@code whenConstructing}, {@code whenInvoking}). Each method also asserts that the aggregate's
 * own status allows the change (an {@code Error}, which the fixture cannot report: that is tested
 * on the real repository in {@link AccountTest}, with the rules as clients meet them).
 *
 * <p>Every event handler of the aggregate reads the event's seal ({@code hash} metadata), and the
 * next event is sealed onto it. So a given history is a list of {@link #sealed sealed} event
 * messages; bare given events would carry no hash and break the chain.
 */
class AccountFixtureTest {
    private static final String TENANT = "acme";
    private static final String CASH = "cash";
    private static final String AGGREGATE_ID = AggregateIds.account(TenantId.of(TENANT), AccountId.of(CASH));
    private static final AccountOpened OPENED = new AccountOpened(TENANT, CASH, "USD", 2, "ASSET", "0.00");
    private static final AccountFrozen FROZEN = new AccountFrozen(TENANT, CASH, "fraud check");
    private static final AccountUnfrozen UNFROZEN = new AccountUnfrozen(TENANT, CASH);
    private static final AccountClosed CLOSED = new AccountClosed(TENANT, CASH);

    private AggregateTestFixture<Account> fixture;

    @BeforeEach
    void createFixture() {
        fixture = new AggregateTestFixture<>(Account.class);
    }

    /**
     * {@code payloads} as the stored history of account "cash", each sealed onto the one before as
     * {@code Account} seals the events it applies (seq from 0, prevHash from the zero hash).
     */
    static List<DomainEventMessage<?>> sealed(Object... payloads) {
        List<DomainEventMessage<?>> history = new ArrayList<>();
        String prevHash = Envelope.ZERO_HASH;
        for (int seq = 0; seq < payloads.length; seq++) {
            MetaData seal = EventSeal.seal(TENANT, AggregateIds.ACCOUNT_TYPE, AGGREGATE_ID, seq, prevHash,
                    payloads[seq]);
            history.add(new GenericDomainEventMessage<>(AggregateIds.ACCOUNT_TYPE, AGGREGATE_ID, seq, payloads[seq],
                    seal));
            prevHash = (String) seal.get(AuditKeys.HASH);
        }
        return history;
    }

    /** The fixture's whole stream of "cash" after the when phase: given events, then recorded ones. */
    private List<DomainEventMessage<?>> storedStream() {
        List<DomainEventMessage<?>> stream = new ArrayList<>();
        fixture.getEventStore().readEvents(AGGREGATE_ID).asStream().forEach(stream::add);
        return stream;
    }

    private static Consumer<Account> hasStatus(AccountStatus status) {
        return account -> assertThat(account.status()).isEqualTo(status);
    }

    @Nested
    class Open {
        @Test
        void opensWithTheEventItIsGivenAndIsOpen() {
            AccountOpened opened = new AccountOpened(TENANT, CASH, "BHD", 3, "LIABILITY", "5.250");

            fixture.givenNoPriorActivity()
                    .whenConstructing(() -> new Account(AGGREGATE_ID, opened))
                    .expectSuccessfulHandlerExecution()
                    .expectEvents(opened)
                    .expectState(hasStatus(AccountStatus.OPEN));
        }

        @Test
        void sealsTheOpeningEventAsTheFirstLinkOfTheAccountsChain() {
            fixture.givenNoPriorActivity()
                    .whenConstructing(() -> new Account(AGGREGATE_ID, OPENED))
                    .expectEvents(OPENED);

            DomainEventMessage<?> opened = storedStream().get(0);
            assertThat(opened.getSequenceNumber()).isZero();
            assertThat(opened.getAggregateIdentifier()).isEqualTo(AGGREGATE_ID);
            assertThat(opened.getMetaData())
                    .containsEntry(AuditKeys.TENANT, TENANT)
                    .containsEntry(AuditKeys.EVENT_TYPE, "ledger.AccountOpened")
                    .containsEntry(AuditKeys.PREV_HASH, Envelope.ZERO_HASH);
            assertThat(ChainCheck.envelopeOf(opened).hash()).isEqualTo(opened.getMetaData().get(AuditKeys.HASH));
        }
    }

    @Nested
    class FreezeAndUnfreeze {
        @Test
        void freezesAnOpenAccount() {
            fixture.given(sealed(OPENED))
                    .whenInvoking(AGGREGATE_ID, account -> account.freeze("fraud check"))
                    .expectEvents(FROZEN)
                    .expectState(hasStatus(AccountStatus.FROZEN));
        }

        @Test
        void unfreezesAFrozenAccount() {
            fixture.given(sealed(OPENED, FROZEN))
                    .whenInvoking(AGGREGATE_ID, Account::unfreeze)
                    .expectEvents(UNFROZEN)
                    .expectState(hasStatus(AccountStatus.OPEN));
        }

        @Test
        void freezesAgainAfterAnUnfreeze() {
            fixture.given(sealed(OPENED, FROZEN, UNFROZEN))
                    .whenInvoking(AGGREGATE_ID, account -> account.freeze("again"))
                    .expectEvents(new AccountFrozen(TENANT, CASH, "again"))
                    .expectState(hasStatus(AccountStatus.FROZEN));
        }
    }

    @Nested
    class Close {
        @Test
        void closesAnOpenAccount() {
            fixture.given(sealed(OPENED))
                    .whenInvoking(AGGREGATE_ID, Account::close)
                    .expectEvents(CLOSED)
                    .expectState(hasStatus(AccountStatus.CLOSED));
        }

        @Test
        void closesAFrozenAccount() {
            fixture.given(sealed(OPENED, FROZEN))
                    .whenInvoking(AGGREGATE_ID, Account::close)
                    .expectEvents(CLOSED)
                    .expectState(hasStatus(AccountStatus.CLOSED));
        }

        @Test
        void sealsTheClosingEventOntoTheGivenChain() {
            fixture.given(sealed(OPENED, FROZEN, UNFROZEN))
                    .whenInvoking(AGGREGATE_ID, Account::close)
                    .expectEvents(CLOSED);

            List<DomainEventMessage<?>> stream = storedStream();
            DomainEventMessage<?> closed = stream.get(3);
            assertThat(closed.getSequenceNumber()).isEqualTo(3);
            assertThat(closed.getMetaData().get(AuditKeys.PREV_HASH))
                    .isEqualTo(stream.get(2).getMetaData().get(AuditKeys.HASH));
            assertThat(ChainCheck.envelopeOf(closed).hash()).isEqualTo(closed.getMetaData().get(AuditKeys.HASH));
        }
    }
}
