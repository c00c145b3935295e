package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Refusal;
import ledger.api.app.Requests;
import ledger.api.app.TransferBatch;
import ledger.api.web.dto.Dtos.BatchRequest;
import ledger.api.web.dto.Dtos.BatchResponse;
import ledger.api.web.dto.Dtos.BatchResult;
import ledger.api.web.dto.Dtos.BatchTransfer;
import ledger.api.app.Requests.EntryRequest;
import ledger.api.app.Requests.Fields;
import ledger.api.app.Requests.PostPendingRequest;
import ledger.api.app.Requests.ReverseRequest;
import ledger.api.app.Requests.TransferRequest;
import ledger.api.app.Results;
import ledger.api.app.Listing;
import ledger.api.app.Views.TransferPage;
import ledger.api.app.Views.TransferView;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.domain.command.TransferCommands;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.projections.LedgerQueries;
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

@RestController
@Tag(name = "transfers")
@SecurityRequirement(name = "apiKey")
public class TransferController {
    private final RestCommands commands;
    private final Commands application;
    private final Requests requests;
    private final LedgerQueries queries;
    private final Results results;
    private final Listing listing;

    public TransferController(RestCommands commands, Commands application, Requests requests, LedgerQueries queries,
                              Results results, Listing listing) {
        this.listing = listing;
        this.commands = commands;
        this.application = application;
        this.requests = requests;
        this.queries = queries;
        this.results = results;
    }

