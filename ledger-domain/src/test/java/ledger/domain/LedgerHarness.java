package ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import ledger.domain.account.Account;
import ledger.domain.account.AccountSnapshot;
import ledger.domain.model.AccountId;
import ledger.domain.model.AggregateIds;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.seal.AuditKeys;
import ledger.domain.seal.LedgerJson;
import ledger.domain.seal.SealedEventIdentity;
import ledger.domain.transfer.LedgerCommandHandler;
import ledger.domain.transfer.Transfer;
import ledger.domain.transfer.TransferSnapshot;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.config.Configuration;
import org.axonframework.config.Configurer;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.deadline.DeadlineMessage;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventhandling.TrackingToken;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.GenericMessage;
import org.axonframework.messaging.MetaData;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.ScopeDescriptor;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.deadline.StubDeadlineManager;

/**
 * The ledger domain wired as in production but in memory: Account and Transfer event-sourced
 * aggregates on one embedded event store (with {@link SealedEventIdentity}), and
 * {@link LedgerCommandHandler} as a component and command handler. Time is a controllable clock
 * ({@link GenericEventMessage#clock}) and deadlines fire only when a test moves time with
 * {@link #advanceTime(Duration)}; {@link #withRealDeadlines()} uses Axon's default
 * {@code SimpleDeadlineManager} and the system clock instead.
 *
 * <p>Why not {@code AggregateTestFixture}: its event store accepts events of one aggregate only,
 * and a transfer changes a Transfer and its Accounts in one unit of work.
 */
public final class LedgerHarness implements AutoCloseable {
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    public static final String ACTOR = "user:tester";

    private final Clock previousClock;
    private final TestClock clock;
    private final StubDeadlineManager deadlines;
    private final InMemoryEventStorageEngine storage = new IndexedInMemoryEventStorageEngine();
    private final Configuration config;
    private final AtomicLong correlations = new AtomicLong();

