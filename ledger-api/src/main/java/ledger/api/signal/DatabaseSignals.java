package ledger.api.signal;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jooq.DSLContext;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * PostgreSQL {@code LISTEN}/{@code NOTIFY} between the nodes on one database, for the rare changes
 * every node must see at once (a revoked API key, a changed rate-limit plan); never on the write
 * path. One connection of its own (not the pool's) listens on every registered channel; a sender
 * calls {@link #notify} inside the transaction that makes the change, so the signal goes out when
 * (and only if) it commits.
 *
 * <p>While the connection is down nothing can be heard, so a subscriber is told ({@link
 * Listener#lost}) and must not trust what it cached until {@link Listener#listening} (which also
 * follows every reconnection: whatever happened meanwhile was missed).
 */
@Component
public class DatabaseSignals implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseSignals.class);
    static final int WAIT_MS = 500;
    static final long RECONNECT_MS = 1_000;

    /** What a subscriber of a channel hears. */
    public interface Listener {
        void signal(String payload);

        /** Signals may have been missed: the connection is down. */
        void lost();

        /** Listening (again): from now on every signal is heard. */
        void listening();
    }

    private final HikariDataSource dataSource;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private volatile boolean listening;
    private volatile Thread thread;
    private volatile boolean running;

    public DatabaseSignals(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Subscribes to {@code channel} (a lowercase SQL identifier); before start. */
    public void subscribe(String channel, Listener listener) {
        if (!channel.matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new IllegalArgumentException("not a channel name: " + channel);
        }
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
    }

    /** Whether every signal sent from now on is heard here. */
    public boolean listening() {
        return listening;
    }

    /** Sends {@code payload} on {@code channel} when the caller's transaction commits. */
    public static void notify(DSLContext dsl, String channel, String payload) {
        dsl.resultQuery("SELECT pg_notify({0}, {1})", org.jooq.impl.DSL.val(channel), org.jooq.impl.DSL.val(payload))
                .fetch();
    }

    @Override
    public synchronized void start() {
        running = true;
        Thread t = new Thread(this::run, "db-signals");
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        thread = null;
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Early: before the web and gRPC servers take requests that rely on it. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000;
    }

    private void run() {
        while (running) {
            try (Connection connection = connect()) {
                try (Statement statement = connection.createStatement()) {
                    for (String channel : listeners.keySet()) {
                        statement.execute("LISTEN " + channel);
                    }
                }
                listening = true;
                listeners.values().forEach(list -> list.forEach(Listener::listening));
                PGConnection pg = connection.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] received = pg.getNotifications(WAIT_MS);
                    if (received == null) {
                        if (!connection.isValid(2)) {
                            throw new SQLException("the listening connection is no longer valid");
                        }
                        continue;
                    }
                    for (PGNotification n : received) {
                        for (Listener l : listeners.getOrDefault(n.getName(), List.of())) {
                            dispatch(l, n.getParameter());
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    LOG.warn("database signals: not listening ({}); trying again in {} ms", e.getMessage(),
                            RECONNECT_MS);
                }
            } finally {
                if (listening) {
                    listening = false;
                    listeners.values().forEach(list -> list.forEach(Listener::lost));
                }
            }
            if (running) {
                try {
                    Thread.sleep(RECONNECT_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private static void dispatch(Listener listener, String payload) {
        try {
            listener.signal(payload);
        } catch (RuntimeException e) {
            LOG.error("database signals: a listener failed on {}", payload, e);
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        properties.setProperty("ApplicationName", "ledger-signals");
        properties.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }
}
