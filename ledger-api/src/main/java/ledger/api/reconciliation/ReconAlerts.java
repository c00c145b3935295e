package ledger.api.reconciliation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import ledger.audit.Ts6;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.model.AccountId;
import ledger.domain.model.TenantId;
import ledger.reconciliation.matching.Level;
import ledger.sagas.reconciliation.ContinuousMatching;
import ledger.sagas.reconciliation.ContinuousMatching.LedgerAccount;
import ledger.sagas.reconciliation.ReconQueries;
import ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationOutcomeRecorded;
import org.axonframework.commandhandling.gateway.CommandGateway;

/**
 * What happens when a break opens (docs/reconciliation.md, "L3"): the Micrometer counter
 * {@code ledger.reconciliation.breaks} by level; for an L3 break, the account circuit breaker (the
 * reconciled ledger account is frozen with the break's id as the reason, so every new posting on it is
 * refused with {@code account_frozen} naming the break, whichever API sends it) and the webhook (a
 * db-scheduler task, so its retries survive a restart).
 */
public class ReconAlerts implements ContinuousMatching.Alerts {
    /** The freeze reason's start: the break's id follows. */
    public static final String FREEZE_REASON = "reconciliation break ";

    private final CommandGateway gateway;
    private final ReconQueries queries;
    private final ContinuousMatching.PostingSource ledger;
    private final SchedulerClient scheduler;
    private final OneTimeTask<WebhookDelivery.Delivery> webhook;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<Level, Counter> counters = new EnumMap<>(Level.class);

    public ReconAlerts(CommandGateway gateway, ReconQueries queries, ContinuousMatching.PostingSource ledger,
                       SchedulerClient scheduler, OneTimeTask<WebhookDelivery.Delivery> webhook, ObjectMapper json,
                       MeterRegistry registry, Clock clock) {
        this.gateway = gateway;
        this.queries = queries;
        this.ledger = ledger;
        this.scheduler = scheduler;
        this.webhook = webhook;
        this.json = json;
        this.clock = clock;
        for (Level level : Level.values()) {
            counters.put(level, Counter.builder("ledger.reconciliation.breaks").tag("level", level.name())
                    .description("reconciliation breaks opened, by level").register(registry));
        }
    }

    @Override
    public void breakOpened(String tenant, ReconciliationOutcomeRecorded outcome, String ledgerAccount) {
        Level level = Level.valueOf(outcome.level());
        counters.get(level).increment();
        if (level != Level.L3) {
            return;
        }
        boolean frozen = false;
        if (ledgerAccount != null) {
            Optional<LedgerAccount> account = ledger.account(tenant, ledgerAccount);
            if (account.isPresent() && "OPEN".equals(account.get().status())) {
                gateway.sendAndWait(new FreezeAccount(TenantId.of(tenant), AccountId.of(ledgerAccount),
                        FREEZE_REASON + outcome.outcomeId() + ": " + outcome.reason()));
                gateway.sendAndWait(new ledger.sagas.reconciliation.ReconciliationCommands.RecordAccountFrozen(
                        new ledger.sagas.reconciliation.ReconciliationEvents.ReconciliationAccountFrozen(tenant,
                                outcome.outcomeId(), ledgerAccount)));
                frozen = true;
            }
        }
        if (queries.webhook(tenant).isPresent()) {
            String body = body(tenant, outcome, ledgerAccount, frozen);
            scheduler.scheduleIfNotExists(webhook.instance(tenant + ":" + outcome.outcomeId(),
                    new WebhookDelivery.Delivery(tenant, outcome.outcomeId(), body)), clock.instant());
        }
    }

    private String body(String tenant, ReconciliationOutcomeRecorded outcome, String account, boolean frozen) {
        ObjectNode node = json.createObjectNode();
        node.put("type", "reconciliation.break.l3");
        node.put("tenant", tenant);
        node.put("breakId", outcome.outcomeId());
        node.put("level", outcome.level());
        node.put("reason", outcome.reason());
        node.put("detail", outcome.detail());
        node.set("items", json.valueToTree(outcome.items()));
        node.put("account", account);
        node.put("accountFrozen", frozen);
        node.put("occurredAt", Ts6.format(clock.instant()));
        try {
            return json.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