    private LedgerHarness(boolean realDeadlines) {
        previousClock = GenericEventMessage.clock;
        clock = realDeadlines ? null : new TestClock(START);
        deadlines = realDeadlines ? null : new StubDeadlineManager(START);
        GenericEventMessage.clock = realDeadlines ? Clock.systemUTC() : clock;
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(LedgerJson.mapper()).build())
                .configureEmbeddedEventStore(c -> storage)
                .configureAggregate(Account.class)
                .configureAggregate(Transfer.class)
                .registerComponent(LedgerCommandHandler.class, c -> new LedgerCommandHandler(
                        new LazyRepository<>(() -> c.repository(Account.class)),
                        new LazyRepository<>(() -> c.repository(Transfer.class)), c.deadlineManager(),
                        id -> c.eventStore().lastSequenceNumberFor(id).isPresent()))
                .registerCommandHandler(c -> c.getComponent(LedgerCommandHandler.class));
        if (!realDeadlines) {
            configurer.configureDeadlineManager(c -> deadlines);
        }
        config = configurer.buildConfiguration();
        config.start();
        config.eventStore().registerDispatchInterceptor(new SealedEventIdentity());
    }

    public static LedgerHarness create() {
        return new LedgerHarness(false);
    }

    public static LedgerHarness withRealDeadlines() {
        return new LedgerHarness(true);
    }

    @Override
    public void close() {
        try {
            config.shutdown();
        } finally {
            GenericEventMessage.clock = previousClock;
        }
    }

    // ---- commands ----

    /** Sends a command as {@link #ACTOR} with a fresh correlation id and returns its result. */
    public <R> R send(Object command) {
        return send(command, ACTOR, "corr-" + correlations.incrementAndGet());
    }

    public <R> R send(Object command, String actor, String correlationId) {
        return sendMessage(GenericCommandMessage.asCommandMessage(command)
                .andMetaData(MetaData.with(AuditKeys.ACTOR, actor).and(AuditKeys.CORRELATION_ID, correlationId)));
    }

    /** Sends a command message exactly as given (identifier and metadata included). */
    public <R> R sendMessage(CommandMessage<?> message) {
        return config.commandGateway().sendAndWait(message);
    }

    /** A command message with a known identifier and no audit metadata. */
    public static CommandMessage<Object> bareCommand(String identifier, Object payload) {
        return new GenericCommandMessage<>(new GenericMessage<>(identifier, payload, MetaData.emptyInstance()),
                payload.getClass().getName());
    }

    /**
     * Sends a command that must be rejected with {@code code}, and proves that it changed nothing:
     * no event appended and no deadline scheduled.
     */
    public LedgerRejection reject(Object command, RejectionCode code) {
        long eventsBefore = eventCount();
        int deadlinesBefore = deadlines == null ? 0 : deadlines.getScheduledDeadlines().size();
        Throwable thrown = catchThrowable(() -> send(command));
        assertThat(thrown).as("rejection of %s", command).isInstanceOf(LedgerRejection.class);
        LedgerRejection rejection = (LedgerRejection) thrown;
        assertThat(rejection.code()).as("code of rejection \"%s\"", rejection.getMessage()).isEqualTo(code);
        assertThat(eventCount()).as("events appended by rejected %s", command).isEqualTo(eventsBefore);
        if (deadlines != null) {
            assertThat(deadlines.getScheduledDeadlines()).as("deadlines scheduled by rejected %s", command)
                    .hasSize(deadlinesBefore);
        }
        return rejection;
    }

    // ---- time ----

    public Instant now() {
        return GenericEventMessage.clock.instant();
    }

    /** Moves time forward and fires, in order and each in its own unit of work, every deadline due. */
    public void advanceTime(Duration duration) {
        requireControlledTime();
        Instant target = clock.instant().plus(duration);
        deadlines.advanceTimeTo(target, this::fire);
        clock.set(target);
    }

    /** Moves the clock without firing deadlines: a deadline that is late, as a scheduler may be. */
    public void advanceClockOnly(Duration duration) {
        requireControlledTime();
        clock.set(clock.instant().plus(duration));
    }

    public StubDeadlineManager deadlines() {
        requireControlledTime();
        return deadlines;
    }

    private void fire(ScopeDescriptor scope, DeadlineMessage<?> deadline) {
        Instant due = deadlines.getCurrentDateTime();
        if (due.isAfter(clock.instant())) {
            clock.set(due);
        }
        // as SimpleDeadlineManager: one unit of work per deadline, its message the deadline message
        DefaultUnitOfWork<DeadlineMessage<?>> unitOfWork = DefaultUnitOfWork.startAndGet(deadline);
        ResultMessage<?> result = unitOfWork.executeWithResult(() -> {
            config.scopeAwareProvider().provideScopeAwareStream(scope)
                    .filter(component -> component.canResolve(scope))
                    .forEach(component -> {
                        try {
                            component.send(deadline, scope);
                        } catch (Exception e) {
                            throw new IllegalStateException("deadline " + deadline.getDeadlineName() + " failed", e);
                        }
                    });
            return null;
        });
        if (result.isExceptional()) {
            throw new AssertionError("deadline " + deadline.getDeadlineName() + " failed", result.exceptionResult());
        }
    }

    private void requireControlledTime() {
        if (clock == null) {
            throw new IllegalStateException("this harness runs on real time");
        }
    }

    // ---- reads ----

    /** How many events the store holds (tokens count from 0 without gaps). */
    public long eventCount() {
        TrackingToken head = storage.createHeadToken();
        return head == null ? 0 : ((GlobalSequenceTrackingToken) head).getGlobalIndex() + 1;
    }

    /** The events stored after the first {@code skip} events, in store order. */
    public List<DomainEventMessage<?>> eventsSince(long skip) {
        TrackingToken after = skip == 0 ? null : new GlobalSequenceTrackingToken(skip - 1);
        return storage.readEvents(after, false).<DomainEventMessage<?>>map(e -> (DomainEventMessage<?>) e).toList();
    }

    /** Every stored event, in store order. */
    public List<DomainEventMessage<?>> allEvents() {
        return storage.readEvents(null, false).<DomainEventMessage<?>>map(e -> (DomainEventMessage<?>) e).toList();
    }

    /** Stored events of one tenant, in store order. */
    public List<DomainEventMessage<?>> eventsOfTenant(String tenant) {
        return allEvents().stream().filter(e -> tenant.equals(e.getMetaData().get(AuditKeys.TENANT))).toList();
    }

    public List<DomainEventMessage<?>> events(String aggregateId) {
        return config.eventStore().readEvents(aggregateId).asStream().<DomainEventMessage<?>>map(e -> e).toList();
    }

    public List<DomainEventMessage<?>> accountEvents(String tenant, String accountId) {
        return events(AggregateIds.account(TenantId.of(tenant), AccountId.of(accountId)));
    }

    public List<DomainEventMessage<?>> transferEvents(String tenant, String transferId) {
        return events(AggregateIds.transfer(TenantId.of(tenant), TransferId.of(transferId)));
    }

    /** Payloads of the events stored after the first {@code skip} events. */
    public List<Object> payloadsSince(long skip) {
        return eventsSince(skip).stream().map(e -> (Object) e.getPayload()).toList();
    }

    public AccountSnapshot account(String tenant, String accountId) {
        String aggregateId = AggregateIds.account(TenantId.of(tenant), AccountId.of(accountId));
        return inUnitOfWork(() -> config.repository(Account.class).load(aggregateId).invoke(Account::snapshot));
    }

    public TransferSnapshot transfer(String tenant, String transferId) {
        String aggregateId = AggregateIds.transfer(TenantId.of(tenant), TransferId.of(transferId));
        return inUnitOfWork(() -> config.repository(Transfer.class).load(aggregateId).invoke(Transfer::snapshot));
    }

    private static <R> R inUnitOfWork(Callable<R> read) {
        ResultMessage<R> result = DefaultUnitOfWork.startAndGet(null).executeWithResult(read);
        if (result.isExceptional()) {
            throw new AssertionError("read failed", result.exceptionResult());
        }
        return result.getPayload();
    }

    /** A fresh id for tests that share one harness. */
    public static String uniqueTenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A clock the test moves; reads are thread-safe. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant start) {
            this.now = start;
        }

        void set(Instant instant) {
            this.now = instant;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
