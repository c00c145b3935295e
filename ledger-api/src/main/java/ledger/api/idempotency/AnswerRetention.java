package ledger.api.idempotency;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Idempotency answers expire: a db-scheduler recurring task (one run at a time across every node on
 * the database) deletes the answers older than the retention. An expired key is a new key: a retry
 * of a transfer with it is answered by the transfer's id, which the event store keeps unique forever
 * ({@code UNIQUE (aggregate_identifier, sequence_number)}), so it can never post twice.
 */
@Configuration(proxyBeanMethods = false)
public class AnswerRetention {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerRetention.class);
    static final String TASK = "idempotency-retention";

    /**
     * @param retention     how long an answer is kept (LEDGER_IDEMPOTENCY_RETENTION, default 30 days)
     * @param purgeInterval how often the expired ones are deleted
     * @param batchRowsMax  rows deleted per statement (a run repeats until none is left)
     */
    @ConfigurationProperties(prefix = "ledger.idempotency")
    public record Settings(@DefaultValue("30d") Duration retention, @DefaultValue("1h") Duration purgeInterval,
                           @DefaultValue("10000") int batchRowsMax) {
        public Settings {
            if (retention.isNegative() || retention.isZero() || purgeInterval.isNegative() || purgeInterval.isZero()
                    || batchRowsMax < 1) {
                throw new IllegalArgumentException("ledger.idempotency.retention and purge-interval must be"
                        + " positive and batch-rows-max at least 1");
            }
        }
    }

    /** Deletes what expired; returns the number of answers deleted. */
    public static final class Purge {
        /** The most statements one run issues, so a run ends (the next one carries on). */
        static final int BATCHES_MAX = 1_000;
        private final IdempotencyStore store;
        private final Settings settings;
        private final Clock clock;

        Purge(IdempotencyStore store, Settings settings, Clock clock) {
            this.store = store;
            this.settings = settings;
            this.clock = clock;
        }

        public long run() {
            OffsetDateTime cutoff = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                    .minus(settings.retention());
            long deleted = 0;
            for (int batch = 0; batch < BATCHES_MAX; batch++) {
                int n = store.deleteCreatedBefore(cutoff, settings.batchRowsMax());
                deleted += n;
                if (n < settings.batchRowsMax()) {
                    break;
                }
            }
            if (deleted > 0) {
                LOG.info("idempotency retention: deleted {} answers created before {}", deleted, cutoff);
            }
            return deleted;
        }
    }

    @Bean
    Purge idempotencyPurge(IdempotencyStore store, Settings settings) {
        return new Purge(store, settings, Clock.systemUTC());
    }

    @Bean
    RecurringTask<Void> idempotencyRetentionTask(Purge purge, Settings settings) {
        return Tasks.recurring(TASK, FixedDelay.of(settings.purgeInterval()))
                .execute((instance, context) -> purge.run());
    }
}
