package ledger.api.tax;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Pattern;
import ledger.api.app.Commands;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.app.Requests;
import ledger.api.app.Requests.TransferRequest;
import ledger.api.web.ApiDocs;
import ledger.api.web.Refuses;
import ledger.api.app.Views.TransferView;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.RestCommands;
import ledger.domain.model.TenantId;
import ledger.tax.rules.Evaluation;
import ledger.tax.rules.RulePack;
import ledger.tax.rules.Value;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Tax over REST (docs/tax-prefill.md): evaluate a rule pack on explicit inputs, pre-fill a payee's
 * withholding from the payroll read model, and post that withholding through the command path.
 */
@RestController
@Tag(name = "tax")
@SecurityRequirement(name = "apiKey")
public class TaxController {
    private static final Pattern YEAR = Pattern.compile("\\d{4}");
    private static final Pattern MONTH = Pattern.compile("\\d{1,2}");

    private final TaxPrefill tax;
    private final ObjectMapper json;
    private final RestCommands commands;
    private final Requests requests;

    public TaxController(TaxPrefill tax, ObjectMapper json, RestCommands commands, Requests requests) {
        this.tax = tax;
        this.json = json;
        this.commands = commands;
        this.requests = requests;
    }

    @Schema(description = "Evaluate a rule pack: name it (pack) or its jurisdiction, and the date it must be valid on")
    public record EvaluateRequest(
            @Schema(example = "cn-iit-wages-cumulative") String pack,
            @Schema(example = "CN", allowableValues = {"CN", "DE", "JP"}) String jurisdiction,
            @Schema(example = "2026-03-31", requiredMode = Schema.RequiredMode.REQUIRED) String date,
            @Schema(description = "input name to value: amounts and decimals as strings, integers and booleans "
                    + "also as JSON numbers and booleans, enum members by name",
                    implementation = ledger.api.app.Views.JsonObject.class) JsonNode inputs) {
    }

    @Schema(description = "Post the pre-filled withholding of a payee's month: debitAccount (wage payable) to "
            + "creditAccount (tax payable)")
    public record WithholdingRequest(
            @Schema(example = "wht-p-7-2026-03", requiredMode = Schema.RequiredMode.REQUIRED) String id,
            @Schema(example = "CN", requiredMode = Schema.RequiredMode.REQUIRED) String jurisdiction,
            @Schema(example = "2026", requiredMode = Schema.RequiredMode.REQUIRED) Integer year,
            @Schema(example = "3", requiredMode = Schema.RequiredMode.REQUIRED) Integer month,
            @Schema(example = "p-7", requiredMode = Schema.RequiredMode.REQUIRED) String payee,
            @Schema(example = "wages-payable", requiredMode = Schema.RequiredMode.REQUIRED) String debitAccount,
            @Schema(example = "tax-payable", requiredMode = Schema.RequiredMode.REQUIRED) String creditAccount) {
    }

