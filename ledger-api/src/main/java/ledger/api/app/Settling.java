package ledger.api.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import ledger.api.app.Commands.Keyed;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome.Done;
import ledger.api.app.Outcome.Refused;
import ledger.api.idempotency.IdempotencyStore;
import ledger.api.idempotency.IdempotencyStore.Stored;
import ledger.audit.Ts6;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TransferId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.fx.FxRejection;
import ledger.fx.convert.Conversion;
import ledger.fx.quote.Quote;
import ledger.fx.quote.QuoteBook;
import ledger.fx.route.NoRateAvailable;
import ledger.projections.LedgerQueries;
import ledger.sagas.settlement.SettlementCommands.StartSettlement;
import ledger.sagas.settlement.SettlementQueries;
import ledger.sagas.settlement.SettlementStatus;
import ledger.sagas.settlement.SettlementView;
import ledger.sagas.settlement.Settlements;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.stereotype.Component;

/**
 * The application layer of FX quotes and settlements, below REST (and any other transport): checks
 * a request, prices it with the quote book, and starts the settlement through {@link Commands} (one
 * idempotency key, one answer stored with the settlement's first event). docs/settlement.md.
 */
@Component
public final class Settling {
    /** The longest LEDGER_SETTLEMENT_TIMEOUT may be. */
    public static final Duration TIMEOUT_MAX = Duration.ofDays(1);

    private final Commands commands;
    private final IdempotencyStore store;
    private final Results results;
    private final AccountReads accounts;
    private final Currencies currencies;
    private final QuoteBook quotes;
    private final SettlementQueries views;
    private final Clock clock;
    private final Duration timeout;
    private final SettlementFinals finals;

    public Settling(Commands commands, IdempotencyStore store, Results results, LedgerQueries queries,
                    Currencies currencies, QuoteBook quotes, SettlementQueries views, SettlementFinals finals,
                    @Value("${LEDGER_SETTLEMENT_TIMEOUT:60s}") String timeout) {
        this.finals = finals;
        this.commands = commands;
        this.store = store;
        this.results = results;
        this.accounts = new AccountReads(queries);
        this.currencies = currencies;
        this.quotes = quotes;
        this.views = views;
        this.clock = Clock.systemUTC();
        this.timeout = timeout(timeout);
    }

