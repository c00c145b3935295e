package ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The business metrics are exported under the names the Grafana dashboard queries, and the
 * monitoring files docker-compose.yml mounts fit together (Prometheus scrapes the ledger's
 * endpoint, Grafana reads that Prometheus and the dashboard directory).
 */
class MetricsIT extends LedgerServiceIT {
    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("\\b((?:ledger|http_server)_[a-z_]+)");
    private static final String NUMBER = "[0-9]+(\\.[0-9]+)?(E[0-9]+)?";

    @Test
    void everyMetricTheDashboardQueriesIsExported() throws Exception {
        LedgerClient c = newTenant("metrics");
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        assertThat(c.transfer("m-1", "t-1", "cash", "wallet", "5.00", "EUR").status()).isEqualTo(201);
        assertThat(c.transfer("m-1", "t-1", "cash", "wallet", "5.00", "EUR").header("Idempotent-Replayed"))
                .isEqualTo("true");
        assertThat(c.transfer("m-2", "t-2", "wallet", "cash", "50.00", "EUR").code()).isEqualTo("insufficient_funds");
        // a payroll posting: the tax pre-fill's processor handles it, so its position becomes a number
        assertThat(c.post("/v1/transfers", "m-3", "{\"id\":\"t-3\",\"debitAccount\":\"cash\","
                + "\"creditAccount\":\"wallet\",\"amount\":\"7.00\",\"currency\":\"EUR\",\"metadata\":{"
                + "\"payroll.payee\":\"metrics-payee\",\"payroll.period\":\"2026-01\","
                + "\"payroll.category\":\"gross_wage\"}}").status()).isEqualTo(201);
        String taxPosition = "ledger_event_processor_position{processor=\"tax-prefill\"} ";

        // the audit gauges are set by the checkpoint scheduler's next tick
        String scrape = "";
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            scrape = c.get("/actuator/prometheus").body();
            if (scrape.contains("ledger_audit_checkpoint_age_seconds{tenant=\"" + c.tenant() + "\"")
                    && value(scrape, taxPosition).matches(NUMBER)) {
                break;
            }
            Thread.sleep(250);
        }
        assertThat(scrape)
                .contains("ledger_commands_total{command=\"CreateTransfer\",outcome=\"done\"}")
                .contains("ledger_commands_total{command=\"CreateTransfer\",outcome=\"replayed\"}")
                .contains("ledger_commands_total{command=\"OpenAccount\",outcome=\"done\"}")
                .contains("ledger_refusals_total{code=\"insufficient_funds\"}")
                .contains("ledger_audit_log_size{tenant=\"" + c.tenant() + "\"}")
                .contains("ledger_reconciliation_breaks_total{level=\"L1\"}",
                        "ledger_reconciliation_breaks_total{level=\"L2\"}",
                        "ledger_reconciliation_breaks_total{level=\"L3\"}")
                .contains("ledger_event_processor_caught_up{processor=\"reconciliation-matcher\"}",
                        "ledger_event_processor_position{processor=\"SettlementSagaProcessor\"}")
                .as("the checkpoint scheduler reported the tenant within 30 s")
                .contains("ledger_audit_checkpoint_age_seconds{tenant=\"" + c.tenant() + "\"}");
        assertThat(value(scrape, taxPosition)).as("the tax pre-fill handled the payroll posting within 30 s")
                .matches(NUMBER);
        assertThat(Double.parseDouble(value(scrape, taxPosition))).as("an event's global index").isPositive();

