package ledger.api.command;

import java.sql.SQLException;
import java.util.concurrent.ThreadLocalRandom;
import ledger.api.idempotency.IdempotencyInterceptor;
import ledger.domain.book.ScopedBook;
import ledger.projections.TransactionWrites;
import org.axonframework.common.AxonTransientException;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * Failures that mean "another writer got there first", never "this request is wrong": a command that
 * fails so changed nothing (its transaction rolled back) and is run again, a bounded number of
 * times, after a short random pause. Another node (or this one) wrote the same account version,
 * event sequence number or idempotency key, PostgreSQL chose this transaction as a deadlock's or a
 * serialisation conflict's loser, or an account lock taken out of order stayed busy. Such a failure
 * is answered to a client only when it outlasts every attempt.
 */
public final class Conflicts {
    /** Attempts of one command before a conflict is given up (then it is answered as an internal error). */
    public static final int ATTEMPTS_MAX = 8;
    private static final int PAUSE_MS_MAX = 20;

    private Conflicts() {
    }

    public static boolean isConflict(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IdempotencyInterceptor.KeyTaken || t instanceof TransactionWrites.AnswerTaken
                    || t instanceof AxonTransientException
                    || t instanceof ScopedBook.LockTimeout || t instanceof DataIntegrityViolationException
                    || t instanceof ConcurrencyFailureException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("23") || sql.getSQLState().startsWith("40"))) {
                return true; // integrity (a unique key taken), or transaction rollback (deadlock, serialisation)
            }
        }
        return false;
    }

    /** A short random pause before attempt {@code attempt} (2, 3, ...), so two racing writers part. */
    public static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1, PAUSE_MS_MAX * Math.min(attempt, 4) / 4 + 2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
