package ledger.api.config;

import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Everything an operator can set (see the README's table; each has an environment variable).
 *
 * @param dataDir     where the embedded PostgreSQL keeps its data (and, later, keys); kept across restarts
 * @param ledgerId    this ledger's name in audit exports and checkpoints
 * @param db          an external PostgreSQL; when {@code url} is empty the embedded one is started
 * @param embedded    the embedded PostgreSQL's port (0 = a free one)
 * @param bootstrap   a tenant and API key created on start if the key does not exist yet
 * @param assets      extra currencies or assets and their decimals, e.g. {@code USDC: 6}
 * @param bodyBytesMax the largest request body accepted
 * @param aggregateCacheSize how many aggregates the command side keeps in memory
 * @param audit       audit log checkpoints and their signing key
 * @param grpc        the gRPC server
 */
@ConfigurationProperties(prefix = "ledger")
public record LedgerProperties(
        @DefaultValue("data") Path dataDir,
        @DefaultValue("ledger") String ledgerId,
        @DefaultValue Db db,
        @DefaultValue Embedded embedded,
        @DefaultValue Bootstrap bootstrap,
        Map<String, Integer> assets,
        @DefaultValue("1048576") int bodyBytesMax,
        @DefaultValue("100000") int aggregateCacheSize,
        @DefaultValue Audit audit,
        @DefaultValue GroupCommit groupCommit,
        @DefaultValue Grpc grpc) {

    /**
     * The gRPC server (service ledger.v1.Ledger, health, reflection).
     *
     * @param enabled                 whether it starts at all
     * @param address                 the interface it listens on (127.0.0.1: this host only)
     * @param port                    its port (0 = a free one)
     * @param inboundMessageBytesMax  the largest request message accepted (RESOURCE_EXHAUSTED beyond)
     * @param tls                     a certificate chain and private key (PEM files): both set = TLS
     */
    public record Grpc(@DefaultValue("true") boolean enabled,
                       @DefaultValue("127.0.0.1") String address,
                       @DefaultValue("9090") int port,
                       @DefaultValue("16777216") int inboundMessageBytesMax,
                       @DefaultValue Tls tls) {
        public record Tls(Path certChain, Path privateKey) {
        }
    }

    /**
     * @param batchCommandsMax commands sharing one unit of work at most: a gRPC batch of 1,000 goes in one
     *                         transaction (2 clients × 1,000: ~7,700/s at 1,024, ~6,500–7,450 at 256,
     *                         ~6,500 at 64 on the development machine, docs/performance.md)
     * @param workers          batches committing at once
     * @param queueCapacity    commands waiting at most before callers are held back
     */
    public record GroupCommit(@DefaultValue("1024") int batchCommandsMax, @DefaultValue("2") int workers,
                              @DefaultValue("10000") int queueCapacity) {
    }

    /**
     * @param signingKeyFile     an Ed25519 private key (PKCS#8 PEM); empty: generated on first start in
     *                           {@code <dataDir>/keys} with owner-only permissions
     * @param checkpointEvents   issue a checkpoint once this many events are in the log past the last one
     * @param checkpointInterval or once this much time has passed since the last one (if the log grew)
     */
    public record Audit(java.nio.file.Path signingKeyFile,
                        @DefaultValue("10000") long checkpointEvents,
                        @DefaultValue("10s") java.time.Duration checkpointInterval) {
    }

    /**
     * @param connectTimeout how long a request waits for a database connection before it is answered
     *                       {@code database_unavailable} (503): short, so an outage is told at once
     */
    public record Db(String url, String user, String password, @DefaultValue("20") int poolSize,
                     @DefaultValue("3s") java.time.Duration connectTimeout) {
    }

    public record Embedded(@DefaultValue("0") int port) {
    }

    public record Bootstrap(String tenant, String apiKey) {
    }

    public Map<String, Integer> assets() {
        return assets == null ? Map.of() : assets;
    }
}
