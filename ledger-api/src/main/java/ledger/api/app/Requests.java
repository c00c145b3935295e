package ledger.api.app;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.AccountCommands.UpdateAccount;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.ReverseTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.projections.LedgerQueries;
import ledger.sagas.settlement.SettlementSaga;
import org.springframework.stereotype.Component;

/**
 * The requests both APIs take, and the one place they are checked and turned into commands. REST
 * binds them from JSON; gRPC builds them from its messages (an empty string there is absent here).
 * A request is also what an idempotency key remembers: its JSON, hashed with the operation's path
 * ({@link Commands#requestHash}), recognises a retry on either API.
 */
@Component
public final class Requests {
    public static final int REASON_LENGTH_MAX = 512;

    private final Currencies currencies;
    private final LedgerQueries queries;

    public Requests(Currencies currencies, LedgerQueries queries) {
        this.currencies = currencies;
        this.queries = queries;
    }

    /** How a transport names fields in refusals: REST's JSON (camelCase) or gRPC's protobuf (snake_case). */
    public enum Fields {
        JSON, PROTO;

        public String name(String camel) {
            if (this == JSON) {
                return camel;
            }
            StringBuilder snake = new StringBuilder(camel.length() + 4);
            for (char c : camel.toCharArray()) {
                if (Character.isUpperCase(c)) {
                    snake.append('_').append(Character.toLowerCase(c));
                } else {
                    snake.append(c);
                }
            }
            return snake.toString();
        }
    }

    @Schema(description = "Open an account")
    public record OpenAccountRequest(
            @Schema(example = "wallet-42", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            @Schema(example = "LIABILITY", allowableValues = {"ASSET", "LIABILITY", "EQUITY", "REVENUE", "EXPENSE"},
                    requiredMode = Schema.RequiredMode.REQUIRED) String kind,
            @Schema(description = "absent: no overdraft; an amount such as \"100.00\"; or \"unlimited\"",
                    example = "100.00") String overdraftLimit,
            @Schema(description = "at most 32 entries, keys 1-64, values up to 512 characters")
            Map<String, String> metadata) {
        public OpenAccountRequest(String id, String currency, String kind, String overdraftLimit) {
            this(id, currency, kind, overdraftLimit, null);
        }
    }

    @Schema(description = "Change an account: what is given is replaced, what is absent stays")
    public record UpdateAccountRequest(
            @Schema(description = "the whole new metadata (at most 32 entries)") Map<String, String> metadata,
            @Schema(description = "\"0\" removes the overdraft; an amount such as \"100.00\"; or \"unlimited\"",
                    example = "250.00") String overdraftLimit) {
    }

    public record FreezeRequest(@Schema(example = "fraud review") String reason) {
    }

    @Schema(description = "A two-leg transfer; pending reserves the amount until posted, voided or expired")
    public record TransferRequest(
            @Schema(example = "tr-1001", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "cash", requiredMode = Schema.RequiredMode.REQUIRED) String debitAccount,
            @Schema(example = "wallet-42", requiredMode = Schema.RequiredMode.REQUIRED) String creditAccount,
            @Schema(example = "25.00", requiredMode = Schema.RequiredMode.REQUIRED) String amount,
            @Schema(example = "EUR", requiredMode = Schema.RequiredMode.REQUIRED) String currency,
            Boolean pending,
            @Schema(description = "pending only: seconds until an unposted transfer expires") Long timeoutSeconds,
            Map<String, String> metadata) {
    }

    @Schema(description = "One leg: exactly one of debit and credit")
    public record LegRequest(
            @Schema(example = "cash", requiredMode = Schema.RequiredMode.REQUIRED) String account,
            @Schema(example = "10.00") String debit,
            @Schema(example = "10.00") String credit) {
    }

    @Schema(description = "A multi-leg journal entry, balanced per currency")
    public record EntryRequest(
            @Schema(example = "je-7", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<LegRequest> legs,
            Map<String, String> metadata) {
    }

    @Schema(description = "Reverse a posted transfer (docs/reversals.md)")
    public record ReverseRequest(
            @Schema(description = "absent: all that is left to reverse; an entry is reversed in full only",
                    example = "20.00") String amount,
            @Schema(description = "the reversal's id; absent: <transfer id>.r<n> for its n-th reversal",
                    example = "refund-7") String id) {
    }

    public record PostPendingRequest(@Schema(description = "absent: post the whole pending amount", example = "20.00")
                                     String amount) {
    }


    // ---------------------------------------------------------------- checks and commands

    public OpenAccount open(TenantId tenant, OpenAccountRequest request, Fields fields) {
        body(request);
        AccountId id = AccountId.of(required(fields, "id", request.id()));
        CurrencyCode currency = currencies.resolve(required(fields, "currency", request.currency()));
        AccountKind kind = AccountKind.parse(required(fields, "kind", request.kind()));
        OverdraftLimit limit = OverdraftLimit.parse(request.overdraftLimit(), currency);
        return new OpenAccount(tenant, id, currency, kind, limit, request.metadata() == null ? Map.of()
                : request.metadata());
    }

    /**
     * A change of an account's metadata and/or overdraft limit; the limit is read in the account's
     * currency, so the account is read first.
     */
    public UpdateAccount update(TenantId tenant, String accountId, UpdateAccountRequest request) {
        body(request);
        AccountId id = AccountId.of(accountId);
        if (request.metadata() == null && request.overdraftLimit() == null) {
            throw Refusal.validation("give metadata, overdraftLimit or both to change");
        }
        OverdraftLimit limit = null;
        if (request.overdraftLimit() != null) {
            LedgerQueries.AccountRow account = queries.account(tenant.value(), id.value()).orElseThrow(() ->
                    new ledger.domain.model.LedgerRejection(ledger.domain.model.RejectionCode.ACCOUNT_NOT_FOUND,
                            "account " + accountId + " does not exist"));
            limit = OverdraftLimit.parse(request.overdraftLimit(), new CurrencyCode(account.currency(), account.scale()));
        }
        return new UpdateAccount(tenant, id, request.metadata(), limit);
    }

    public FreezeAccount freeze(TenantId tenant, String accountId, FreezeRequest request) {
        String reason = request == null ? null : request.reason();
        if (reason != null && reason.length() > REASON_LENGTH_MAX) {
            throw Refusal.validation("reason has at most " + REASON_LENGTH_MAX + " characters");
        }
        return new FreezeAccount(tenant, AccountId.of(accountId), reason);
    }

    public UnfreezeAccount unfreeze(TenantId tenant, String accountId) {
        return new UnfreezeAccount(tenant, AccountId.of(accountId));
    }

    public CloseAccount close(TenantId tenant, String accountId) {
        return new CloseAccount(tenant, AccountId.of(accountId));
    }

    public CreateTransfer transfer(TenantId tenant, TransferRequest request, Fields fields) {
        body(request);
        TransferId id = clientTransferId(fields, request.id());
        AccountId debit = AccountId.of(required(fields, "debitAccount", request.debitAccount()));
        AccountId credit = AccountId.of(required(fields, "creditAccount", request.creditAccount()));
        required(fields, "amount", request.amount());
        CurrencyCode currency = currencies.resolve(required(fields, "currency", request.currency()));
        Money amount = Money.parsePositive(request.amount(), currency);
        boolean pending = Boolean.TRUE.equals(request.pending());
        Duration timeout = TransferCommands.timeout(pending, request.timeoutSeconds());
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        return new CreateTransfer(tenant, id, debit, credit, amount, pending, timeout, metadata);
    }

    public PostEntry entry(TenantId tenant, EntryRequest request, Fields fields) {
        body(request);
        TransferId id = clientTransferId(fields, request.id());
        List<LegRequest> legs = required(fields, "legs", request.legs());
        if (legs.size() < 2 || legs.size() > TransferCommands.LEGS_MAX) {
            throw Refusal.validation("an entry has 2 to " + TransferCommands.LEGS_MAX + " legs");
        }
        List<AccountId> accounts = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            LegRequest leg = legs.get(i);
            if (leg == null) {
                throw Refusal.validation("legs[" + i + "] must be an object");
            }
            accounts.add(AccountId.of(required(fields, "legs[" + i + "].account", leg.account())));
            if ((leg.debit() == null) == (leg.credit() == null)) {
                throw Refusal.validation("legs[" + i + "] has exactly one of \"debit\" and \"credit\"");
            }
        }
        List<EntryLeg> entryLegs = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            LegRequest leg = legs.get(i);
            Side side = leg.debit() != null ? Side.DEBIT : Side.CREDIT;
            entryLegs.add(new EntryLeg(accounts.get(i), side, side == Side.DEBIT ? leg.debit() : leg.credit()));
        }
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        return new PostEntry(tenant, id, entryLegs, metadata);
    }

