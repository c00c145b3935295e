package ledger.api.security;

import ledger.api.config.LedgerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Component;

/** On start: the bootstrap tenant and key from LEDGER_BOOTSTRAP_TENANT / LEDGER_BOOTSTRAP_API_KEY. */
@Component
public class Bootstrap implements ApplicationRunner {
    private static final Logger LOG = LoggerFactory.getLogger(Bootstrap.class);

    private final LedgerProperties properties;
    private final ApiKeys keys;

    public Bootstrap(LedgerProperties properties, ApiKeys keys) {
        this.properties = properties;
        this.keys = keys;
    }

    @Override
    public void run(ApplicationArguments args) {
        String tenant = properties.bootstrap().tenant();
        String secret = properties.bootstrap().apiKey();
        if (tenant == null || tenant.isBlank() || secret == null || secret.isBlank()) {
            return;
        }
        ledger.domain.model.TenantId.of(tenant); // refuses a malformed tenant id at start
        if (keys.bootstrap(tenant, secret)) {
            LOG.info("bootstrap: created tenant {} and its admin/operator API key", tenant);
        }
    }
}
