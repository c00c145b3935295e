package ledger.api.config;

import ledger.api.app.ChangeFeed;
import ledger.projections.audit.AuditExportReader;
import ledger.projections.audit.AuditLogQueries;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/** The change feed (docs/change-feed.md): pages and streams of a tenant's audit log. */
@Configuration(proxyBeanMethods = false)
public class FeedConfig {

    @Bean
    public ChangeFeed changeFeed(AuditExportReader reader, AuditLogQueries log, PlatformTransactionManager transactions,
                                 ChangeFeed.Settings settings) {
        TransactionTemplate readOnly = new TransactionTemplate(transactions);
        readOnly.setReadOnly(true);
        readOnly.setIsolationLevel(TransactionDefinition.ISOLATION_READ_COMMITTED);
        return new ChangeFeed(reader, log, readOnly, settings);
    }
}
