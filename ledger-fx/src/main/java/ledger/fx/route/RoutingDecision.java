package ledger.fx.route;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import ledger.domain.money.Money;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;

/**
 * Why a rate was chosen (docs/fx.md, "Explaining a decision"): every provider the amount's tier
 * names, in the tier's order, with its outcome, and the winner if any answered. Renders as JSON
 * (rates and scores as strings, instants in RFC 3339 UTC) and as text for people.
 */
public record RoutingDecision(CurrencyPair pair, Money amount, String tier, Instant askedAt, RoutingPolicy policy,
                              List<ProviderOutcome> outcomes, Optional<String> winner) {
    private static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    public RoutingDecision {
        outcomes = List.copyOf(outcomes);
    }

    public Optional<ProviderOutcome> outcomeOf(String provider) {
        return outcomes.stream().filter(o -> o.provider().equals(provider)).findFirst();
    }

    public Optional<ProviderRate> winningRate() {
        return winner.flatMap(this::outcomeOf).flatMap(ProviderOutcome::rate);
    }

    public ObjectNode toJsonNode() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("pair", pair.toString());
        ObjectNode money = root.putObject("amount");
        money.put("value", amount.toPlainString());
        money.put("currency", amount.currency().code());
        root.put("tier", tier);
        root.put("askedAt", askedAt.toString());
        ObjectNode weights = root.putObject("weights");
        weights.put("latency", policy.latencyWeight().toPlainString());
        weights.put("spread", policy.spreadWeight().toPlainString());
        weights.put("quota", policy.quotaWeight().toPlainString());
        root.put("timeoutMs", policy.timeout().toMillis());
        ArrayNode providers = root.putArray("providers");
        for (ProviderOutcome outcome : outcomes) {
            ObjectNode node = providers.addObject();
            node.put("provider", outcome.provider());
            node.put("outcome", outcome.outcome().wire());
            node.put("detail", outcome.detail());
            outcome.latency().ifPresent(l -> node.put("latencyMs", l.toMillis()));
            outcome.rate().ifPresent(r -> {
                ObjectNode rate = node.putObject("rate");
                rate.put("bid", r.bid().toPlainString());
                rate.put("ask", r.ask().toPlainString());
                rate.put("mid", r.mid().toPlainString());
                rate.put("asOf", r.asOf().toString());
            });
            outcome.score().ifPresent(s -> {
                ObjectNode score = node.putObject("score");
                score.put("latency", s.latency().toPlainString());
                score.put("spread", s.spread().toPlainString());
                score.put("quota", s.quota().toPlainString());
                score.put("total", s.total().toPlainString());
            });
        }
        if (winner.isPresent()) {
            root.put("winner", winner.get());
        } else {
            root.putNull("winner");
        }
        return root;
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings and numbers always serializes", e);
        }
    }

    /** The decision for a person: one line for the question, one per provider. */
    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(pair).append(" for ").append(amount).append(", tier ").append(tier)
                .append(", asked at ").append(askedAt).append(": ")
                .append(winner.map(w -> "winner " + w).orElse("no provider answered")).append('\n');
        text.append("  weights latency ").append(policy.latencyWeight().toPlainString())
                .append(", spread ").append(policy.spreadWeight().toPlainString())
                .append(", quota ").append(policy.quotaWeight().toPlainString())
                .append("; timeout ").append(policy.timeout().toMillis()).append(" ms\n");
        for (ProviderOutcome outcome : outcomes) {
            text.append(winner.filter(outcome.provider()::equals).isPresent() ? "* " : "  ")
                    .append(outcome.provider()).append(": ").append(outcome.outcome().wire());
            outcome.latency().ifPresent(l -> text.append(" after ").append(l.toMillis()).append(" ms"));
            outcome.rate().ifPresent(r -> text.append(", bid ").append(r.bid().toPlainString())
                    .append(" ask ").append(r.ask().toPlainString()).append(" as of ").append(r.asOf()));
            outcome.score().ifPresent(s -> text.append(", score ").append(s.total().toPlainString())
                    .append(" (latency ").append(s.latency().toPlainString())
                    .append(", spread ").append(s.spread().toPlainString())
                    .append(", quota ").append(s.quota().toPlainString()).append(')'));
            if (outcome.outcome() != Outcome.ANSWERED) {
                text.append(" - ").append(outcome.detail());
            }
            text.append('\n');
        }
        return text.toString();
    }
}
