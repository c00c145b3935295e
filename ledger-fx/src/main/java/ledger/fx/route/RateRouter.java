package ledger.fx.route;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import ledger.domain.money.Money;
import ledger.fx.rate.CurrencyPair;
import ledger.fx.rate.ProviderRate;
import ledger.fx.rate.RateProvider;

/**
 * Asks the providers of an amount's tier at the same time and keeps the best answer
 * (docs/fx.md, "Routing"). A provider is skipped when its circuit breaker is open or its quota is
 * used up; an answer is refused when it comes after the timeout, fails, or is older than the
 * maximum age; among the rest the highest {@link Scoring score} wins, ties going to the provider
 * listed first. Every decision records all of this ({@link RoutingDecision}).
 *
 * <p>Latency is measured with {@link System#nanoTime()} (elapsed time needs a monotonic source);
 * ages, quota windows and the breakers' open periods follow the injected {@link Clock}.
 */
public final class RateRouter implements AutoCloseable {
    public static final int PROVIDERS_MAX = 32;

    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final AmountTiers tiers;
    private final RoutingPolicy policy;
    private final Clock clock;
    private final ThreadPoolExecutor executor;

    private record Slot(RateProvider provider, CircuitBreaker breaker, Optional<QuotaCounter> quota, Duration maxAge) {
    }

    /** A provider's answer or failure and when it came, measured on the provider's own thread. */
    private record Timed(ProviderRate rate, Exception failure, long nanos) {
    }

    private record Asked(int index, Slot slot, Future<Timed> answer, long startNanos, OptionalLong quotaLeft) {
    }

