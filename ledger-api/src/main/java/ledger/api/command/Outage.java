package ledger.api.command;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * Whether a failure means the database cannot be reached (down, restarting, refusing connections,
 * the connection lost), as opposed to a refusal, a conflict or a bug. Such a request is answered
 * {@code database_unavailable} (REST 503 with Retry-After, gRPC UNAVAILABLE) and may be sent again
 * with the same idempotency key: it is applied at most once.
 */
public final class Outage {
    /**
     * SQLSTATEs of a lost or refused connection: class 08 (connection exception), and the server
     * shutting down or starting ({@code admin_shutdown}, {@code crash_shutdown}, {@code cannot_connect_now}).
     */
    private static final Set<String> SHUTDOWN_STATES = Set.of("57P01", "57P02", "57P03");

    private Outage() {
    }

    public static boolean isDatabaseUnavailable(Throwable failure) {
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                    || t instanceof ConnectException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SHUTDOWN_STATES.contains(sql.getSQLState()))) {
                return true;
            }
            if (t instanceof org.springframework.jdbc.CannotGetJdbcConnectionException) {
                return true;
            }
            if (t instanceof SQLException && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("com.zaxxer.hikari.pool.ProxyConnection")) {
                return true; // the pool closed the transaction's connection after the database dropped it
            }
            if (t instanceof AssertionError && t.getStackTrace().length > 0
                    && t.getStackTrace()[0].getClassName().startsWith("org.postgresql.")) {
                // pgjdbc 42.7 reports a connection lost in the middle of a JDBC batch this way
                // ("pgStatement.getConnection().getAutoCommit() should not throw")
                return true;
            }
        }
        return false;
    }
}
