package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import ledger.api.app.AccountReads;
import ledger.api.app.Listing;
import ledger.api.app.Views.AccountPage;
import ledger.api.app.Requests;
import ledger.api.app.Requests.Fields;
import ledger.api.app.Requests.FreezeRequest;
import ledger.api.app.Requests.OpenAccountRequest;
import ledger.api.app.Requests.UpdateAccountRequest;
import ledger.api.app.Results;
import ledger.api.app.Views.StatementPage;
import ledger.api.app.Views.AccountStatusView;
import ledger.api.app.Views.AccountView;
import ledger.api.web.dto.Dtos.AccountRead;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.domain.model.TenantId;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
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
    private final RestCommands commands;
    private final Requests requests;
    private final Results results;
    private final AccountReads reads;
    private final Listing listing;

    public AccountController(RestCommands commands, Requests requests, LedgerQueries queries, Results results,
                             Listing listing) {
        this.listing = listing;
        this.commands = commands;
        this.requests = requests;
        this.results = results;
        this.reads = new AccountReads(queries);
    }

    @GetMapping
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "listAccounts", summary = "List the tenant's accounts in id order, by currency, kind,"
            + " status and metadata.<key>=<value> (docs/listing.md); limit 1-1000 (default 100), nextCursor for the"
            + " next page")
    @ApiResponse(responseCode = "200", description = "One page of accounts; nextCursor null on the last",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AccountPage.class)))
    @Refuses({})
    public AccountPage list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                            @RequestParam(name = "currency", required = false) String currency,
                            @RequestParam(name = "kind", required = false) String kind,
                            @RequestParam(name = "status", required = false) String status,
                            @RequestParam(name = "limit", required = false) String limit,
                            @RequestParam(name = "cursor", required = false) String cursor,
                            HttpServletRequest http) {
        ListQuery query = ListQuery.of(http, ACCOUNT_PARAMETERS, true);
        return listing.accounts(caller.tenant(), new Listing.AccountQuery(query.get("currency"), query.get("kind"),
                query.get("status"), query.metadata(), query.limit(), query.get("cursor")));
    }

    private static final java.util.Set<String> ACCOUNT_PARAMETERS = java.util.Set.of("currency", "kind", "status",
            "limit", "cursor");

    @PostMapping
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "openAccount", summary = "Open an account in one currency")
    @ApiResponse(responseCode = "201", description = "Opened (also the stored answer to a retry with the same Idempotency-Key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AccountView.class)))
    @Refuses({"unknown_currency", "amount_invalid", "duplicate_id"})
    public ResponseEntity<String> open(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                       @RequestBody(required = false) OpenAccountRequest request,
                                       HttpServletRequest http) {
        return commands.send(caller, http, key, false, request,
                requests.open(TenantId.of(caller.tenant()), request, Fields.JSON));
    }

    @PatchMapping("/{id}")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "updateAccount", summary = "Change an account's metadata (replaced whole) and/or"
            + " overdraft limit; a limit the balance already passes is refused with limit_below_balance"
            + " (docs/listing.md)")
    @ApiResponse(responseCode = "200", description = "Changed: the limit now, and the metadata now if it was set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = ledger.api.app.Views.AccountUpdateView.class)))
    @Refuses({"account_not_found", "account_closed", "limit_below_balance", "amount_invalid"})
    public ResponseEntity<String> update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @PathVariable("id") String id,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @RequestBody(required = false) UpdateAccountRequest request,
                                         HttpServletRequest http) {
        return commands.send(caller, http, key, false, request,
                requests.update(TenantId.of(caller.tenant()), id, request));
    }

    @PostMapping("/{id}/freeze")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "freezeAccount", summary = "Freeze an account: no new transfers on either side")
    @ApiResponse(responseCode = "200", description = "Frozen",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AccountStatusView.class)))
    @Refuses({"account_not_found", "account_closed"})
    public ResponseEntity<String> freeze(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @PathVariable("id") String id,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @RequestBody(required = false) FreezeRequest request,
                                         HttpServletRequest http) {
        FreezeRequest body = request == null ? new FreezeRequest(null) : request;
        return commands.send(caller, http, key, false, body, requests.freeze(TenantId.of(caller.tenant()), id, body));
    }

    @PostMapping("/{id}/unfreeze")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "unfreezeAccount", summary = "Unfreeze an account")
    @ApiResponse(responseCode = "200", description = "Open again",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AccountStatusView.class)))
    @Refuses({"account_not_found", "account_closed"})
    public ResponseEntity<String> unfreeze(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                           @PathVariable("id") String id,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                           HttpServletRequest http) {
        return commands.send(caller, http, key, false, id, requests.unfreeze(TenantId.of(caller.tenant()), id));
    }

    @PostMapping("/{id}/close")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "closeAccount", summary = "Close an account (only at zero balance with nothing pending)")
    @ApiResponse(responseCode = "200", description = "Closed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = AccountStatusView.class)))
    @Refuses({"account_not_found", "account_not_empty", "account_closed"})
    public ResponseEntity<String> close(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @PathVariable("id") String id,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                        HttpServletRequest http) {
        return commands.send(caller, http, key, false, id, requests.close(TenantId.of(caller.tenant()), id));
    }

    @GetMapping("/{id}")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getAccount", summary = "Balances now, or the posted balance as of an instant (?asOf=RFC 3339)")
    @ApiResponse(responseCode = "200", description = "Without asOf: the account and its balances now;"
            + " with asOf: its posted balance at that instant",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(
                    implementation = AccountRead.class)))
    @Refuses({"account_not_found"})
    public Object get(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id,
                      @RequestParam(name = "asOf", required = false) String asOf) {
        AccountRow account = reads.find(caller.tenant(), id);
        return asOf == null ? results.account(account) : reads.balanceAsOf(caller.tenant(), account, asOf, "asOf");
    }

    @GetMapping("/{id}/entries")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getStatement", summary = "Statement: every balance change of the account with its running balance, oldest first")
    @ApiResponse(responseCode = "200", description = "One page of the statement; nextCursor continues it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = StatementPage.class)))
    @Refuses({"account_not_found"})
    public StatementPage entries(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                 @PathVariable("id") String id,
                                 @RequestParam(name = "limit", required = false) Integer limit,
                                 @RequestParam(name = "cursor", required = false) String cursor) {
        return reads.statement(caller.tenant(), id, limit, cursor);
    }
}
