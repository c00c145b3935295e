package ledger.api.config;

import ledger.projections.BalanceProjection;
import ledger.projections.LedgerQueries;
import ledger.projections.TransferProjection;
import org.jooq.DSLContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Read models: Axon finds the projections' event handlers on these beans. */
@Configuration(proxyBeanMethods = false)
public class ProjectionConfig {

    @Bean
    public BalanceProjection balanceProjection(DSLContext dsl) {
        return new BalanceProjection(dsl);
    }

    @Bean
    public TransferProjection transferProjection(DSLContext dsl) {
        return new TransferProjection(dsl);
    }

    @Bean
    public LedgerQueries ledgerQueries(DSLContext dsl) {
        return new LedgerQueries(dsl);
    }
}
