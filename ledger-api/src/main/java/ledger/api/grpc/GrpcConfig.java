package ledger.api.grpc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.app.ChangeFeed;
import ledger.api.app.Commands;
import ledger.api.app.Requests;
import ledger.api.app.Results;
import ledger.api.app.Settling;
import ledger.api.config.LedgerProperties;
import ledger.api.ratelimit.RateLimiter;
import ledger.api.security.ApiKeys;
import javax.sql.DataSource;
import ledger.projections.LedgerQueries;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The gRPC API's wiring; off with {@code ledger.grpc.enabled=false}. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "ledger.grpc", name = "enabled", havingValue = "true", matchIfMissing = true)
public class GrpcConfig {

    /**
     * The gRPC layer's threads. Not {@code Executor} beans: one of those would stop Spring Boot from
     * creating its own task executor.
     */
    public static final class GrpcThreads implements DisposableBean {
        /** Runs the calls' handlers (a unary call waits there for its command). */
        final ExecutorService calls = Executors.newCachedThreadPool(daemon("grpc-call-"));

        @Override
        public void destroy() {
            calls.shutdown();
        }

        private static ThreadFactory daemon(String prefix) {
            AtomicInteger count = new AtomicInteger();
            return runnable -> {
                Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            };
        }
    }

    @Bean
    public GrpcThreads grpcThreads() {
        return new GrpcThreads();
    }

    @Bean
    public LedgerGrpcService ledgerGrpcService(Commands commands, Requests requests, LedgerQueries queries,
                                               Results results, GrpcThreads threads, Settling settling,
                                               ChangeFeed feed, ledger.api.app.Listing listing) {
        return new LedgerGrpcService(commands, requests, queries, results, threads.calls, settling, feed, listing);
    }

    @Bean
    public GrpcAuth grpcAuth(ApiKeys keys, RateLimiter limiter) {
        return new GrpcAuth(keys, limiter);
    }

    @Bean
    public GrpcServer grpcServer(LedgerProperties properties, LedgerGrpcService service, GrpcAuth auth,
                                 GrpcThreads threads, DataSource dataSource) {
        return new GrpcServer(properties.grpc(), service, auth, threads.calls, () -> {
            try (Connection connection = dataSource.getConnection()) {
                return connection.isValid(1);
            } catch (SQLException e) {
                return false;
            }
        });
    }
}
