package ledger.api.reconciliation;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import ledger.api.app.Codes;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Refusal;
import ledger.api.app.Results;
import ledger.api.reconciliation.StatementIngest.Uploaded;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.Refuses;
import ledger.api.web.RestCommands;
import ledger.sagas.reconciliation.ReconQueries.StatementRow;
import ledger.sagas.reconciliation.ReconQueries.UploadRow;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Reconciliation over REST (docs/reconciliation.md, "Service"): statement and processor report
 * uploads.
 */
@RestController
@Tag(name = "reconciliation")
@SecurityRequirement(name = "apiKey")
public class ReconciliationController {
    private final StatementIngest ingest;
    private final ReconciliationViews views;
    private final BreakResolution resolution;
    private final ledger.sagas.reconciliation.ReconQueries queries;
    private final ledger.sagas.reconciliation.ContinuousMatching matching;

    /** The most counterparties one tenant's list holds, and the longest name. */
    static final int COUNTERPARTIES_MAX = 10_000;
    static final int COUNTERPARTY_LENGTH_MAX = 256;

    public ReconciliationController(StatementIngest ingest, ReconciliationViews views, BreakResolution resolution,
                                    ledger.sagas.reconciliation.ReconQueries queries,
                                    ledger.sagas.reconciliation.ContinuousMatching matching) {
        this.queries = queries;
        this.matching = matching;
        this.ingest = ingest;
        this.views = views;
        this.resolution = resolution;
    }

