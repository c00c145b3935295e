package ledger.api.web;

import static ledger.api.web.RequestFields.body;
import static ledger.api.web.RequestFields.required;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import ledger.api.idempotency.LedgerCommands;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.AccountView;
import ledger.api.web.dto.Dtos.BalanceAsOfView;
import ledger.api.web.dto.Dtos.FreezeRequest;
import ledger.api.web.dto.Dtos.OpenAccountRequest;
import ledger.api.web.dto.Dtos.StatementLine;
import ledger.api.web.dto.Dtos.StatementPage;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.projections.LedgerQueries.EntryRow;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/accounts")
@Tag(name = "accounts")
@SecurityRequirement(name = "apiKey")
public class AccountController {
    public static final int STATEMENT_LIMIT_DEFAULT = 100;

    private final LedgerCommands commands;
    private final LedgerQueries queries;
    private final Responses responses;
    private final Currencies currencies;

    public AccountController(LedgerCommands commands, LedgerQueries queries, Responses responses,
                             Currencies currencies) {
        this.commands = commands;
        this.queries = queries;
        this.responses = responses;
        this.currencies = currencies;
    }

    @PostMapping
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Open an account in one currency")
    public ResponseEntity<String> open(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                       @RequestBody(required = false) OpenAccountRequest request,
                                       HttpServletRequest http) {
        body(request);
        AccountId id = AccountId.of(required("id", request.id()));
        CurrencyCode currency = currencies.resolve(required("currency", request.currency()));
        AccountKind kind = AccountKind.parse(required("kind", request.kind()));
        OverdraftLimit limit = OverdraftLimit.parse(request.overdraftLimit(), currency);
        return commands.send(caller, http, key, false, request,
                new OpenAccount(TenantId.of(caller.tenant()), id, currency, kind, limit));
    }

    @PostMapping("/{id}/freeze")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Freeze an account: no new transfers on either side")
    public ResponseEntity<String> freeze(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @PathVariable("id") String id,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @RequestBody(required = false) FreezeRequest request,
                                         HttpServletRequest http) {
        String reason = request == null ? null : request.reason();
        if (reason != null && reason.length() > 512) {
            throw ApiProblem.validation("reason has at most 512 characters");
        }
        return commands.send(caller, http, key, false, request == null ? new FreezeRequest(null) : request,
                new FreezeAccount(TenantId.of(caller.tenant()), AccountId.of(id), reason));
    }

    @PostMapping("/{id}/unfreeze")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Unfreeze an account")
    public ResponseEntity<String> unfreeze(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                           @PathVariable("id") String id,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                           HttpServletRequest http) {
        return commands.send(caller, http, key, false, id,
                new UnfreezeAccount(TenantId.of(caller.tenant()), AccountId.of(id)));
    }

    @PostMapping("/{id}/close")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Close an account (only at zero balance with nothing pending)")
    public ResponseEntity<String> close(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @PathVariable("id") String id,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                        HttpServletRequest http) {
        return commands.send(caller, http, key, false, id,
                new CloseAccount(TenantId.of(caller.tenant()), AccountId.of(id)));
    }

    @GetMapping("/{id}")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(summary = "Balances now, or the posted balance as of an instant (?asOf=RFC 3339)")
    public Object get(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id,
                      @RequestParam(name = "asOf", required = false) String asOf) {
        AccountRow account = find(caller, id);
        if (asOf == null) {
            return responses.account(account);
        }
        OffsetDateTime instant = parseInstant(asOf);
        LedgerQueries.PostedTotals totals = queries.postedAsOf(caller.tenant(), account.accountId(), instant)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND,
                        "account " + id + " did not exist at " + asOf));
        long balance = AccountKind.valueOf(account.kind()).normalSide() == Side.DEBIT
                ? totals.debitsPosted() - totals.creditsPosted() : totals.creditsPosted() - totals.debitsPosted();
        return new BalanceAsOfView(account.accountId(), account.currency(), Responses.ts(instant),
                Money.format(totals.debitsPosted(), account.scale()), Money.format(totals.creditsPosted(), account.scale()),
                Money.format(balance, account.scale()));
    }

    @GetMapping("/{id}/entries")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(summary = "Statement: every balance change of the account with its running balance, oldest first")
    public StatementPage entries(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                 @PathVariable("id") String id,
                                 @RequestParam(name = "limit", required = false) Integer limit,
                                 @RequestParam(name = "cursor", required = false) String cursor) {
        int pageSize = limit == null ? STATEMENT_LIMIT_DEFAULT : limit;
        if (pageSize < 1 || pageSize > LedgerQueries.PAGE_SIZE_MAX) {
            throw ApiProblem.validation("limit must be between 1 and " + LedgerQueries.PAGE_SIZE_MAX);
        }
        long after = parseCursor(cursor);
        AccountRow account = find(caller, id);
        boolean debitNormal = AccountKind.valueOf(account.kind()).normalSide() == Side.DEBIT;
        List<EntryRow> rows = queries.statement(caller.tenant(), account.accountId(), after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<StatementLine> lines = rows.stream().limit(pageSize).map(r -> {
            long balance = debitNormal ? r.debitsPosted() - r.creditsPosted() : r.creditsPosted() - r.debitsPosted();
            long available = balance - (debitNormal ? r.creditsPending() : r.debitsPending());
            return new StatementLine(r.seq(), r.transferId(), r.entryType(), r.side(),
                    Money.format(r.amount(), account.scale()), Money.format(r.debitsPosted(), account.scale()),
                    Money.format(r.creditsPosted(), account.scale()), Money.format(balance, account.scale()),
                    Money.format(available, account.scale()), Responses.ts(r.occurredAt()));
        }).toList();
        String next = more ? Long.toString(lines.get(lines.size() - 1).seq()) : null;
        return new StatementPage(account.accountId(), account.currency(), lines, next);
    }

    private AccountRow find(Caller caller, String id) {
        AccountId accountId = AccountId.of(id);
        return queries.account(caller.tenant(), accountId.value()).orElseThrow(() ->
                new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND, "account " + id + " does not exist"));
    }

    private static OffsetDateTime parseInstant(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiProblem.validation("asOf must be an RFC 3339 timestamp such as 2026-01-31T23:59:59Z");
        }
    }

    private static long parseCursor(String cursor) {
        if (cursor == null) {
            return -1;
        }
        try {
            long seq = Long.parseLong(cursor);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw ApiProblem.validation("cursor is not one this API returned");
        }
    }
}
