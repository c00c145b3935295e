package ledger.api.grpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.api.config.LedgerProperties;
import ledger.api.idempotency.IdempotencyStore;
import ledger.api.security.ApiKeys;
import ledger.api.web.Problems;
import ledger.api.web.Responses;
import ledger.domain.money.Currencies;
import ledger.projections.LedgerQueries;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.jooq.DSLContext;
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
        /** Threads that finish answered commands: store refusals, run linked chains, assemble batch answers. */
        static final int COMPLETION_THREADS = 8;

        /** Runs the calls' handlers (a unary call waits there for its command). */
        final ExecutorService calls = Executors.newCachedThreadPool(daemon("grpc-call-"));
        final ExecutorService completions = Executors.newFixedThreadPool(COMPLETION_THREADS,
                daemon("grpc-completion-"));

        @Override
        public void destroy() {
            calls.shutdown();
            completions.shutdown();
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
    public GrpcCommands grpcCommands(CommandGateway gateway, IdempotencyStore store, Problems problems,
                                     ObjectMapper json, GrpcThreads threads) {
        return new GrpcCommands(gateway, store, problems, json, threads.completions);
    }

    @Bean
    public LedgerGrpcService ledgerGrpcService(GrpcCommands commands, DSLContext dsl, LedgerQueries queries,
                                               Responses responses, Currencies currencies, ObjectMapper json,
                                               GrpcThreads threads) {
        return new LedgerGrpcService(commands, new StoredAnswers(dsl), queries, responses, currencies,
                new ProtoViews(json), threads.completions, threads.calls);
    }

    @Bean
    public GrpcAuth grpcAuth(ApiKeys keys) {
        return new GrpcAuth(keys);
    }

    @Bean
    public GrpcServer grpcServer(LedgerProperties properties, LedgerGrpcService service, GrpcAuth auth,
                                 GrpcThreads threads) {
        return new GrpcServer(properties.grpc(), service, auth, threads.calls);
    }
}
