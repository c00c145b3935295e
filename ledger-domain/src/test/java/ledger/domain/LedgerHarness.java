package ledger.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import ledger.domain.account.Account;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.book.InMemoryBookStore;
import ledger.domain.book.ScopedBook;
import ledger.domain.book.ScopedBook.Key;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountStatus;
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
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.axonframework.serialization.json.JacksonSerializer;
import org.axonframework.test.deadline.StubDeadlineManager;

/**
 * The ledger domain wired as in production but in memory: Account and Transfer event-sourced
 * aggregates on one embedded event store (with {@link SealedEventIdentity}), a {@link ScopedBook}
 * over an {@link InMemoryBookStore}, and {@link LedgerCommandHandler} as a component and command
 * handler. Every command runs in its own Axon unit of work, as on the command bus in production:
 * the book writes its entries when that unit of work commits, and drops them when it rolls back.
 * {@link #inBatch} runs commands as the group-commit bus does: each in a nested unit of work of one
 * shared root.
 *
 * <p>Time is a controllable clock ({@link GenericEventMessage#clock}) and deadlines fire only when a
 * test moves time with {@link #advanceTime(Duration)}; {@link #withRealDeadlines()} uses Axon's
 * default {@code SimpleDeadlineManager} and the system clock instead. Like that one (and unlike
 * Axon's plain stub), the stub schedules a deadline only when the unit of work that asks commits.
 *
 * <p>Whether a new transfer's id is taken is asked of the stored events only, as production's probe
 * answers it: the event store would also scan the unit of work's staged events, at a cost that
 * grows with the square of their number for each transfer of a long chain.
 *
 * <p>Why not {@code AggregateTestFixture}: its event store accepts events of one aggregate only, it
 * knows no book, and a command changes an aggregate and the book in one unit of work.
 */
public final class LedgerHarness implements AutoCloseable {
    public static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
    public static final String ACTOR = "user:tester";
    /** Committed states the book keeps in memory by default: more than any test opens. */
    public static final int CACHE_MAX = 100_000;
    /** The longest wait for an account lock taken out of order. */
    public static final long LOCK_WAIT_MS = 500;

    private final Clock previousClock;
    private final TestClock clock;
    private final StubDeadlineManager deadlines;
    private final InMemoryEventStorageEngine storage = new IndexedInMemoryEventStorageEngine();
    private final InMemoryBookStore store = new InMemoryBookStore();
    private final ScopedBook book;
    private final Configuration config;
    private final AtomicLong correlations = new AtomicLong();

    private LedgerHarness(boolean realDeadlines, int cacheMax) {
        previousClock = GenericEventMessage.clock;
        clock = realDeadlines ? null : new TestClock(START);
        deadlines = realDeadlines ? null : new CommittedStubDeadlineManager(START);
        book = new ScopedBook(store, cacheMax, LOCK_WAIT_MS);
        GenericEventMessage.clock = realDeadlines ? Clock.systemUTC() : clock;
        Configurer configurer = DefaultConfigurer.defaultConfiguration(false)
                .configureSerializer(c -> JacksonSerializer.builder().objectMapper(LedgerJson.mapper()).build())
                .configureEmbeddedEventStore(c -> storage)
                .configureAggregate(Account.class)
                .configureAggregate(Transfer.class)
                .registerComponent(LedgerCommandHandler.class, c -> new LedgerCommandHandler(
                        new LazyRepository<>(() -> c.repository(Account.class)),
                        new LazyRepository<>(() -> c.repository(Transfer.class)), book, c.deadlineManager(),
                        id -> storage.lastSequenceNumberFor(id).isPresent(), Runnable::run))
                .registerCommandHandler(c -> c.getComponent(LedgerCommandHandler.class));
        if (!realDeadlines) {
            configurer.configureDeadlineManager(c -> deadlines);
        }
        config = configurer.buildConfiguration();
        config.start();
        config.eventStore().registerDispatchInterceptor(new SealedEventIdentity());
    }

    public static LedgerHarness create() {
        return new LedgerHarness(false, CACHE_MAX);
    }

    /** With a book that keeps at most {@code cacheMax} committed states in memory (0: none). */
    public static LedgerHarness withCache(int cacheMax) {
        return new LedgerHarness(false, cacheMax);
    }

