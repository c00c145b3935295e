package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.regex.Pattern;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.app.Requests;
import ledger.api.app.Results;
import ledger.api.ratelimit.RatePlans;
import ledger.api.ratelimit.RatePlans.Plan;
import ledger.api.ratelimit.RatePlans.TenantPlans;
import ledger.api.security.Allowed;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.PlanRequest;
import ledger.api.web.dto.Dtos.PlanView;
import ledger.api.web.dto.Dtos.TenantPlansRequest;
import ledger.api.web.dto.Dtos.TenantPlansView;
import ledger.domain.model.TenantId;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rate-limit plans and which plans a tenant has, changed by the operator at runtime
 * (docs/rate-limits.md); every node applies a change from its commit on.
 */
@RestController
@Tag(name = "rate limits")
@SecurityRequirement(name = "apiKey")
public class RateLimitController {
    private static final Pattern PLAN_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final long TOKENS_MAX = 1_000_000_000L;
    static final long PERIOD_MS_MAX = 86_400_000L;

    private final RatePlans plans;

    public RateLimitController(RatePlans plans) {
        this.plans = plans;
    }

    @GetMapping("/v1/rate-limit-plans")
    @Allowed(Role.OPERATOR)
    @Operation(operationId = "listRateLimitPlans", summary = "Every rate-limit plan")
    @ApiResponse(responseCode = "200", description = "Every plan, by name",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    array = @ArraySchema(schema = @Schema(implementation = PlanView.class))))
    public List<PlanView> list() {
        return plans.list().stream().map(RateLimitController::view).toList();
    }

    @PutMapping("/v1/rate-limit-plans/{name}")
    @Allowed(Role.OPERATOR)
    @Operation(operationId = "putRateLimitPlan", summary = "Create or change a plan: a bucket of capacity tokens,"
            + " refillTokens more every refillPeriodMs; one request takes one token")
    @ApiResponse(responseCode = "200", description = "The plan as it is now (created or changed)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = PlanView.class)))
    public PlanView put(@PathVariable("name") String name, @RequestBody(required = false) PlanRequest request) {
        if (!PLAN_NAME.matcher(name).matches()) {
            throw Refusal.validation("a plan name has 1 to 63 characters a-z, 0-9 and '-', starting with a letter"
                    + " or digit");
        }
        Requests.body(request);
        long capacity = range("capacity", request.capacity(), TOKENS_MAX);
        long refill = range("refillTokens", request.refillTokens(), TOKENS_MAX);
        long period = range("refillPeriodMs", request.refillPeriodMs(), PERIOD_MS_MAX);
        return view(plans.put(name, capacity, refill, period));
    }

    @GetMapping("/v1/tenants/{tenant}/rate-limits")
    @Allowed(Role.OPERATOR)
    @Operation(operationId = "getTenantRateLimits", summary = "The plans limiting a tenant as a whole and each of"
            + " its API keys")
    @ApiResponse(responseCode = "200", description = "The tenant's plans",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TenantPlansView.class)))
    @Refuses({"tenant_not_found"})
    public TenantPlansView tenant(@PathVariable("tenant") String tenant) {
        TenantId id = TenantId.of(tenant);
        return plans.ofTenant(id.value()).map(RateLimitController::view).orElseThrow(() ->
                Refusal.notFound(Codes.TENANT_NOT_FOUND, "there is no tenant " + tenant));
    }

    @PutMapping("/v1/tenants/{tenant}/rate-limits")
    @Allowed(Role.OPERATOR)
    @Operation(operationId = "assignTenantRateLimits", summary = "Give a tenant other plans (an absent member keeps"
            + " its plan)")
    @ApiResponse(responseCode = "200", description = "The tenant's plans as they are now",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    schema = @Schema(implementation = TenantPlansView.class)))
    @Refuses({"tenant_not_found", "rate_plan_not_found"})
    public TenantPlansView assign(@PathVariable("tenant") String tenant,
                                  @RequestBody(required = false) TenantPlansRequest request) {
        TenantId id = TenantId.of(tenant);
        Requests.body(request);
        if (request.tenantPlan() == null && request.keyPlan() == null) {
            throw Refusal.validation("give tenantPlan, keyPlan or both");
        }
        return view(plans.assign(id.value(), request.tenantPlan(), request.keyPlan()));
    }

    private static long range(String field, Long value, long max) {
        if (value == null || value < 1 || value > max) {
            throw Refusal.validation(field + " must be an integer from 1 to " + max);
        }
        return value;
    }

    private static PlanView view(Plan p) {
        return new PlanView(p.name(), p.capacity(), p.refillTokens(), p.refillPeriodMs(), p.version(),
                Results.ts(p.updatedAt()));
    }

    private static TenantPlansView view(TenantPlans p) {
        return new TenantPlansView(p.tenant(), view(p.tenantPlan()), view(p.keyPlan()));
    }
}
