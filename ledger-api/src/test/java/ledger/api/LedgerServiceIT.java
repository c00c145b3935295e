package ledger.api;

import java.nio.file.Path;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * Base of the integration tests that talk to the real service over its HTTP port, backed by a
 * real (embedded) PostgreSQL. All subclasses share one application context, so one server runs
 * per test JVM; tests isolate themselves by using their own tenants and ids.
 */
@AutoConfigureObservability(tracing = false) // metrics exported as in production (MetricsIT reads them)
@SpringBootTest(classes = LedgerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {
        "ledger.bootstrap.tenant=" + LedgerServiceIT.BOOTSTRAP_TENANT,
        "ledger.bootstrap.api-key=" + LedgerServiceIT.BOOTSTRAP_KEY,
        "axoniq.update-checker.disabled=true",
        "ledger.grpc.port=0"
})
public abstract class LedgerServiceIT {
    public static final String BOOTSTRAP_TENANT = "it-root";
    public static final String BOOTSTRAP_KEY = "it-root-key-0123456789";

    /** One database per test JVM: concurrent runs in one tree must not share (or delete) each other's. */
    public static final Path DATA_DIR = Path.of("target/it-data/jvm-" + ProcessHandle.current().pid());

    static {
        System.setProperty("axoniq.update-checker.disabled", "true");
        TestFiles.deleteRecursively(DATA_DIR);
    }

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("ledger.data-dir", DATA_DIR::toString);
    }

    @LocalServerPort
    protected int port;

    protected LedgerClient root() {
        return new LedgerClient(port, BOOTSTRAP_KEY);
    }

    /** A new tenant with its own admin key: tests never see each other's data. */
    protected LedgerClient newTenant(String prefix) {
        return root().createTenant(prefix + "-" + Long.toHexString(System.nanoTime()));
    }
}