    /** LEDGER_SETTLEMENT_TIMEOUT: how long a settlement may take before it is compensated. */
    static Duration timeout(String text) {
        Duration parsed;
        try {
            parsed = DurationStyle.detectAndParse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LEDGER_SETTLEMENT_TIMEOUT: \"" + text
                    + "\" is not a duration such as 60s, 2m or PT60S", e);
        }
        if (parsed.compareTo(Duration.ofSeconds(1)) < 0 || parsed.compareTo(TIMEOUT_MAX) > 0) {
            throw new IllegalArgumentException("LEDGER_SETTLEMENT_TIMEOUT is between 1s and " + TIMEOUT_MAX
                    + ", not " + text);
        }
        return parsed;
    }

    @Schema(description = "Lock a price to convert from one currency into another")
    public record QuoteRequest(@Schema(example = "USD") String from, @Schema(example = "JPY") String to,
                               @Schema(description = "in from's currency; picks the routing tier", example = "100.00")
                               String amount) {
    }

    public record QuoteView(String id, String from, String to, String rate, String bid, String ask, String mid,
                            String provider, String obtainedAt, String expiresAt,
                            @Schema(implementation = Views.JsonObject.class, nullable = true, description = "how the rate was"
                                    + " chosen: the routing decision") JsonNode decision) {
    }

    @Schema(description = "Convert between two accounts of different currencies: exactly one of sourceAmount "
            + "(what leaves the source) and destinationAmount (what reaches the destination)")
    public record SettlementRequest(@Schema(example = "fx-1") String id,
                                    @Schema(example = "alice-usd") String sourceAccount,
                                    @Schema(example = "bob-jpy") String destinationAccount,
                                    @Schema(example = "100.00") String sourceAmount,
                                    String destinationAmount,
                                    @Schema(description = "a quote from POST /v1/fx/quotes; absent: a new one") String quoteId) {
    }

    // ---------------------------------------------------------------- quotes

    public QuoteView quote(QuoteRequest request) {
        if (request == null) {
            throw Refusal.validation("a JSON body with from, to and amount is required");
        }
        CurrencyCode from = currency(request.from(), "from");
        CurrencyCode to = currency(request.to(), "to");
        if (from.equals(to)) {
            throw Refusal.validation("from and to must differ: both are " + from.code());
        }
        Money amount = Money.parsePositive(required(request.amount(), "amount"), from);
        return view(fx(() -> quotes.issue(from, to, amount)));
    }

    private static QuoteView view(Quote q) {
        return new QuoteView(q.id(), q.from().code(), q.to().code(), q.rate().toPlainString(),
                q.bid().toPlainString(), q.ask().toPlainString(), q.mid().toPlainString(), q.provider(),
                Ts6.format(q.obtainedAt()), Ts6.format(q.expiresAt()),
                q.decision() == null ? null : q.decision().toJsonNode());
    }

    // ---------------------------------------------------------------- settlements

    /**
     * Starts a settlement: answered once it is accepted (its first event stored), with status
     * PENDING; the saga runs the steps afterwards. A key already answered replays its answer
     * before anything is looked up again (a quote may have expired since).
     */
    public Outcome start(Origin origin, String key, String path, SettlementRequest request) {
        if (request == null) {
            throw Refusal.validation("a JSON body is required");
        }
        Keyed keyed = commands.keyed(key, path, request);
        String tenant = origin.caller().tenant();
        Optional<Stored> stored = store.find(tenant, key);
        if (stored.isPresent()) {
            return replay(stored.get(), keyed);
        }
        StartSettlement command;
        try {
            command = command(tenant, request);
        } catch (LedgerRejection rejection) {
            return commands.refused(origin, keyed, null, rejection.code().code(), rejection.getMessage());
        } catch (Refusal refusal) {
            if (Codes.VALIDATION_FAILED.equals(refusal.code())) {
                throw refusal; // malformed: not remembered
            }
            return commands.refused(origin, keyed, null, refusal.code(), refusal.getMessage());
        }
        try {
            return commands.sendUnanswered(origin, keyed, command);
        } catch (RuntimeException e) {
            // another request (another key) started a settlement with this id meanwhile: the event store's
            // unique key refused this one's first event, and the conflict retries could not help
            String id = command.started().settlementId();
            if (views.status(tenant, id).isPresent()) {
                return commands.refused(origin, keyed, command, RejectionCode.DUPLICATE_ID.code(),
                        "settlement " + id + " exists already");
            }
            throw e;
        }
    }

    private Outcome replay(Stored stored, Keyed keyed) {
        if (!Arrays.equals(stored.requestHash(), keyed.requestHash())) {
            return Commands.conflict(keyed.key());
        }
        if (stored.refusalCode() != null) {
            return new Refused(stored.refusalCode(), stored.refusalDetail(), true);
        }
        return new Done(results.read(stored.result(), SettlementView.class), true, true);
    }

    private StartSettlement command(String tenant, SettlementRequest r) {
        String id = required(r.id(), "id");
        TransferId.of(id); // the same characters as transfer ids
        if (id.length() > Settlements.ID_LENGTH_MAX) {
            throw Refusal.validation("id has at most " + Settlements.ID_LENGTH_MAX + " characters");
        }
        String sourceId = AccountId.of(required(r.sourceAccount(), "sourceAccount")).value();
        String destinationId = AccountId.of(required(r.destinationAccount(), "destinationAccount")).value();
        if ((r.sourceAmount() == null) == (r.destinationAmount() == null)) {
            throw Refusal.validation("exactly one of sourceAmount and destinationAmount is required");
        }
        if (sourceId.equals(destinationId)) {
            throw Refusal.validation("sourceAccount and destinationAccount must differ");
        }
        if (views.status(tenant, id).isPresent()) {
            throw new LedgerRejection(RejectionCode.DUPLICATE_ID, "settlement " + id + " exists already");
        }
        CurrencyCode from = currencies.resolve(accounts.currency(tenant, sourceId));
        CurrencyCode to = currencies.resolve(accounts.currency(tenant, destinationId));
        if (from.equals(to)) {
            throw new LedgerRejection(RejectionCode.CURRENCY_MISMATCH, "accounts " + sourceId + " and " + destinationId
                    + " both hold " + from.code() + ": a settlement converts between two currencies");
        }
        Money amount = r.sourceAmount() != null ? Money.parsePositive(r.sourceAmount(), from)
                : Money.parsePositive(r.destinationAmount(), to);
        Quote quote = r.quoteId() != null ? fx(() -> quotes.find(r.quoteId()))
                : fx(() -> quotes.issue(from, to, amount));
        if (!quote.from().equals(from) || !quote.to().equals(to)) {
            throw new LedgerRejection(RejectionCode.CURRENCY_MISMATCH, "quote " + quote.id() + " converts "
                    + quote.from().code() + " into " + quote.to().code() + ", the accounts hold " + from.code()
                    + " and " + to.code());
        }
        Conversion conversion = fx(() -> r.sourceAmount() != null ? quotes.sell(quote.id(), amount)
                : quotes.buy(quote.id(), amount));
        Instant deadline = clock.instant().plus(timeout);
        return new StartSettlement(Settlements.started(tenant, id, sourceId, destinationId, quote, conversion,
                deadline));
    }

    public SettlementView find(String tenant, String id) {
        return views.find(tenant, id).orElseThrow(() -> new Refusal(Codes.SETTLEMENT_NOT_FOUND,
                "settlement " + id + " does not exist"));
    }

    /** The longest a read may wait for a settlement to end. */
    public static final int WAIT_SECONDS_MAX = 30;
    /**
     * A waiting read looks at the settlement's status again after this long, then after twice as long
     * each time up to {@link #RECHECK_MAX}: an end committed on this node wakes it at once, so the looks
     * are for ends on other nodes, and cost one indexed read of one column each.
     */
    static final long RECHECK = TimeUnit.MILLISECONDS.toNanos(250);
    static final long RECHECK_MAX = TimeUnit.SECONDS.toNanos(1);

    /**
     * The settlement, once it has ended or after {@code waitSeconds} (0 to {@link #WAIT_SECONDS_MAX};
     * null or 0: at once), whichever comes first: one read instead of a client's polling.
     */
    public SettlementView find(String tenant, String id, Integer waitSeconds) {
        int seconds = waitSeconds == null ? 0 : waitSeconds;
        if (seconds < 0 || seconds > WAIT_SECONDS_MAX) {
            throw Refusal.validation("waitSeconds is between 0 and " + WAIT_SECONDS_MAX);
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        return awaitEnd(() -> find(tenant, id), view -> SettlementStatus.PENDING.name().equals(view.status()),
                () -> views.status(tenant, id).map(SettlementStatus.PENDING.name()::equals).orElse(false),
                new Watch(finals, tenant, id), until);
    }

    /** This node's wake-up for one settlement's end ({@link SettlementFinals}). */
    record Watch(SettlementFinals finals, String tenant, String id) {
        CompletableFuture<Void> watch() {
            return finals.watch(tenant, id);
        }

        void forget(CompletableFuture<Void> watch) {
            finals.forget(tenant, id, watch);
        }
    }

    /**
     * The view ({@code read}) once the settlement is no longer pending or {@code until} (a
     * {@link System#nanoTime} instant) has passed. Until then it waits for this node's wake-up and
     * looks at the status alone ({@code stillPending}: false also when the settlement does not exist,
     * which the read then refuses) at once, then after {@link #RECHECK}, doubling up to
     * {@link #RECHECK_MAX}; the whole view is read once, at the end (again only after an early wake-up).
     */
    static <V> V awaitEnd(Supplier<V> read, Predicate<V> pending, BooleanSupplier stillPending, Watch end, long until) {
        if (until - System.nanoTime() <= 0) {
            return read.get();
        }
        CompletableFuture<Void> watch = end.watch(); // before the look: an end committed after it wakes us
        try {
            if (!stillPending.getAsBoolean()) {
                return read.get();
            }
            long recheck = RECHECK;
            while (true) {
                long left = until - System.nanoTime();
                if (left <= 0) {
                    return read.get();
                }
                boolean woken = SettlementFinals.await(watch, Math.min(left, recheck));
                recheck = Math.min(recheck * 2, RECHECK_MAX);
                if (woken) {
                    end.forget(watch);
                    watch = end.watch(); // the next wake-up, should this one come before the end is visible
                } else if (until - System.nanoTime() <= 0) {
                    return read.get();
                }
                if (woken || !stillPending.getAsBoolean()) {
                    V view = read.get();
                    if (!pending.test(view)) {
                        return view;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return read.get();
        } finally {
            end.forget(watch);
        }
    }

    public SettlementQueries.Page list(String tenant, String status, String cursor, Integer limit) {
        SettlementStatus wanted = null;
        if (status != null && !status.isEmpty()) {
            try {
                wanted = SettlementStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                throw Refusal.validation("status is one of " + Arrays.toString(SettlementStatus.values())
                        + ", not \"" + status + "\"");
            }
        }
        int size = limit == null ? SettlementQueries.PAGE_LIMIT_DEFAULT : limit;
        if (size < 1 || size > SettlementQueries.PAGE_LIMIT_MAX) {
            throw Refusal.validation("limit is between 1 and " + SettlementQueries.PAGE_LIMIT_MAX);
        }
        String after = cursor == null || cursor.isEmpty() ? null : TransferId.of(cursor).value();
        return views.list(tenant, wanted, after, size);
    }

    // ---------------------------------------------------------------- helpers

    private CurrencyCode currency(String code, String field) {
        return currencies.find(required(code, field)).orElseThrow(() -> new LedgerRejection(
                RejectionCode.UNKNOWN_CURRENCY, field + ": \"" + code + "\" is not a currency this ledger knows"));
    }

    private static String required(String value, String field) {
        if (value == null || value.isEmpty()) {
            throw Refusal.validation(field + " is required");
        }
        return value;
    }

    /** Runs an FX call, turning its refusal into the API's (same code text). */
    private static <T> T fx(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (NoRateAvailable e) {
            throw new Refusal(Codes.RATE_UNAVAILABLE, e.getMessage());
        } catch (FxRejection e) {
            Optional<RejectionCode> shared = Codes.rejection(e.code().code());
            if (shared.isPresent()) {
                throw new LedgerRejection(shared.get(), e.getMessage());
            }
            throw new Refusal(e.code().code(), e.getMessage());
        }
    }
}
