package ledger.api.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.LedgerServiceIT;
import ledger.audit.checkpoint.KeyFormatException;
import ledger.audit.checkpoint.VerifyingKey;
import ledger.audit.cli.AuditVerify;
import ledger.audit.verify.ExportSummary;
import ledger.audit.verify.ExportVerifier;
import ledger.audit.verify.VerificationException;
import org.springframework.beans.factory.annotation.Autowired;

/** Helpers of the audit integration tests: books with transfers, waiting for the log, exports, the CLI. */
abstract class AuditSupport extends LedgerServiceIT {
    protected static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong IDS = new AtomicLong();

    @Autowired
    protected DataSource dataSource;

    /** A new tenant with a cash account and two customer accounts (3 events). */
    protected LedgerClient book(String prefix) {
        LedgerClient t = newTenant(prefix);
        open(t, "cash", "ASSET", "unlimited");
        open(t, "alice", "LIABILITY", null);
        open(t, "bob", "LIABILITY", null);
        return t;
    }

    protected static void open(LedgerClient t, String id, String kind, String limit) {
        Response r = t.openAccount(id, "EUR", kind, limit);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    /** Posts {@code count} transfers cash -> alice / bob alternately. */
    protected static void transfers(LedgerClient t, int count) {
        for (int i = 0; i < count; i++) {
            String id = "t" + IDS.incrementAndGet();
            Response r = t.transfer("k-" + id, id, "cash", i % 2 == 0 ? "alice" : "bob", (i + 1) + ".25", "EUR");
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
    }

    /** An API key of the tenant with only the auditor role. */
    protected static LedgerClient auditor(LedgerClient admin) {
        Response r = admin.post("/v1/api-keys", null, "{\"roles\":[\"auditor\"]}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return admin.withKey(r.json().get("apiKey").asText());
    }

    protected static LedgerClient withRoles(LedgerClient admin, String roles) {
        Response r = admin.post("/v1/api-keys", null, "{\"roles\":" + roles + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return admin.withKey(r.json().get("apiKey").asText());
    }

    /**
     * The size of the tenant's audit log, after checking that every event the tenant has in the event
     * store has its position already: the log is written in the events' own transaction, so there is
     * nothing to wait for.
     */
    protected long awaitLog(String tenant) {
        long stored = count("SELECT count(*) FROM domain_event_entry "
                + "WHERE convert_from(meta_data, 'UTF8')::jsonb ->> 'tenant' = ?", tenant);
        long logged = count("SELECT count(*) FROM audit_log WHERE tenant = ?", tenant);
        assertThat(logged).as("audit log of " + tenant + " holds every committed event").isEqualTo(stored);
        return logged;
    }

    protected long count(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement q = c.prepareStatement(sql)) {
            q.setString(1, parameter);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected static String publicKey(LedgerClient t) {
        Response r = t.get("/v1/audit/public-key");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("publicKey").asText();
    }

    protected static String export(LedgerClient t, String query) {
        Response r = t.get("/v1/audit/export" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/x-ndjson");
        return r.body();
    }

    protected static List<JsonNode> lines(String export) {
        List<JsonNode> out = new ArrayList<>();
        for (String line : export.split("\n")) {
            try {
                out.add(JSON.readTree(line));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    protected static List<JsonNode> linesOfType(String export, String type) {
        return lines(export).stream().filter(l -> l.get("type").asText().equals(type)).toList();
    }

    /** Verifies with the library the CLI is built on; returns its summary. */
    protected static ExportSummary verifyInProcess(String export, String publicKey) {
        try {
            return new ExportVerifier(VerifyingKey.fromBase64(publicKey))
                    .verify(new ByteArrayInputStream(export.getBytes(StandardCharsets.UTF_8)));
        } catch (VerificationException | IOException | KeyFormatException e) {
            throw new AssertionError("export does not verify: " + e.getMessage(), e);
        }
    }

    /** What an auditor runs: {@code audit-verify <command> FILE --public-key KEY}; exit code and stdout. */
    protected static CliResult cli(String command, String content, String publicKey) {
        try {
            Path file = Files.createTempFile("audit-it-", ".json");
            try {
                Files.writeString(file, content, StandardCharsets.UTF_8);
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = AuditVerify.run(new String[] {command, file.toString(), "--public-key", publicKey},
                        new PrintWriter(out), new PrintWriter(err));
                return new CliResult(code, out.toString().trim(), err.toString().trim());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    protected record CliResult(int exitCode, String out, String err) {
    }

}
