package ledger.api.command;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.HashSet;
import java.util.Set;
import ledger.api.metrics.LedgerMetrics;
import ledger.domain.book.ScopedBook;
import ledger.projections.TransactionWrites;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.ReverseTransfer;
import ledger.domain.command.TransferCommands.PostsToAccounts;
import ledger.domain.command.TransferCommands.SharesGroupCommit;
import ledger.domain.command.TransferCommands.Together;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import org.axonframework.commandhandling.CommandCallback;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.CommandResultMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.GenericCommandResultMessage;
import org.axonframework.commandhandling.SimpleCommandBus;
import org.axonframework.common.Registration;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.messaging.DefaultInterceptorChain;
import org.axonframework.messaging.MessageHandler;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.messaging.ResultMessage;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.messaging.unitofwork.RollbackConfigurationType;
import org.axonframework.messaging.unitofwork.UnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Group commit: commands on accounts known up front ({@link PostsToAccounts}: transfers, entries,
 * linked chains, account commands) that arrive concurrently share one unit of work and one database
 * transaction, past the per-commit ceiling. That transaction carries everything the batch changes:
 * events, the accounts' new states (the book), idempotency answers and audit-log positions.
 *
 * <p>A worker takes whatever is queued (no fixed wait: a lone request goes alone), locks every
 * account of the batch in one global order, then runs each command in a nested unit of work with
 * the usual handler interceptors: a refusal rolls back only that command. Answers are given after
 * the shared transaction commits, so an acknowledged command is durable. If the batch fails as a
 * whole (a constraint violated at commit, a deadlock detected), each of its commands is run again
 * on its own, so no command fails for another's sake. Other commands run as on a
 * {@link SimpleCommandBus}.
 */
