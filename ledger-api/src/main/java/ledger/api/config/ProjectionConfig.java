package ledger.api.config;

import ledger.projections.LedgerQueries;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The ledger's reads. Everything they read is written in the commands' own transactions. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfig {

    @Bean
    public LedgerQueries ledgerQueries(DSLContext dsl) {
        return new LedgerQueries(dsl);
    }
}
