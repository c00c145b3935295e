package ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import ledger.api.config.DataSourceConfig;
import ledger.audit.Envelope;
import ledger.audit.Json;
import ledger.audit.Sha256;
import ledger.domain.seal.AuditKeys;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.audit.AuditExportReader.EventCursor;
import ledger.projections.audit.AuditExportReader.LoggedEvent;
import org.flywaydb.core.Flyway;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The export reader finds each event through the global index the audit log recorded, which for
 * an event that filled a gap in the event stream is the token's position, past the event itself.
 * Such rows cannot be produced on demand through the service, so they are written by hand into a
 * scratch database migrated like the service's own.
 */
class AuditExportReaderIT extends AuditSupport {
    private static final String TENANT = "gaps";

    @Autowired
    private ObjectProvider<DataSourceConfig.EmbeddedServer> embedded;

    private String database;
    private String url;

    @BeforeEach
    void scratchDatabase() throws SQLException {
        DataSourceConfig.EmbeddedServer server = embedded.getIfAvailable();
        Assumptions.assumeTrue(server != null, "needs the embedded PostgreSQL to create a scratch database");
        database = "reader_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        url = "jdbc:postgresql://127.0.0.1:" + server.port() + "/" + database;
        Flyway.configure().dataSource(url, "postgres", null).locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void dropScratchDatabase() throws SQLException {
        if (database != null) {
            try (Connection admin = dataSource.getConnection(); Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
        }
    }

    @Test
    void eventsWhoseLoggedGlobalIndexIsPastThemAreFoundByIdInLogOrder() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            List<Envelope> events = List.of(envelope(0), envelope(1), envelope(2), envelope(3));
            // Stored at global indexes 10..13; the log saw 10, then 12 (a gap at 11), then 11 filling
            // it (recorded at the token's 12), then 13. A fifth global index, 14, belongs to no event.
            store(c, events.get(0), 10);
            store(c, events.get(1), 12);
            store(c, events.get(2), 11);
            store(c, events.get(3), 13);
            log(c, 0, 10, events.get(0));
            log(c, 1, 12, events.get(1));
            log(c, 2, 12, events.get(2));
            log(c, 3, 14, events.get(3));

            assertThat(read(c, 0, 3)).isEqualTo(events);
            assertThat(read(c, 2, 3)).isEqualTo(events.subList(2, 4));
        }
    }

    @Test
    void aLoggedEventMissingFromTheEventStoreStopsTheRead() throws SQLException {
        try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
            Envelope stored = envelope(0);
            Envelope missing = envelope(1);
            store(c, stored, 1);
            log(c, 0, 1, stored);
            log(c, 1, 2, missing);

            assertThatThrownBy(() -> read(c, 0, 1)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("position 1 of " + TENANT + " names event " + missing.eventId()
                            + ", which the event store does not hold");
        }
    }

    private static List<Envelope> read(Connection c, long from, long to) throws SQLException {
        c.setAutoCommit(false); // the cursor streams inside a transaction
        try {
            AuditExportReader reader = new AuditExportReader(DSL.using(c, SQLDialect.POSTGRES));
            List<Envelope> read = new ArrayList<>();
            try (EventCursor rows = reader.open(TENANT, from, to)) {
                while (rows.hasNext()) {
                    LoggedEvent event = AuditExportReader.rebuild(TENANT, rows.next());
                    assertThat(event.hash()).isEqualTo(event.envelope().hash());
                    read.add(event.envelope());
                }
            }
            return read;
        } finally {
            c.rollback();
            c.setAutoCommit(true);
        }
    }

    private static Envelope envelope(int n) {
        ObjectNode payload = Json.nodes().objectNode();
        payload.put("n", n);
        payload.put("note", "event " + n);
        return new Envelope(TENANT, "Account", TENANT + "/account/a" + n, 0, UUID.randomUUID().toString(),
                "ledger.AccountOpened", "2026-01-02T03:04:05.000006Z",
                Map.of(AuditKeys.ACTOR, "tester", AuditKeys.CORRELATION_ID, "c-" + n), payload, Envelope.ZERO_HASH);
    }

    /** A row as the seal leaves it: the envelope's fields in the metadata, beside Axon's own keys. */
    private static void store(Connection c, Envelope e, long globalIndex) throws SQLException {
        ObjectNode meta = Json.nodes().objectNode();
        meta.put("traceId", "t-" + globalIndex);
        meta.put(AuditKeys.TENANT, e.tenant());
        meta.put(AuditKeys.EVENT_ID, e.eventId());
        meta.put(AuditKeys.EVENT_TYPE, e.eventType());
        meta.put(AuditKeys.OCCURRED_AT, e.occurredAt());
        meta.put(AuditKeys.ACTOR, e.meta().get(AuditKeys.ACTOR));
        meta.put(AuditKeys.CORRELATION_ID, e.meta().get(AuditKeys.CORRELATION_ID));
        meta.put(AuditKeys.PREV_HASH, e.prevHash());
        meta.put(AuditKeys.HASH, e.hash());
        meta.putObject("nested").put("skipped", 1);
        try (PreparedStatement s = c.prepareStatement("INSERT INTO domain_event_entry (global_index, "
                + "aggregate_identifier, sequence_number, type, event_identifier, meta_data, payload, payload_type, "
                + "time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, globalIndex);
            s.setString(2, e.aggregateId());
            s.setLong(3, e.seq());
            s.setString(4, e.aggregateType());
            s.setString(5, e.eventId());
            s.setBytes(6, meta.toString().getBytes(StandardCharsets.UTF_8));
            s.setBytes(7, e.payload().toString().getBytes(StandardCharsets.UTF_8));
            s.setString(8, "ledger.domain.event.AccountEvents$AccountOpened");
            s.setString(9, e.occurredAt());
            s.executeUpdate();
        }
    }

    private static void log(Connection c, long position, long globalIndex, Envelope e) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "INSERT INTO audit_log (tenant, position, global_index, event_id, hash) VALUES (?, ?, ?, ?, ?)")) {
            s.setString(1, TENANT);
            s.setLong(2, position);
            s.setLong(3, globalIndex);
            s.setString(4, e.eventId());
            s.setBytes(5, Sha256.unhex(e.hash()));
            s.executeUpdate();
        }
    }
}