        Set<String> exported = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                exported.add(line.split("[{ ]", 2)[0]);
            }
        }
        Set<String> queried = dashboardMetrics();
        assertThat(queried).as("the dashboard queries business metrics").contains("ledger_commands_total",
                "ledger_refusals_total", "ledger_group_commit_batch_commands_sum",
                "ledger_group_commit_commit_seconds_bucket", "ledger_events_appended_total", "ledger_audit_log_size",
                "ledger_audit_checkpoint_age_seconds", "ledger_settlements", "ledger_reconciliation_breaks_total",
                "ledger_event_processor_position", "ledger_event_processor_caught_up");
        assertThat(exported).as("every metric the dashboard queries is exported").containsAll(queried);
    }

    @Test
    void theMonitoringFilesComposeMountsFitTogether() throws IOException {
        Map<String, Object> compose = yaml(REPO.resolve("docker-compose.yml"));
        Map<String, Object> services = map(compose.get("services"));
        assertThat(services).containsKeys("ledger", "prometheus", "grafana");

        Map<String, Object> prometheus = yaml(REPO.resolve("ops/prometheus/prometheus.yml"));
        Map<String, Object> job = map(((List<?>) prometheus.get("scrape_configs")).get(0));
        assertThat(job.get("metrics_path")).isEqualTo("/actuator/prometheus");
        Map<String, Object> targets = map(((List<?>) job.get("static_configs")).get(0));
        assertThat(String.valueOf(targets.get("targets"))).isEqualTo("[ledger:8080]");
        assertThat(volumes(services, "prometheus"))
                .contains("./ops/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");

        Map<String, Object> datasources = yaml(REPO.resolve("ops/grafana/provisioning/datasources/prometheus.yml"));
        Map<String, Object> source = map(((List<?>) datasources.get("datasources")).get(0));
        assertThat(source.get("url")).isEqualTo("http://prometheus:9090");
        assertThat(source.get("uid")).isEqualTo("prometheus");
        Map<String, Object> providers = yaml(REPO.resolve("ops/grafana/provisioning/dashboards/ledger.yml"));
        Map<String, Object> provider = map(((List<?>) providers.get("providers")).get(0));
        String dashboards = (String) map(provider.get("options")).get("path");
        assertThat(volumes(services, "grafana")).contains("./ops/grafana/dashboards:" + dashboards + ":ro",
                "./ops/grafana/provisioning:/etc/grafana/provisioning:ro");
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("ops/grafana/dashboards/ledger.json").toFile());
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.path("datasource").path("uid").asText()).as(panel.path("title").asText())
                    .isEqualTo("prometheus");
        }

        Map<String, Object> ledger = map(services.get("ledger"));
        assertThat(map(ledger.get("environment")).get("LEDGER_GRPC_ADDRESS")).as("gRPC reachable in the container")
                .isEqualTo("0.0.0.0");
        assertThat(volumes(services, "ledger")).as("keys survive a recreated container")
                .contains("ledger-data:/var/lib/ledger");
        assertThat(Files.readString(REPO.resolve("Dockerfile"))).as("the volume is the image's data directory")
                .contains("LEDGER_DATA_DIR=/var/lib/ledger");
        assertThat(String.valueOf(map(ledger.get("environment")).get("LEDGER_DB_URL")))
                .startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(map(services.get("postgres")).get("image")).as("PostgreSQL 17").isEqualTo("postgres:17");
        assertThat(map(services.get("axonserver")).get("profiles")).as("Axon Server only under its profile")
                .isEqualTo(List.of("axonserver"));
    }

    /** The value of the sample that starts with {@code sample} (name, labels and a space), or "" if none. */
    private static String value(String scrape, String sample) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(sample)) {
                return line.substring(sample.length()).trim();
            }
        }
        return "";
    }

    private static Set<String> dashboardMetrics() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(REPO.resolve("ops/grafana/dashboards/ledger.json").toFile());
        Set<String> names = new TreeSet<>();
        for (JsonNode panel : dashboard.get("panels")) {
            for (JsonNode target : panel.get("targets")) {
                Matcher m = METRIC.matcher(target.get("expr").asText());
                while (m.find()) {
                    names.add(m.group(1));
                }
            }
        }
        return names;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        assertThat(file).exists();
        return new Yaml().load(Files.readString(file));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<String> volumes(Map<String, Object> services, String service) {
        return (List<String>) map(services.get(service)).get("volumes");
    }
}