    public RateRouter(List<ProviderSlot> providers, AmountTiers tiers, RoutingPolicy policy, BreakerSettings breakers,
                      Clock clock) {
        if (providers.isEmpty() || providers.size() > PROVIDERS_MAX) {
            throw new IllegalArgumentException("router: between 1 and " + PROVIDERS_MAX + " providers, got " + providers.size());
        }
        for (ProviderSlot slot : providers) {
            if (slots.containsKey(slot.name())) {
                throw new IllegalArgumentException("router: two providers are named \"" + slot.name() + "\"");
            }
            CircuitBreaker breaker = CircuitBreaker.of(slot.name(), breakers.toConfig(clock));
            slots.put(slot.name(), new Slot(slot.provider(), breaker, slot.quota().map(QuotaCounter::new),
                    slot.maxAge().orElse(policy.maxAge())));
        }
        for (String name : tiers.providerNames()) {
            if (!slots.containsKey(name)) {
                throw new IllegalArgumentException("router: a tier names \"" + name + "\", which is not a configured provider");
            }
        }
        this.tiers = tiers;
        this.policy = policy;
        this.clock = clock;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(0, policy.threadsMax(), 30, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "fx-provider-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** The breaker of one provider, for metrics and tests. */
    public CircuitBreaker breaker(String provider) {
        Slot slot = slots.get(provider);
        if (slot == null) {
            throw new IllegalArgumentException("no provider named \"" + provider + "\"");
        }
        return slot.breaker();
    }

    public RoutingPolicy policy() {
        return policy;
    }

    /** The best rate for {@code pair} when converting {@code amount}, or {@link NoRateAvailable}. */
    public RoutingDecision best(CurrencyPair pair, Money amount) {
        RoutingDecision decision = route(pair, amount);
        if (decision.winner().isEmpty()) {
            throw new NoRateAvailable(decision);
        }
        return decision;
    }

    /** One decision; it has no winner when no provider gave a usable answer. */
    public RoutingDecision route(CurrencyPair pair, Money amount) {
        Instant askedAt = clock.instant();
        AmountTiers.Tier tier = tiers.tierFor(amount);
        List<Slot> eligible = tier.providers().stream().map(slots::get).toList();
        ProviderOutcome[] outcomes = new ProviderOutcome[eligible.size()];
        List<Asked> asked = new ArrayList<>();
        long startNanos = System.nanoTime();
        for (int i = 0; i < eligible.size(); i++) {
            Slot slot = eligible.get(i);
            Optional<ProviderOutcome> skipped = admit(slot);
            if (skipped.isPresent()) {
                outcomes[i] = skipped.get();
                continue;
            }
            OptionalLong quotaLeft = slot.quota().map(q -> q.tryUse(askedAt)).orElse(OptionalLong.empty());
            if (slot.quota().isPresent() && quotaLeft.isEmpty()) {
                slot.breaker().releasePermission();
                outcomes[i] = quotaExhausted(slot, askedAt);
                continue;
            }
            try {
                long start = System.nanoTime();
                Future<Timed> answer = executor.submit(() -> {
                    try {
                        ProviderRate rate = slot.provider().rate(pair);
                        return new Timed(rate, null, System.nanoTime() - start);
                    } catch (Exception e) { // errors (broken invariants) are not caught
                        return new Timed(null, e, System.nanoTime() - start);
                    }
                });
                asked.add(new Asked(i, slot, answer, start, quotaLeft));
            } catch (RejectedExecutionException e) {
                slot.breaker().releasePermission();
                outcomes[i] = ProviderOutcome.notAnswered(slot.provider().name(), Outcome.FAILED,
                        "not asked: all " + policy.threadsMax() + " provider threads are busy", Optional.empty());
            }
        }
        long deadline = startNanos + policy.timeout().toNanos();
        for (Asked one : asked) {
            outcomes[one.index()] = collect(one, pair, deadline, askedAt);
        }
        List<ProviderOutcome> all = List.of(outcomes);
        return new RoutingDecision(pair, amount, tier.name(), askedAt, policy, all, winner(all));
    }

    private Optional<ProviderOutcome> admit(Slot slot) {
        if (slot.breaker().tryAcquirePermission()) {
            return Optional.empty();
        }
        CircuitBreaker.State state = slot.breaker().getState();
        float failureRate = slot.breaker().getMetrics().getFailureRate(); // -1 until enough calls are recorded
        String why = state == CircuitBreaker.State.HALF_OPEN
                ? "circuit breaker is HALF_OPEN and its trial calls are taken"
                : "circuit breaker is " + state + (failureRate >= 0 ? " after a failure rate of " + failureRate + " %" : "");
        return Optional.of(ProviderOutcome.notAnswered(slot.provider().name(), Outcome.CIRCUIT_OPEN, why, Optional.empty()));
    }

    private ProviderOutcome quotaExhausted(Slot slot, Instant askedAt) {
        QuotaCounter counter = slot.quota().orElseThrow();
        return ProviderOutcome.notAnswered(slot.provider().name(), Outcome.QUOTA_EXHAUSTED,
                "all " + counter.quota().callsMax() + " calls of the " + counter.quota().period()
                        + " period are used; the next period starts at " + counter.windowEnd(askedAt), Optional.empty());
    }

    private ProviderOutcome collect(Asked one, CurrencyPair pair, long deadline, Instant askedAt) {
        String name = one.slot().provider().name();
        CircuitBreaker breaker = one.slot().breaker();
        Timed timed;
        try {
            timed = one.answer().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            one.answer().cancel(true);
            long waited = System.nanoTime() - one.startNanos();
            breaker.onError(waited, TimeUnit.NANOSECONDS, e);
            return ProviderOutcome.notAnswered(name, Outcome.TIMEOUT,
                    "no answer within the " + policy.timeout().toMillis() + " ms timeout", Optional.of(Duration.ofNanos(waited)));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error; // an invariant broken inside a provider is a programming error: never caught
            }
            throw new IllegalStateException("the provider task catches every exception", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            one.answer().cancel(true);
            breaker.releasePermission();
            return ProviderOutcome.notAnswered(name, Outcome.FAILED, "the router was interrupted while waiting", Optional.empty());
        }
        Duration latency = Duration.ofNanos(timed.nanos());
        if (timed.failure() != null) {
            breaker.onError(timed.nanos(), TimeUnit.NANOSECONDS, timed.failure());
            return ProviderOutcome.notAnswered(name, Outcome.FAILED, String.valueOf(timed.failure().getMessage()),
                    Optional.of(latency));
        }
        ProviderRate rate = timed.rate();
        if (!rate.pair().equals(pair) || !rate.provider().equals(name)) {
            IllegalStateException wrong = new IllegalStateException(
                    "answered " + rate.pair() + " as " + rate.provider() + " when asked for " + pair);
            breaker.onError(timed.nanos(), TimeUnit.NANOSECONDS, wrong);
            return ProviderOutcome.notAnswered(name, Outcome.FAILED, wrong.getMessage(), Optional.of(latency));
        }
        breaker.onSuccess(timed.nanos(), TimeUnit.NANOSECONDS);
        Duration age = Duration.between(rate.asOf(), askedAt);
        if (age.compareTo(one.slot().maxAge()) > 0) {
            return ProviderOutcome.stale(rate, latency, age, one.slot().maxAge());
        }
        Optional<Scoring.QuotaLeft> quota = one.slot().quota()
                .map(q -> new Scoring.QuotaLeft(one.quotaLeft().orElseThrow(), q.quota().callsMax()));
        return ProviderOutcome.answered(rate, latency, Scoring.score(policy, latency, rate, quota));
    }

    /** The highest total; on equal totals the provider listed first in the tier. */
    private static Optional<String> winner(List<ProviderOutcome> outcomes) {
        ProviderOutcome best = null;
        for (ProviderOutcome outcome : outcomes) {
            if (outcome.score().isEmpty()) {
                continue;
            }
            if (best == null || outcome.score().get().total().compareTo(best.score().get().total()) > 0) {
                best = outcome;
            }
        }
        return Optional.ofNullable(best).map(ProviderOutcome::provider);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
