package ledger.api.web;

import static ledger.api.web.RequestFields.body;
import static ledger.api.web.RequestFields.required;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import ledger.api.idempotency.LedgerCommands;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.FreezeRequest;
import ledger.api.web.dto.Dtos.OpenAccountRequest;
import ledger.api.web.dto.Dtos.StatementPage;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.TenantId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
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
    private final LedgerCommands commands;
    private final LedgerQueries queries;
    private final Responses responses;
    private final Currencies currencies;
    private final AccountReads reads;

    public AccountController(LedgerCommands commands, LedgerQueries queries, Responses responses,
                             Currencies currencies) {
        this.commands = commands;
        this.queries = queries;
        this.responses = responses;
        this.currencies = currencies;
        this.reads = new AccountReads(queries);
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
        AccountRow account = reads.find(caller.tenant(), id);
        return asOf == null ? responses.account(account) : reads.balanceAsOf(caller.tenant(), account, asOf, "asOf");
    }

    @GetMapping("/{id}/entries")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(summary = "Statement: every balance change of the account with its running balance, oldest first")
    public StatementPage entries(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                 @PathVariable("id") String id,
                                 @RequestParam(name = "limit", required = false) Integer limit,
                                 @RequestParam(name = "cursor", required = false) String cursor) {
        return reads.statement(caller.tenant(), id, limit, cursor);
    }
}