    public static LedgerHarness withRealDeadlines() {
        return new LedgerHarness(true, CACHE_MAX);
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
     * no event appended, no deadline scheduled, no book entry written, every account's state as it
     * was, and the book's view (its cache) still the store's.
     */
    public LedgerRejection reject(Object command, RejectionCode code) {
        long eventsBefore = eventCount();
        int entriesBefore = store.entryCount();
        Map<Key, AccountState> statesBefore = store.states();
        int deadlinesBefore = deadlines == null ? 0 : deadlines.getScheduledDeadlines().size();
        Throwable thrown = catchThrowable(() -> send(command));
        assertThat(thrown).as("rejection of %s", command).isInstanceOf(LedgerRejection.class);
        LedgerRejection rejection = (LedgerRejection) thrown;
        assertThat(rejection.code()).as("code of rejection \"%s\"", rejection.getMessage()).isEqualTo(code);
        assertThat(eventCount()).as("events appended by rejected %s", command).isEqualTo(eventsBefore);
        assertThat(store.entryCount()).as("book entries written by rejected %s", command).isEqualTo(entriesBefore);
        assertThat(store.states()).as("account states after rejected %s", command).isEqualTo(statesBefore);
        if (deadlines != null) {
            assertThat(deadlines.getScheduledDeadlines()).as("deadlines scheduled by rejected %s", command)
                    .hasSize(deadlinesBefore);
        }
        assertBookAgreesWithStore();
        return rejection;
    }

    /**
     * Runs {@code commands} (which {@link #send} them) as one group-commit batch: one root unit of
     * work, each command in a nested one. A refused command rolls back its own nested unit of work
     * only; the book and the event store see the batch when the root commits, after {@code commands}.
     */
    public void inBatch(Runnable commands) {
        if (CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("a batch is a root unit of work");
        }
        UnitOfWork<CommandMessage<?>> root = DefaultUnitOfWork.startAndGet(
                GenericCommandMessage.asCommandMessage("group-commit"));
        ResultMessage<?> outcome = root.executeWithResult(() -> {
            commands.run();
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        if (outcome.isExceptional()) {
            Throwable failure = outcome.exceptionResult();
            if (failure instanceof AssertionError assertion) {
                throw assertion;
            }
            throw new AssertionError("batch failed", failure);
        }
    }

    /** Inside {@link #inBatch}: the states the batch has changed so far (not written yet). */
    public Map<Key, AccountState> changedInBatch() {
        return book.changedIn(CurrentUnitOfWork.get().root());
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

    // ---- reads: events ----

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

    // ---- reads: the book ----

    public InMemoryBookStore store() {
        return store;
    }

    public ScopedBook book() {
        return book;
    }

    /** How many entries the book has written. */
    public int entryCount() {
        return store.entryCount();
    }

    /** The entries written after the first {@code skip}, in write order. */
    public List<BookEntry> entriesSince(int skip) {
        return store.entriesSince(skip);
    }

    /**
     * The account's committed state (the store's), after checking that a command would see the same
     * through the book ({@link #bookView}).
     */
    public AccountState account(String tenant, String accountId) {
        AccountState stored = store.state(tenant, accountId);
        assertThat(stored).as("stored state of account %s/%s", tenant, accountId).isNotNull();
        assertThat(bookView(tenant, accountId)).as("the book's view of account %s/%s", tenant, accountId)
                .contains(stored);
        return stored;
    }

    /**
     * What a command would decide on: the account locked (so a unit of work changing it has ended)
     * and read through the book, from its cache or its store.
     */
    public Optional<AccountState> bookView(String tenant, String accountId) {
        if (CurrentUnitOfWork.isStarted()) {
            throw new IllegalStateException("read committed states outside a unit of work");
        }
        TenantId tenantId = TenantId.of(tenant);
        AccountId account = AccountId.of(accountId);
        return inUnitOfWork(() -> {
            book.lock(tenantId, List.of(account));
            return book.find(tenantId, account);
        });
    }

    /** Checks that the book shows every stored account as stored (its cache is not stale). */
    public void assertBookAgreesWithStore() {
        store.states().forEach((key, stored) -> assertThat(bookView(key.tenant(), key.accountId()))
                .as("the book's view of account %s", key).contains(stored));
    }

    /** As {@link #assertBookAgreesWithStore()}, for one tenant's accounts. */
    public void assertBookAgreesWithStore(String tenant) {
        store.statesOfTenant(tenant).forEach((key, stored) -> assertThat(bookView(key.tenant(), key.accountId()))
                .as("the book's view of account %s", key).contains(stored));
    }

    // ---- reads: aggregates ----

    /** The status the Account aggregate holds (the book holds it too; they must agree). */
    public AccountStatus accountStatus(String tenant, String accountId) {
        String aggregateId = AggregateIds.account(TenantId.of(tenant), AccountId.of(accountId));
        return inUnitOfWork(() -> config.repository(Account.class).load(aggregateId).invoke(Account::status));
    }

    /**
     * Runs {@code change} on the Account aggregate in a unit of work of its own, as the command
     * handler would call it; returns what it threw (the unit of work then rolled back), or null.
     */
    public Throwable changeAccount(String tenant, String accountId, java.util.function.Consumer<Account> change) {
        String aggregateId = AggregateIds.account(TenantId.of(tenant), AccountId.of(accountId));
        ResultMessage<Object> result = DefaultUnitOfWork.startAndGet(null).executeWithResult(() -> {
            config.repository(Account.class).load(aggregateId).execute(change);
            return null;
        });
        return result.isExceptional() ? result.exceptionResult() : null;
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

    /**
     * Axon's stub deadline manager, scheduling as {@code SimpleDeadlineManager} does: when the unit
     * of work that asks prepares to commit, so a command that is refused or rolled back schedules
     * nothing. The id returned is not the stub's (nothing here cancels deadlines).
     */
    static final class CommittedStubDeadlineManager extends StubDeadlineManager {
        /** The id handed out at schedule time, to the stub's own id once scheduled. */
        private final Map<String, String> ids = new java.util.concurrent.ConcurrentHashMap<>();

        CommittedStubDeadlineManager(Instant start) {
            super(start);
        }

        @Override
        public String schedule(Instant triggerDateTime, String deadlineName, Object messageOrPayload,
                               ScopeDescriptor deadlineScope) {
            if (!CurrentUnitOfWork.isStarted()) {
                return super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope);
            }
            // like Axon's JDBC deadline managers: scheduled when the unit of work commits, the id known at once
            String id = "scheduled-on-commit-" + UUID.randomUUID();
            CurrentUnitOfWork.get().onPrepareCommit(
                    u -> ids.put(id, super.schedule(triggerDateTime, deadlineName, messageOrPayload, deadlineScope)));
            return id;
        }

        @Override
        public void cancelSchedule(String deadlineName, String scheduleId) {
            super.cancelSchedule(deadlineName, ids.getOrDefault(scheduleId, scheduleId));
        }
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
