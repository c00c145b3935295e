package ledger.api.web;

import static ledger.api.app.Requests.body;
import static ledger.api.app.Requests.required;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import ledger.api.app.Refusal;
import ledger.api.app.Requests.Fields;
import ledger.api.security.Allowed;
import ledger.api.security.ApiKeys;
import ledger.api.security.ApiKeys.IssuedKey;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.ApiKeyIssued;
import ledger.api.web.dto.Dtos.ApiKeyRequest;
import ledger.api.web.dto.Dtos.TenantCreated;
import ledger.api.web.dto.Dtos.TenantRequest;
import ledger.domain.model.TenantId;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "administration")
@SecurityRequirement(name = "apiKey")
public class AdminController {
    private final ApiKeys keys;

    public AdminController(ApiKeys keys) {
        this.keys = keys;
    }

    @PostMapping("/v1/tenants")
    @Allowed(Role.OPERATOR)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "createTenant", summary = "Create a tenant; its first admin API key is returned once and never again")
    @ApiResponse(responseCode = "201", description = "The tenant and its first admin key (shown this once)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TenantCreated.class)))
    @Refuses({"duplicate_id"})
    public TenantCreated createTenant(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                      @RequestBody(required = false) TenantRequest request) {
        body(request);
        TenantId tenant = TenantId.of(required(Fields.JSON, "id", request.id()));
        IssuedKey key = keys.createTenant(tenant.value(), caller.keyId());
        return new TenantCreated(key.tenant(), key.id(), key.apiKey(), wire(key.roles()));
    }

    @PostMapping("/v1/api-keys")
    @Allowed(Role.ADMIN)
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(operationId = "issueApiKey", summary = "Issue an API key of the caller's tenant with roles payments, finance, auditor, admin")
    @ApiResponse(responseCode = "201", description = "The key (shown this once)",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ApiKeyIssued.class)))
    public ApiKeyIssued issue(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                              @RequestBody(required = false) ApiKeyRequest request) {
        body(request);
        List<String> wanted = required(Fields.JSON, "roles", request.roles());
        if (wanted.isEmpty()) {
            throw Refusal.validation("roles must name at least one of payments, finance, auditor, admin");
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String name : wanted) {
            Role role = Role.ISSUABLE.stream().filter(r -> r.wire().equals(name)).findFirst()
                    .orElseThrow(() -> Refusal.validation("unknown role \"" + name
                            + "\": use payments, finance, auditor or admin"));
            roles.add(role);
        }
        IssuedKey key = keys.issue(caller.tenant(), roles, caller.keyId());
        return new ApiKeyIssued(key.id(), key.tenant(), key.apiKey(), wire(key.roles()));
    }

    private static List<String> wire(Set<Role> roles) {
        return roles.stream().map(Role::wire).sorted().toList();
    }
}
