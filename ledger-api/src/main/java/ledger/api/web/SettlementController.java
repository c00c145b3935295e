package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Outcome.Done;
import ledger.api.app.Outcome.Refused;
import ledger.api.app.Results;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.app.Settling;
import ledger.api.app.Settling.QuoteRequest;
import ledger.api.app.Settling.QuoteView;
import ledger.api.app.Settling.SettlementRequest;
import ledger.sagas.settlement.SettlementQueries;
import ledger.sagas.settlement.SettlementView;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** REST for FX quotes and cross-currency settlements (docs/settlement.md). */
@RestController
@Tag(name = "settlements")
@SecurityRequirement(name = "apiKey")
public class SettlementController {
    private final Settling settling;
    private final Results results;
    private final Problems problems;

    public SettlementController(Settling settling, Results results, Problems problems) {
        this.settling = settling;
        this.results = results;
        this.problems = problems;
    }

    @PostMapping("/v1/fx/quotes")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "createQuote", summary = "Lock a conversion price for LEDGER_FX_QUOTE_TTL (default 30 s)")
    @ApiResponse(responseCode = "201", description = "A locked quote",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = QuoteView.class)))
    @Refuses({"unknown_currency", "currency_mismatch", "amount_invalid", "rate_unavailable", "quote_book_full"})
    public ResponseEntity<QuoteView> quote(@RequestBody(required = false) QuoteRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(settling.quote(request));
    }

    @PostMapping("/v1/settlements")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "startSettlement", summary = "Convert between two accounts: answered 202 (PENDING) once accepted; the steps follow")
    @ApiResponse(responseCode = "202", description = "Accepted (PENDING); GET /v1/settlements/{id} follows its steps",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SettlementView.class)))
    @Refuses({"account_not_found", "account_frozen", "account_closed", "duplicate_id", "insufficient_funds",
            "currency_mismatch", "amount_invalid", "unknown_currency", "quote_not_found", "quote_expired",
            "rate_unavailable", "quote_book_full"})
    public ResponseEntity<String> start(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                        @RequestBody(required = false) SettlementRequest request,
                                        HttpServletRequest http) {
        String checked = Commands.checkKey(key, true, RestCommands.KEY_HEADER);
        Outcome outcome = settling.start(Origin.of(caller, correlationId(http)), checked, http.getRequestURI(), request);
        if (outcome instanceof Done done) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.ACCEPTED)
                    .contentType(MediaType.APPLICATION_JSON);
            if (done.replayed()) {
                answer.header(RestCommands.REPLAY_HEADER, "true");
            }
            return answer.body(results.write(done.view()));
        }
        if (outcome instanceof Refused refused) {
            HttpStatus status = Problems.statusOf(refused.code());
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(Problems.PROBLEM_JSON);
            if (refused.replayed()) {
                answer.header(RestCommands.REPLAY_HEADER, "true");
            }
            return answer.body(problems.body(status, refused.code(), refused.detail(), http.getRequestURI()));
        }
        Outcome.NotSent notSent = (Outcome.NotSent) outcome;
        return problems.response(Problems.statusOf(notSent.code()), notSent.code(), notSent.detail(),
                http.getRequestURI());
    }

    @GetMapping("/v1/settlements/{id}")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getSettlement", summary = "A settlement: status, steps with their times, the quote, both amounts, the reason if undone")
    @ApiResponse(responseCode = "200", description = "The settlement",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SettlementView.class)))
    @Refuses({"settlement_not_found", "validation_failed"})
    public SettlementView get(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id,
                              @io.swagger.v3.oas.annotations.Parameter(description = "Wait up to this many seconds"
                                      + " (0 to 30) for a PENDING settlement to end, instead of polling; the answer is the"
                                      + " settlement as it is then")
                              @RequestParam(value = "waitSeconds", required = false) Integer waitSeconds) {
        return settling.find(caller.tenant(), id, waitSeconds);
    }

    @GetMapping("/v1/settlements")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "listSettlements", summary = "Settlements by id, optionally of one status; nextCursor continues")
    @ApiResponse(responseCode = "200", description = "One page; nextCursor continues it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = SettlementQueries.Page.class)))
    public SettlementQueries.Page list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                       @RequestParam(name = "status", required = false) String status,
                                       @RequestParam(name = "cursor", required = false) String cursor,
                                       @RequestParam(name = "limit", required = false) Integer limit) {
        return settling.list(caller.tenant(), status, cursor, limit);
    }

    private static String correlationId(HttpServletRequest http) {
        String correlation = http.getHeader("X-Correlation-Id");
        return correlation != null && !correlation.isBlank() && correlation.length() <= 128
                ? correlation : UUID.randomUUID().toString();
    }
}