    public record WebhookRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "absolute http or https URL, at most 2000"
                    + " characters", example = "https://ops.example.com/ledger/alerts") String url,
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the HMAC-SHA256 key of the"
                    + " X-Signature header, 16 to 200 characters", example = "3f9c1d2e8a7b6c5d4e3f2a1b")
            String secret) {
    }

    /** Where L3 alerts go: an http(s) URL and the secret of their HMAC-SHA256 signature (16 to 200 characters). */
    @org.springframework.web.bind.annotation.PutMapping("/v1/reconciliation/webhook")
    @Allowed({Role.ADMIN})
    @Operation(operationId = "setReconciliationWebhook", summary = "Set the tenant's L3 alert webhook: url and HMAC secret")
    @ApiResponse(responseCode = "200", description = "The webhook as saved (the secret is not answered)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconWebhook.class)))
    @Refuses({})
    public ResponseEntity<JsonNode> webhook(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @org.springframework.web.bind.annotation.RequestBody(required = false)
                                            WebhookRequest request) {
        ledger.api.app.Requests.body(request);
        java.net.URI uri;
        try {
            uri = request.url() == null ? null : new java.net.URI(request.url());
        } catch (java.net.URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
                || request.url().length() > 2000) {
            throw Refusal.validation("url is an absolute http or https URL of at most 2000 characters");
        }
        if (request.secret() == null || request.secret().length() < 16 || request.secret().length() > 200) {
            throw Refusal.validation("secret has 16 to 200 characters");
        }
        queries.saveWebhook(caller.tenant(), request.url(), request.secret(),
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        com.fasterxml.jackson.databind.node.ObjectNode answer =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        answer.put("url", request.url());
        return ResponseEntity.ok(answer);
    }

    public record CounterpartiesRequest(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "the accounts of every counterparty the tenant"
                    + " knows (an IBAN or the other account id the files give), at most 10000 of 1 to 256 characters;"
                    + " compared without spaces and in upper case", example = "[\"DE89 3704 0044 0532 0130 00\"]")
            List<String> counterparties) {
    }

    /**
     * The tenant's known counterparties: from now on, and for every open item at once, a bank or
     * processor record whose counterparty is not on the list is an L3 break (alert, account freeze).
     */
    @org.springframework.web.bind.annotation.PutMapping("/v1/reconciliation/counterparties")
    @Allowed({Role.ADMIN})
    @Operation(operationId = "setReconciliationCounterparties", summary = "Set the tenant's known counterparties: a bank"
            + " or processor record naming another is an L3 break UNKNOWN_COUNTERPARTY (open items are checked again)")
    @ApiResponse(responseCode = "200", description = "The list as saved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconCounterparties.class)))
    @Refuses({})
    public ResponseEntity<ReconciliationDocuments.ReconCounterparties> setCounterparties(
            @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
            @org.springframework.web.bind.annotation.RequestBody(required = false) CounterpartiesRequest request) {
        ledger.api.app.Requests.body(request);
        if (request.counterparties() == null || request.counterparties().size() > COUNTERPARTIES_MAX) {
            throw Refusal.validation("counterparties is a list of at most " + COUNTERPARTIES_MAX + " names");
        }
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        for (String name : request.counterparties()) {
            if (name == null || name.isBlank() || name.length() > COUNTERPARTY_LENGTH_MAX) {
                throw Refusal.validation("each counterparty has 1 to " + COUNTERPARTY_LENGTH_MAX
                        + " characters and is not blank");
            }
            names.add(name.trim());
        }
        queries.saveCounterparties(caller.tenant(), List.copyOf(names),
                java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC));
        matching.rulesChanged(caller.tenant());
        return ResponseEntity.ok(new ReconciliationDocuments.ReconCounterparties(List.copyOf(names)));
    }

    @GetMapping("/v1/reconciliation/counterparties")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getReconciliationCounterparties", summary = "The tenant's known counterparties (null: not checked)")
    @ApiResponse(responseCode = "200", description = "The list, or null when none is set",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconCounterparties.class)))
    @Refuses({})
    public ResponseEntity<ReconciliationDocuments.ReconCounterparties> counterparties(
            @RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return ResponseEntity.ok(new ReconciliationDocuments.ReconCounterparties(
                queries.counterparties(caller.tenant()).orElse(null)));
    }

    /** Removes the list: counterparties are no longer checked (breaks already opened stay). */
    @org.springframework.web.bind.annotation.DeleteMapping("/v1/reconciliation/counterparties")
    @Allowed({Role.ADMIN})
    @org.springframework.web.bind.annotation.ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteReconciliationCounterparties", summary = "Stop checking counterparties: remove the"
            + " tenant's list (breaks opened for it stay)")
    @ApiResponse(responseCode = "204", description = "Removed (or there was none); no body")
    @Refuses({})
    public void deleteCounterparties(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        if (queries.deleteCounterparties(caller.tenant())) {
            matching.rulesChanged(caller.tenant());
        }
    }

    @PostMapping("/v1/reconciliation/breaks/{id}/resolve")
    @Allowed({Role.FINANCE, Role.ADMIN})
    @Operation(operationId = "resolveBreak", summary = "Resolve a break: accept, adjust (post a correcting entry) or write_off (post to the "
            + "write-off account); answers the break as resolved")
    @ApiResponse(responseCode = "200", description = "The break, resolved",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconBreak.class)))
    @Refuses({"break_not_found", "break_already_resolved", "resolution_not_applicable", "account_not_found",
            "account_frozen", "account_closed", "insufficient_funds", "currency_mismatch", "amount_invalid",
            "unknown_currency"})
    public ResponseEntity<JsonNode> resolve(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @PathVariable("id") String id,
                                            @org.springframework.web.bind.annotation.RequestBody(required = false)
                                            BreakResolution.ResolveRequest request,
                                            HttpServletRequest http) {
        resolution.resolve(Origin.of(caller, RestCommands.correlationId(http)), id, request);
        return ResponseEntity.ok(views.outcome(caller.tenant(), id));
    }

    @GetMapping("/v1/reconciliation/breaks")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "listBreaks", summary = "The review queue: breaks by id, of a level (L2, L3) and status (open, resolved)")
    @ApiResponse(responseCode = "200", description = "One page; next continues it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconBreakPage.class)))
    @Refuses({})
    public ResponseEntity<JsonNode> breaks(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                           @RequestParam(name = "level", required = false) String level,
                                           @RequestParam(name = "status", required = false) String status,
                                           @RequestParam(name = "cursor", required = false) String cursor,
                                           @RequestParam(name = "limit", required = false) Integer limit) {
        return ResponseEntity.ok(views.breaks(caller.tenant(), level, status, cursor, limit));
    }

    @GetMapping("/v1/reconciliation/breaks/{id}")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getBreak", summary = "One break (or match) with its items, L1 fixes and resolution")
    @ApiResponse(responseCode = "200", description = "The break or match",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconBreak.class)))
    @Refuses({"break_not_found"})
    public ResponseEntity<JsonNode> outcome(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @PathVariable("id") String id) {
        return ResponseEntity.ok(views.outcome(caller.tenant(), id));
    }

    @GetMapping("/v1/reconciliation/transfers/{id}")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getTransferMatch", summary = "A ledger transfer's match status on each side (ledger, processor, bank)")
    @ApiResponse(responseCode = "200", description = "The transfer's postings on reconciled accounts with their match status on each side",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconTransferMatch.class)))
    @Refuses({"not_found"})
    public ResponseEntity<JsonNode> transfer(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                             @PathVariable("id") String id) {
        return ResponseEntity.ok(views.transfer(caller.tenant(), id));
    }

    @Schema(description = "A bank statement of an upload: its account, currency and balances as the bank states them")
    public record StatementView(int seq, String id,
                                @Schema(nullable = true, description = "the bank's account (IBAN or number)") String account,
                                @Schema(nullable = true, description = "the ledger account it reconciles") String ledgerAccount,
                                @Schema(nullable = true) String currency,
                                @Schema(nullable = true, description = "decimal string") String openingBalance,
                                @Schema(nullable = true) String openingDate,
                                @Schema(nullable = true, description = "decimal string") String closingBalance,
                                @Schema(nullable = true) String closingDate,
                                long entries) {
        static StatementView of(StatementRow s) {
            return new StatementView(s.seq(), s.statementId(), s.account(), s.ledgerAccount(), s.currency(),
                    text(s.openingBalance()), text(s.openingDate()), text(s.closingBalance()), text(s.closingDate()),
                    s.entries());
        }
    }

    @GetMapping("/v1/reconciliation/statements/{id}/summary")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getUploadSummary", summary = "An upload's items by statement, side and status (matched, unmatched): counts and amounts")
    @ApiResponse(responseCode = "200", description = "The upload's tallies",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconUploadSummary.class)))
    @Refuses({"upload_not_found"})
    public ResponseEntity<JsonNode> uploadSummary(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                                  @PathVariable("id") String id) {
        return ResponseEntity.ok(views.uploadSummary(caller.tenant(), id));
    }

    @GetMapping("/v1/reconciliation/statements/{id}/balances")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getStatementBalances", summary = "Each bank statement's opening and closing balance against the ledger balance of its "
            + "mapped account as of the statement's dates")
    @ApiResponse(responseCode = "200", description = "Each statement with its balance check",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconStatementBalances.class)))
    @Refuses({"upload_not_found"})
    public ResponseEntity<JsonNode> balances(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                             @PathVariable("id") String id) {
        Uploaded uploaded = ingest.find(caller.tenant(), id).orElseThrow(() ->
                Refusal.notFound(Codes.UPLOAD_NOT_FOUND, "upload " + id + " does not exist"));
        com.fasterxml.jackson.databind.node.ObjectNode answer =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        answer.put("uploadId", id);
        com.fasterxml.jackson.databind.node.ArrayNode list = answer.putArray("statements");
        for (StatementRow s : uploaded.statements()) {
            com.fasterxml.jackson.databind.node.ObjectNode row = list.addObject();
            row.put("id", s.statementId());
            row.put("ledgerAccount", s.ledgerAccount());
            row.put("openingBalance", text(s.openingBalance()));
            row.put("openingDate", text(s.openingDate()));
            row.put("closingBalance", text(s.closingBalance()));
            row.put("closingDate", text(s.closingDate()));
            row.setAll(views.balanceCheck(caller.tenant(), s));
        }
        return ResponseEntity.ok(answer);
    }

    @GetMapping("/v1/reconciliation/summary")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getDaySummary", summary = "One day's items (by value date) of a reconciled account, or of all: by side and status")
    @ApiResponse(responseCode = "200", description = "The day's tallies",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ReconciliationDocuments.ReconDaySummary.class)))
    @Refuses({})
    public ResponseEntity<JsonNode> daySummary(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                               @RequestParam(name = "date", required = false) String date,
                                               @RequestParam(name = "account", required = false) String account) {
        return ResponseEntity.ok(views.daySummary(caller.tenant(), date, account));
    }

    @Schema(description = "An upload: the file's digest and size, its format, status and bank statements")
    public record UploadView(String id, String sha256, long bytes,
                             @Schema(description = "camt053, camt054, mt940 or csv") String format,
                             String detectedFormat,
                             @Schema(nullable = true, description = "the CSV mapping (stripe, paypal)") String mapping,
                             @Schema(nullable = true, description = "the ledger account it reconciles") String account,
                             @Schema(description = "INGESTING or INGESTED") String status, long records,
                             List<StatementView> statements, String createdAt,
                             @Schema(nullable = true, description = "null while ingesting") String completedAt) {
        static UploadView of(Uploaded uploaded) {
            UploadRow u = uploaded.upload();
            return new UploadView(u.uploadId(), u.sha256(), u.bytes(), u.format(), u.detectedFormat(), u.mapping(),
                    u.ledgerAccount(), u.status(), u.records(),
                    uploaded.statements().stream().map(StatementView::of).toList(), Results.ts(u.createdAt()),
                    u.completedAt() == null ? null : Results.ts(u.completedAt()));
        }
    }

    /**
     * The body is the file. 201 with the new upload; 200 with the first upload when the same file
     * (same SHA-256) was uploaded before; 400 {@code statement_malformed} naming the line or element.
     */
    @PostMapping("/v1/reconciliation/statements")
    @Allowed({Role.FINANCE, Role.ADMIN})
    @Operation(operationId = "uploadStatement", summary = "Upload a bank statement (camt.053, camt.054, MT940) or a processor report (CSV with a "
            + "mapping); the same file again answers the first upload",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true,
                    description = "The file itself, streamed (up to 1 GiB); its Content-Type is not read: format says"
                            + " what it is",
                    content = {
                            @Content(mediaType = MediaType.APPLICATION_XML_VALUE,
                                    schema = @Schema(type = "string", format = "binary")),
                            @Content(mediaType = MediaType.TEXT_PLAIN_VALUE,
                                    schema = @Schema(type = "string", format = "binary")),
                            @Content(mediaType = "text/csv", schema = @Schema(type = "string", format = "binary")),
                            @Content(mediaType = MediaType.APPLICATION_OCTET_STREAM_VALUE,
                                    schema = @Schema(type = "string", format = "binary"))}))
    @ApiResponse(responseCode = "201", description = "The new upload",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UploadView.class)))
    @ApiResponse(responseCode = "200", description = "The first upload of the same file (same SHA-256)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UploadView.class)))
    @Refuses({"statement_malformed", "account_not_found"})
    public ResponseEntity<UploadView> upload(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                             @RequestParam(name = "format", required = false) String format,
                                             @RequestParam(name = "mapping", required = false) String mapping,
                                             @RequestParam(name = "account", required = false) String account,
                                             HttpServletRequest http) throws IOException {
        Uploaded uploaded = ingest.upload(Origin.of(caller, RestCommands.correlationId(http)), format, mapping,
                account, http.getInputStream());
        return ResponseEntity.status(uploaded.created() ? HttpStatus.CREATED : HttpStatus.OK)
                .body(UploadView.of(uploaded));
    }

    @GetMapping("/v1/reconciliation/statements/{id}")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getUpload", summary = "One upload: its digest, status, record count and bank statements with their balances")
    @ApiResponse(responseCode = "200", description = "The upload",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = UploadView.class)))
    @Refuses({"upload_not_found"})
    public ResponseEntity<UploadView> upload(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                             @PathVariable("id") String id) {
        return ResponseEntity.ok(UploadView.of(ingest.find(caller.tenant(), id).orElseThrow(() ->
                Refusal.notFound(Codes.UPLOAD_NOT_FOUND, "upload " + id + " does not exist"))));
    }

    private static String text(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }

    private static String text(LocalDate date) {
        return date == null ? null : date.toString();
    }
}
