package ledger.domain.transfer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.axonframework.deadline.DeadlineManager;
import org.axonframework.messaging.unitofwork.CurrentUnitOfWork;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The expiry deadlines this node has scheduled for holds that are still pending, by the transfer's
 * aggregate id, so that a hold posted or voided here cancels its deadline instead of leaving it in the
 * scheduler to fire later and find nothing to do (every settlement's reservation left one, due an hour
 * after the settlement's deadline).
 *
 * <p>Only an optimisation, never needed for correctness: the deadline's handler does nothing to a hold
 * that has ended. So the ids are kept in memory only, at most {@code max} of them, and a cancel is sent
 * after the command's commit on {@code cancels}, failures ignored. A hold created before a restart, on
 * another node or beyond the bound keeps its deadline, which fires and does nothing, as before; a hold
 * whose deadline is running at that moment is left to it (the scheduler refuses to cancel a running
 * task). The scheduler's id is not written into the hold's event: it is not part of the ledger's
 * history, which auditors and the change feed read.
 */
final class ExpirySchedules {
    private static final Logger LOG = LoggerFactory.getLogger(ExpirySchedules.class);

    private final DeadlineManager deadlines;
    private final Executor cancels;
    private final int max;
    private final Map<String, String> scheduled = new ConcurrentHashMap<>();

    ExpirySchedules(DeadlineManager deadlines, Executor cancels, int max) {
        this.deadlines = deadlines;
        this.cancels = cancels;
        this.max = max;
    }

    /** The hold's expiry was scheduled as {@code scheduleId}: remembered once the command has committed. */
    void scheduled(String aggregateId, String scheduleId) {
        afterCommit(() -> {
            if (scheduled.size() < max) {
                scheduled.put(aggregateId, scheduleId);
            }
        });
    }

    /** The hold was posted or voided: once that has committed, its expiry is cancelled. */
    void ended(String aggregateId) {
        afterCommit(() -> {
            String scheduleId = scheduled.remove(aggregateId);
            if (scheduleId != null) {
                try {
                    cancels.execute(() -> cancel(scheduleId));
                } catch (RejectedExecutionException busy) {
                    LOG.debug("expiry {} of {} left to fire: no thread free to cancel it", scheduleId, aggregateId);
                }
            }
        });
    }

    /** The hold expired: its deadline is the one running, nothing to cancel. */
    void expired(String aggregateId) {
        afterCommit(() -> scheduled.remove(aggregateId));
    }

    /** How many scheduled expiries are remembered (for tests). */
    int size() {
        return scheduled.size();
    }

    private void cancel(String scheduleId) {
        try {
            deadlines.cancelSchedule(LedgerCommandHandler.EXPIRY_DEADLINE, scheduleId);
        } catch (RuntimeException refused) {
            // e.g. the deadline is running right now: it will find the hold ended
            LOG.debug("expiry {} not cancelled: {}", scheduleId, refused.toString());
        }
    }

    private static void afterCommit(Runnable action) {
        if (CurrentUnitOfWork.isStarted()) {
            CurrentUnitOfWork.get().afterCommit(u -> action.run());
        } else {
            action.run();
        }
    }
}