    public PostPendingTransfer post(TenantId tenant, String transferId, PostPendingRequest request) {
        return new PostPendingTransfer(tenant, TransferId.of(transferId), request == null ? null : request.amount());
    }

    /**
     * The reversal of {@code transferId}, naming the accounts of its legs as read now (none if it is not
     * found: the handler says so), so the handler locks them before it reads the transfer.
     */
    public ReverseTransfer reverse(TenantId tenant, String transferId, ReverseRequest request) {
        ReverseRequest body = request == null ? new ReverseRequest(null, null) : request;
        TransferId id = TransferId.of(transferId);
        TransferId reversalId = body.id() == null ? null : TransferId.of(body.id());
        List<AccountId> accounts = queries.transfer(tenant.value(), id.value())
                .map(t -> t.legs().stream().map(l -> AccountId.of(l.accountId())).toList()).orElse(List.of());
        return new ReverseTransfer(tenant, id, reversalId, body.amount(), accounts);
    }

    public VoidPendingTransfer voidPending(TenantId tenant, String transferId) {
        return new VoidPendingTransfer(tenant, TransferId.of(transferId));
    }

    /** A value every request of its kind must carry: absent is {@code validation_failed}, naming the field. */
    /**
     * The id of a transfer or entry a client creates. The ids a settlement derives for its postings
     * ({@code <settlement id>:fx-reserve}, {@code :fx-destination}, {@code :fx-reversal}) share the
     * tenant's id space; a client may not take them, or a settlement would take the client's
     * transfer for its own (docs/settlement.md, "Restarts").
     */
    static TransferId clientTransferId(Fields fields, String value) {
        TransferId id = TransferId.of(required(fields, "id", value));
        for (String settlementSuffix : SETTLEMENT_SUFFIXES) {
            if (id.value().endsWith(settlementSuffix)) {
                throw Refusal.validation("field \"" + fields.name("id") + "\": ids ending in \"" + settlementSuffix
                        + "\" are kept for the postings of settlements");
            }
        }
        return id;
    }

    private static final List<String> SETTLEMENT_SUFFIXES = List.of(
            SettlementSaga.reservationId(""), SettlementSaga.destinationId(""), SettlementSaga.reversalId(""));

    public static <T> T required(Fields fields, String field, T value) {
        if (value == null) {
            throw Refusal.validation("field \"" + fields.name(field) + "\" is required");
        }
        return value;
    }

    public static <T> T body(T body) {
        if (body == null) {
            throw Refusal.validation("the body must be a JSON object");
        }
        return body;
    }
}