    @PostMapping("/v1/transfers/batch")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "submitTransfers", summary = "Post up to 8,190 transfers, each with its own Idempotency key and answer; linked ones all"
            + " or nothing (the same as gRPC SubmitTransfers)")
    @ApiResponse(responseCode = "200", description = "One result per transfer, in order (refusals are results too)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = BatchResponse.class)))
    public ResponseEntity<String> batch(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @RequestBody(required = false) BatchRequest request,
                                        HttpServletRequest http) {
        Requests.body(request);
        List<BatchTransfer> transfers = Requests.required(Fields.JSON, "transfers", request.transfers());
        if (transfers.isEmpty() || transfers.size() > TransferBatch.TRANSFERS_MAX) {
            throw Refusal.validation("a batch has 1 to " + TransferBatch.TRANSFERS_MAX + " transfers, not "
                    + transfers.size());
        }
        List<TransferBatch.Entry> entries = new ArrayList<>(transfers.size());
        for (BatchTransfer t : transfers) {
            entries.add(t == null ? new TransferBatch.Entry(null, null, false) : new TransferBatch.Entry(
                    new TransferRequest(t.id(), t.debitAccount(), t.creditAccount(), t.amount(), t.currency(),
                            t.pending(), t.timeoutSeconds(), t.metadata()),
                    t.idempotencyKey(), Boolean.TRUE.equals(t.linked())));
        }
        List<Outcome> outcomes;
        try {
            outcomes = new TransferBatch(application, requests,
                    Origin.of(caller, RestCommands.correlationId(http)), Fields.JSON, entries).run().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a batch", e);
        } catch (ExecutionException e) {
            Throwable cause = Commands.unwrap(e.getCause());
            throw cause instanceof RuntimeException runtime ? runtime : new IllegalStateException(cause);
        }
        List<BatchResult> answers = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            if (outcome instanceof Outcome.Done done) {
                answers.add(new BatchResult(i, true, done.replayed(), done.view(TransferView.class), null, null,
                        done.existed(), null));
            } else if (outcome instanceof Outcome.Refused refused) {
                answers.add(new BatchResult(i, false, refused.replayed(), null, refused.code(), refused.detail(), false,
                        refused.fields().isEmpty() ? null : refused.fields()));
            } else {
                Outcome.NotSent notSent = (Outcome.NotSent) outcome;
                answers.add(new BatchResult(i, false, false, null, notSent.code(), notSent.detail(), false, null));
            }
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(results.write(new BatchResponse(answers)));
    }

    @PostMapping("/v1/transfers")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "createTransfer", summary = "Post a transfer, or reserve it (pending: true) until posted, voided or expired")
    @ApiResponse(responseCode = "201", description = "Posted, or reserved when pending (also the stored answer to a retry with the same Idempotency-Key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @ApiResponse(responseCode = "200", description = "The transfer existed under this id with the same content"
            + " (a retry by id, docs/retries.md): it as it is now; nothing was posted",
            headers = @Header(name = RestCommands.EXISTED_HEADER, description = "true: the transfer existed",
                    schema = @Schema(type = "string", allowableValues = {"true"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"account_not_found", "account_frozen", "account_closed", "duplicate_id", "transfer_id_conflict",
            "insufficient_funds", "currency_mismatch", "amount_invalid", "unknown_currency"})
    public ResponseEntity<String> create(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @RequestBody(required = false) TransferRequest request,
                                         HttpServletRequest http) {
        return commands.send(caller, http, key, true, request,
                requests.transfer(TenantId.of(caller.tenant()), request, Fields.JSON));
    }

    @PostMapping("/v1/entries")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "postEntry", summary = "Post a multi-leg journal entry (2 to " + TransferCommands.LEGS_MAX
            + " legs, balanced per currency), all legs or none")
    @ApiResponse(responseCode = "201", description = "Posted (also the stored answer to a retry with the same Idempotency-Key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @ApiResponse(responseCode = "200", description = "The entry existed under this id with the same content"
            + " (a retry by id, docs/retries.md): it as it is now; nothing was posted",
            headers = @Header(name = RestCommands.EXISTED_HEADER, description = "true: the entry existed",
                    schema = @Schema(type = "string", allowableValues = {"true"})),
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"account_not_found", "account_frozen", "account_closed", "duplicate_id", "transfer_id_conflict",
            "insufficient_funds", "currency_mismatch", "amount_invalid", "unknown_currency", "unbalanced_entry"})
    public ResponseEntity<String> entry(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                        @RequestBody(required = false) EntryRequest request,
                                        HttpServletRequest http) {
        return commands.send(caller, http, key, true, request,
                requests.entry(TenantId.of(caller.tenant()), request, Fields.JSON));
    }

    @PostMapping("/v1/transfers/{id}/post")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "postPendingTransfer", summary = "Post a pending transfer, in full or (with amount) in part; the rest is released")
    @ApiResponse(responseCode = "200", description = "Posted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"transfer_not_found", "transfer_not_pending", "transfer_expired", "amount_invalid", "account_frozen",
            "account_closed"})
    public ResponseEntity<String> post(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                       @PathVariable("id") String id,
                                       @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                       @RequestBody(required = false) PostPendingRequest request,
                                       HttpServletRequest http) {
        PostPendingRequest body = request == null ? new PostPendingRequest(null) : request;
        return commands.send(caller, http, key, true, body, requests.post(TenantId.of(caller.tenant()), id, body));
    }

    @PostMapping("/v1/transfers/{id}/reverse")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "reverseTransfer", summary = "Reverse a posted transfer or entry: posts a new transfer"
            + " with the legs swapped, for all that is left to reverse or (amount) part of it, linked both ways"
            + " (docs/reversals.md)")
    @ApiResponse(responseCode = "201", description = "The reversal, posted (also the stored answer to a retry with the"
            + " same Idempotency-Key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"transfer_not_found", "transfer_not_reversible", "amount_invalid", "insufficient_funds", "account_frozen",
            "account_closed", "duplicate_id", "transfer_id_conflict"})
    public ResponseEntity<String> reverse(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                          @PathVariable("id") String id,
                                          @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                          @RequestBody(required = false) ReverseRequest request,
                                          HttpServletRequest http) {
        ReverseRequest body = request == null ? new ReverseRequest(null, null) : request;
        return commands.send(caller, http, key, true, body, requests.reverse(TenantId.of(caller.tenant()), id, body));
    }

    @PostMapping("/v1/transfers/{id}/void")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "voidPendingTransfer", summary = "Void a pending transfer, releasing its reservation")
    @ApiResponse(responseCode = "200", description = "Voided: the reservation is released",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"transfer_not_found", "transfer_not_pending", "transfer_expired"})
    public ResponseEntity<String> voidPending(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                              @PathVariable("id") String id,
                                              @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              HttpServletRequest http) {
        return commands.send(caller, http, key, true, id, requests.voidPending(TenantId.of(caller.tenant()), id));
    }

    @GetMapping("/v1/transfers")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "listTransfers", summary = "List and search the tenant's transfers and entries in"
            + " creation order: by account, status, creation time [from, to) and metadata.<key>=<value>; limit 1-1000"
            + " (default 100), nextCursor for the next page (docs/listing.md)")
    @ApiResponse(responseCode = "200", description = "One page of transfers; nextCursor null on the last",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferPage.class)))
    @Refuses({"account_not_found"})
    public TransferPage list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                             @RequestParam(name = "account", required = false) String account,
                             @RequestParam(name = "status", required = false) String status,
                             @RequestParam(name = "from", required = false) String from,
                             @RequestParam(name = "to", required = false) String to,
                             @RequestParam(name = "limit", required = false) String limit,
                             @RequestParam(name = "cursor", required = false) String cursor,
                             HttpServletRequest http) {
        ListQuery query = ListQuery.of(http, TRANSFER_PARAMETERS, true);
        return listing.transfers(caller.tenant(), new Listing.TransferQuery(query.get("account"), query.get("status"),
                query.get("from"), query.get("to"), query.metadata(), query.limit(), query.get("cursor")));
    }

    private static final java.util.Set<String> TRANSFER_PARAMETERS = java.util.Set.of("account", "status", "from",
            "to", "limit", "cursor");

    @GetMapping("/v1/transfers/{id}")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getTransfer", summary = "A transfer or entry and its status")
    @ApiResponse(responseCode = "200", description = "The transfer",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"transfer_not_found"})
    public TransferView get(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id) {
        return queries.transfer(caller.tenant(), TransferId.of(id).value()).map(results::transfer)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.TRANSFER_NOT_FOUND,
                        "transfer " + id + " does not exist"));
    }
}