public class GroupCommitCommandBus extends SimpleCommandBus implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitCommandBus.class);
    private static final CommandMessage<String> BATCH = GenericCommandMessage.asCommandMessage("group-commit");

    private final TransactionManager transactionManager;
    private final ScopedBook book;
    private final TransactionWrites writes;
    private final int batchCommandsMax;
    private final BlockingQueue<Queued> queue;
    private final List<MessageHandlerInterceptor<? super CommandMessage<?>>> interceptors = new CopyOnWriteArrayList<>();
    private final List<BatchParticipant> participants = new CopyOnWriteArrayList<>();
    private final List<Thread> workers = new ArrayList<>();
    /** The handlers by command name, for the commands of a {@link Together} pair. */
    private final java.util.Map<String, MessageHandler<? super CommandMessage<?>>> handlers =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final int workerCount;
    private volatile boolean running;
    private volatile LedgerMetrics metrics = LedgerMetrics.none();

    private record Queued(CommandMessage<?> command, MessageHandler<? super CommandMessage<?>> handler,
                          CommandCallback<Object, Object> callback) {
    }

    /**
     * @param book             the accounts' states: a batch locks its accounts there before it runs
     * @param batchCommandsMax the most commands in one unit of work (each creates or changes one
     *                         aggregate; measured faster at 1,024 than at 64 or 256)
     * @param workerCount      batches run at once
     * @param queueCapacity    commands waiting at most; callers block beyond (back pressure)
     */
    public GroupCommitCommandBus(Builder builder, TransactionManager transactionManager,
                                 ScopedBook book, TransactionWrites writes,
                                 int batchCommandsMax, int workerCount, int queueCapacity) {
        super(builder.transactionManager(transactionManager));
        this.transactionManager = transactionManager;
        this.book = book;
        this.writes = writes;
        this.batchCommandsMax = batchCommandsMax;
        this.workerCount = workerCount;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        // a pair is run by the batch itself (runNested); this handler only lets it be dispatched
        super.subscribe(Together.class.getName(), pair -> {
            throw new IllegalStateException("a pair of commands runs in a group commit only, and it is not running");
        });
    }

    /** Where batch sizes and commit times are counted. */
    public void metrics(LedgerMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Registration registerHandlerInterceptor(MessageHandlerInterceptor<? super CommandMessage<?>> interceptor) {
        Registration inner = super.registerHandlerInterceptor(interceptor);
        interceptors.add(interceptor);
        if (interceptor instanceof BatchParticipant participant) {
            participants.add(participant);
        }
        return () -> {
            participants.remove(interceptor);
            return interceptors.remove(interceptor) & inner.cancel();
        };
    }

    @Override
    @SuppressWarnings("unchecked")
    protected <C, R> void handle(CommandMessage<C> command, MessageHandler<? super CommandMessage<?>> handler,
                                 CommandCallback<? super C, ? super R> callback) {
        Object payload = command.getPayload();
        CommandCallback<Object, Object> answer = (CommandCallback<Object, Object>) (CommandCallback<?, ?>) callback;
        if (running && readsBeforeLocking(payload)) {
            // Their accounts are known only once the transfer is read, so they are not queued into a shared
            // batch (whose accounts are locked up front); they run as a batch of their own, here, so that
            // they too write everything beside their events in one statement under the tenant's log.
            runBatch(List.of(new Queued(command, handler, answer)));
            return;
        }
        if (!running || !(payload instanceof PostsToAccounts || payload instanceof SharesGroupCommit)) {
            super.handle(command, handler, callback);
            return;
        }
        try {
            queue.put(new Queued(command, handler, answer));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            callback.onResult(command, GenericCommandResultMessage.asCommandResultMessage(e));
        }
    }

    /**
     * A post or void of a pending transfer whose sender did not name its accounts, or a reversal
     * (whose accounts are locked before the original is read, to order reversals of one transfer).
     */
    private static boolean readsBeforeLocking(Object payload) {
        return payload instanceof PostPendingTransfer post && post.accounts().isEmpty()
                || payload instanceof VoidPendingTransfer end && end.accounts().isEmpty()
                || payload instanceof ReverseTransfer;
    }

    private void work() {
        List<Queued> batch = new ArrayList<>(batchCommandsMax);
        while (running || !queue.isEmpty()) {
            try {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, batchCommandsMax - 1);
                releaseLeftovers();
                runBatch(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException | Error e) {
                // runBatch answers every command whatever happens; this is a last resort, never leaving one unanswered
                LOG.error("group commit worker failed; answering its commands with the failure", e);
                batch.forEach(item -> answerFailed(item, e));
            } finally {
                batch.clear();
            }
        }
    }

    private void runBatch(List<Queued> batch) {
        long started = System.nanoTime();
        try {
            runBatchTimed(batch);
        } finally {
            metrics.batch(batch.size(), System.nanoTime() - started);
        }
    }

    private void runBatchTimed(List<Queued> batch) {
        List<ResultMessage<?>> results = new ArrayList<>(batch.size());
        UnitOfWork<CommandMessage<?>> root = DefaultUnitOfWork.startAndGet(BATCH);
        try {
            root.attachTransaction(transactionManager);
        } catch (RuntimeException noTransaction) {
            // no connection (the database is down or restarting): nothing was done; say so to every command
            // (attachTransaction has rolled the unit of work back already)
            if (root.isActive()) {
                root.rollback(noTransaction);
            }
            batch.forEach(item -> answerFailed(item, noTransaction));
            return;
        }
        ResultMessage<?> outcome = root.executeWithResult(() -> {
            writes.open(root);
            List<PostsToAccounts> commands = new ArrayList<>(batch.size());
            batch.forEach(item -> {
                if (item.command().getPayload() instanceof PostsToAccounts known) {
                    commands.add(known);
                }
            });
            for (BatchParticipant participant : participants) {
                participant.beforeCommands(root, commands);
            }
            lockAccounts(commands);
            for (Queued item : batch) {
                ResultMessage<?> result = runNested(item);
                if (result.isExceptional() && !decidedAlone(result.exceptionResult())) {
                    // The shared transaction may be unusable now: give up the batch as a whole.
                    throw new BatchAbandoned(result.exceptionResult());
                }
                results.add(result);
            }
            // The accounts' new states and the answers are staged; when the batch prepares to commit, the
            // event store appends the events, and then everything else goes in one statement
            // (TransactionWrites), registered here, after the event store's own handler.
            book.flush(root);
            for (BatchParticipant participant : participants) {
                participant.afterCommands(root);
            }
            root.onPrepareCommit(writes::flush);
            return null;
        }, RollbackConfigurationType.ANY_THROWABLE);
        if (outcome.isExceptional()) {
            if (Outage.isDatabaseUnavailable(outcome.exceptionResult())) {
                // run one by one, each would wait for a connection in vain: answer them all now
                batch.forEach(item -> answerFailed(item, outcome.exceptionResult()));
                return;
            }
            if (batch.size() > 1) {
                LOG.debug("batch of {} abandoned ({}); running its commands one by one", batch.size(),
                        outcome.exceptionResult().toString());
                batch.forEach(item -> runBatch(List.of(item)));
                return;
            }
            Throwable failure = outcome.exceptionResult();
            if (failure instanceof BatchAbandoned abandoned && abandoned.getCause() != null) {
                failure = abandoned.getCause();
            }
            Queued only = batch.get(0);
            only.callback().onResult(only.command(), GenericCommandResultMessage.asCommandResultMessage(failure));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            Queued item = batch.get(i);
            item.callback().onResult(item.command(), GenericCommandResultMessage.asCommandResultMessage(results.get(i)));
        }
    }

    /**
     * A worker starts every batch with no unit of work and no transaction bound to its thread. Should
     * a failure while the database went away (a rollback that threw) have left one behind, it is let
     * go here: otherwise every later batch of this thread would join it and use its dead connection.
     */
    private static void releaseLeftovers() {
        boolean unitOfWork = CurrentUnitOfWork.isStarted();
        boolean resources = !TransactionSynchronizationManager.getResourceMap().isEmpty();
        if (!unitOfWork && !resources && !TransactionSynchronizationManager.isSynchronizationActive()) {
            return;
        }
        LOG.error("a group-commit worker found a unit of work ({}) or transaction resources ({}) left behind by a failed"
                + " batch; releasing them", unitOfWork, TransactionSynchronizationManager.getResourceMap().keySet());
        while (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.clear(CurrentUnitOfWork.get());
        }
        for (Object key : List.copyOf(TransactionSynchronizationManager.getResourceMap().keySet())) {
            TransactionSynchronizationManager.unbindResourceIfPossible(key);
        }
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.clearSynchronization();
        }
    }

    private static void answerFailed(Queued item, Throwable failure) {
        try {
            item.callback().onResult(item.command(), GenericCommandResultMessage.asCommandResultMessage(failure));
        } catch (RuntimeException e) {
            LOG.warn("a command's callback failed", e);
        }
    }

    /**
     * The only outcome that concerns one command alone: a refusal, which the domain decides before
     * it applies anything. Anything else (an idempotency key taken meanwhile, a database error)
     * may leave applied-then-discarded state behind, so the batch is re-run command by command.
     */
    private static boolean decidedAlone(Throwable failure) {
        return failure instanceof LedgerRejection;
    }

    private ResultMessage<?> runNested(Queued item) {
        UnitOfWork<CommandMessage<?>> nested = DefaultUnitOfWork.startAndGet(item.command());
        if (item.command().getPayload() instanceof Together pair) {
            // both in this nested unit of work: a failure of either rolls both back
            return nested.executeWithResult(() -> {
                Object first = runInside(pair.first(), item.command());
                runInside(pair.then(), item.command());
                return first;
            }, RollbackConfigurationType.ANY_THROWABLE);
        }
        return nested.executeWithResult(
                () -> new DefaultInterceptorChain<>(nested, interceptors, item.handler()).proceed(),
                RollbackConfigurationType.ANY_THROWABLE);
    }

    /** Runs {@code payload} (with {@code sent}'s metadata) by its handler, nested in the current unit of work. */
    private Object runInside(Object payload, CommandMessage<?> sent) throws Exception {
        CommandMessage<?> command = GenericCommandMessage.asCommandMessage(payload).andMetaData(sent.getMetaData());
        MessageHandler<? super CommandMessage<?>> handler = handlers.get(command.getCommandName());
        if (handler == null) {
            throw new org.axonframework.commandhandling.NoHandlerForCommandException(
                    "no handler for " + command.getCommandName() + " in a pair");
        }
        UnitOfWork<CommandMessage<?>> inner = DefaultUnitOfWork.startAndGet(command);
        ResultMessage<?> result = inner.executeWithResult(
                () -> new DefaultInterceptorChain<>(inner, interceptors, handler).proceed(),
                RollbackConfigurationType.ANY_THROWABLE);
        if (result.isExceptional()) {
            Throwable failure = result.exceptionResult();
            if (failure instanceof Exception exception) {
                throw exception;
            }
            throw (Error) failure;
        }
        return result.getPayload();
    }

    @Override
    public Registration subscribe(String commandName, MessageHandler<? super CommandMessage<?>> handler) {
        Registration inner = super.subscribe(commandName, handler);
        handlers.put(commandName, handler);
        return () -> handlers.remove(commandName, handler) & inner.cancel();
    }


    /**
     * Locks every account of the batch in the book (in one global order: batches never deadlock) and
     * reads the states of those not in memory with one query.
     */
    private void lockAccounts(List<PostsToAccounts> commands) {
        Set<ScopedBook.Key> keys = new HashSet<>();
        for (PostsToAccounts command : commands) {
            for (AccountId account : command.accounts()) {
                keys.add(new ScopedBook.Key(command.tenant().value(), account.value()));
            }
        }
        book.lockKeys(keys);
        book.preload(keys);
    }

    private static final class BatchAbandoned extends RuntimeException {
        BatchAbandoned(Throwable cause) {
            super("a command failed for a reason other than a refusal", cause, false, false);
        }
    }

    @Override
    public void start() {
        running = true;
        for (int i = 0; i < workerCount; i++) {
            Thread worker = new Thread(this::work, "group-commit-" + i);
            worker.setDaemon(true);
            workers.add(worker);
            worker.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        for (Thread worker : workers) {
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        workers.clear();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after the web server (which stops first, at a higher phase) so queued commands are answered. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE / 2;
    }
}