    @PostMapping("/v1/tax/evaluate")
    @Allowed({Role.FINANCE, Role.ADMIN})
    @Operation(operationId = "evaluateTaxPack", summary = "Evaluate a rule pack on explicit inputs (what-if): outputs and their explanation")
    @ApiResponse(responseCode = "200", description = "The evaluation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TaxDocuments.Evaluation.class)))
    @Refuses({"unknown_jurisdiction", "tax_pack_not_found", "tax_input_invalid"})
    public ResponseEntity<JsonNode> evaluate(@RequestBody(required = false) EvaluateRequest request) {
        Requests.body(request);
        if ((request.pack() == null) == (request.jurisdiction() == null)) {
            throw Refusal.validation("give exactly one of \"pack\" (a rule pack name) and \"jurisdiction\" ("
                    + Jurisdiction.names() + ")");
        }
        LocalDate date = date(request.date());
        String name = request.pack() != null ? request.pack()
                : Jurisdiction.parse(request.jurisdiction(), "jurisdiction").pack();
        RulePack pack = tax.pack(name, date);
        Map<String, Value> inputs = PackInputs.fromJson(pack, request.inputs(), "inputs");
        Evaluation evaluation = tax.evaluate(pack, inputs);
        return ok(evaluationJson(evaluation));
    }

    @GetMapping("/v1/tax/prefill")
    @Allowed({Role.FINANCE, Role.ADMIN})
    @Operation(operationId = "prefillWithholding", summary = "Pre-fill a payee's withholding for a month from payroll postings, with its explanation")
    @ApiResponse(responseCode = "200", description = "The pre-filled withholding and its evaluation",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TaxDocuments.Prefill.class)))
    @Refuses({"unknown_jurisdiction", "tax_pack_not_found", "tax_input_invalid", "payee_data_missing",
            "payee_data_invalid", "payroll_period_empty"})
    public ResponseEntity<JsonNode> prefill(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                            @RequestParam(name = "jurisdiction", required = false) String jurisdiction,
                                            @RequestParam(name = "year", required = false) String year,
                                            @RequestParam(name = "month", required = false) String month,
                                            @RequestParam(name = "payee", required = false) String payee) {
        Jurisdiction j = Jurisdiction.parse(jurisdiction, "jurisdiction");
        YearMonth period = period(year, month);
        TaxPrefill.Prefill prefill = tax.prefill(caller.tenant(), j, period, payee(payee));
        return ok(prefillJson(prefill));
    }

    @PostMapping("/v1/tax/withholdings")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(operationId = "postWithholding", summary = "Post the pre-filled withholding of a payee's month as a transfer (needs an Idempotency-Key)")
    @ApiResponse(responseCode = "201", description = "The posted withholding transfer (also the stored answer to a retry with the same Idempotency-Key)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TransferView.class)))
    @Refuses({"unknown_jurisdiction", "tax_pack_not_found", "tax_input_invalid", "payee_data_missing",
            "payee_data_invalid", "payroll_period_empty", "nothing_to_withhold", "account_not_found",
            "account_frozen", "account_closed", "duplicate_id", "insufficient_funds", "currency_mismatch",
            "amount_invalid"})
    public ResponseEntity<String> withhold(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                           @Parameter(required = true, description = ApiDocs.KEY_REQUIRED)
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                           @RequestBody(required = false) WithholdingRequest request,
                                           HttpServletRequest http) {
        Commands.checkKey(key, true, RestCommands.KEY_HEADER);
        Requests.body(request);
        Jurisdiction j = Jurisdiction.parse(request.jurisdiction(), "jurisdiction");
        Requests.required(Requests.Fields.JSON, "id", request.id());
        Requests.required(Requests.Fields.JSON, "year", request.year());
        Requests.required(Requests.Fields.JSON, "month", request.month());
        YearMonth period = period(request.year().toString(), request.month().toString());
        String payee = payee(request.payee());
        TaxPrefill.Prefill prefill = tax.prefill(caller.tenant(), j, period, payee);
        Value.Money withholding = prefill.withholding();
        if (withholding.amount().signum() <= 0) {
            throw new Refusal(Codes.NOTHING_TO_WITHHOLD, "the " + j + " withholding of payee \"" + payee + "\" for "
                    + period + " is " + withholding + ": there is nothing to post");
        }
        var pack = prefill.evaluation().packId();
        Map<String, String> metadata = Map.of(
                PayrollPosting.PAYEE, payee,
                PayrollPosting.PERIOD, period.toString(),
                PayrollPosting.CATEGORY, PayrollCategory.TAX_WITHHELD.wire(),
                "tax.pack", pack.name(),
                "tax.pack.version", pack.version(),
                "tax.pack.sha256", pack.sha256());
        TransferRequest transfer = new TransferRequest(request.id(), request.debitAccount(), request.creditAccount(),
                withholding.amount().toPlainString(), withholding.currency(), null, null, metadata);
        return commands.send(caller, http, key, true, request,
                requests.transfer(TenantId.of(caller.tenant()), transfer, Requests.Fields.JSON));
    }

    // ---------------------------------------------------------------- parameters

    private static LocalDate date(String text) {
        if (text == null) {
            throw Refusal.validation("\"date\" is required (YYYY-MM-DD): the pack version valid on it is used");
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw Refusal.validation("\"date\" \"" + (text.length() > 20 ? text.substring(0, 20) + "…" : text)
                    + "\" is not a date YYYY-MM-DD");
        }
    }

    private static YearMonth period(String year, String month) {
        if (year == null || !YEAR.matcher(year).matches()) {
            throw Refusal.validation("year must be given as four digits, e.g. year=2026" + shown(year));
        }
        if (month == null || !MONTH.matcher(month).matches() || Integer.parseInt(month) < 1
                || Integer.parseInt(month) > 12) {
            throw Refusal.validation("month must be 1 to 12" + shown(month));
        }
        return YearMonth.of(Integer.parseInt(year), Integer.parseInt(month));
    }

    private static String shown(String text) {
        return text == null ? " (missing)" : " (got \"" + (text.length() > 20 ? text.substring(0, 20) + "…" : text)
                + "\")";
    }

    private static String payee(String payee) {
        if (payee == null || !PayrollPosting.PAYEE_ID.matcher(payee).matches()) {
            throw Refusal.validation("payee must be a payee id: 1-128 letters, digits and . _ : @ -" + shown(payee));
        }
        return payee;
    }

    // ---------------------------------------------------------------- rendering

    private ObjectNode evaluationJson(Evaluation evaluation) {
        ObjectNode body = evaluation.toJsonTree();
        body.put("text", evaluation.toText());
        return body;
    }

    private ObjectNode prefillJson(TaxPrefill.Prefill prefill) {
        ObjectNode body = json.createObjectNode();
        body.put("jurisdiction", prefill.jurisdiction().name());
        body.put("payee", prefill.payee());
        body.put("period", prefill.period().toString());
        ObjectNode withholding = body.putObject("withholding");
        withholding.put("output", prefill.jurisdiction().withholdingOutput());
        withholding.put("amount", prefill.withholding().amount().toPlainString());
        withholding.put("currency", prefill.withholding().currency());
        ObjectNode inputs = body.putObject("inputs");
        for (TaxPrefill.Input input : prefill.inputs()) {
            ObjectNode node = value(inputs.putObject(input.name()), input.value());
            node.put("source", input.source());
        }
        ArrayNode months = body.putArray("months");
        for (TaxPrefill.Month month : prefill.months()) {
            ObjectNode node = months.addObject();
            node.put("period", month.period().toString());
            for (PayrollCategory category : PayrollCategory.values()) {
                if (month.amounts().containsKey(category)) {
                    node.put(category.wire(), month.amounts().get(category).toPlainString());
                }
            }
        }
        ArrayNode unusable = body.putArray("unusablePostings");
        for (TaxPrefillStore.Unusable u : prefill.unusablePostings()) {
            ObjectNode node = unusable.addObject();
            node.put("transferId", u.transferId());
            node.put("period", u.period() == null ? null : u.period().toString());
            node.put("problem", u.problem());
        }
        body.setAll(evaluationJson(prefill.evaluation()));
        return body;
    }

    private static ObjectNode value(ObjectNode node, Value value) {
        node.put("type", value.type().toString());
        if (value instanceof Value.Money money) {
            node.put("amount", money.amount().toPlainString());
            node.put("currency", money.currency());
        } else {
            node.put("value", value.toString());
        }
        return node;
    }

    private static ResponseEntity<JsonNode> ok(JsonNode body) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
