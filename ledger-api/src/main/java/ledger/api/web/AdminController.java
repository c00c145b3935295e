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
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.app.Results;
import ledger.api.app.Requests.Fields;
import ledger.api.security.Allowed;
import ledger.api.security.ApiKeys;
import ledger.api.security.ApiKeys.IssuedKey;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.ApiKeyInfo;
import ledger.api.web.dto.Dtos.ApiKeyIssued;
import ledger.api.web.dto.Dtos.ApiKeyPage;
import ledger.api.web.dto.Dtos.ApiKeyRequest;
import ledger.api.web.dto.Dtos.TenantCreated;
import ledger.api.web.dto.Dtos.TenantRequest;
import ledger.domain.model.TenantId;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "administration")
@SecurityRequirement(name = "apiKey")
public class AdminController {
    static final int KEYS_LIMIT_DEFAULT = 100;
    static final int KEY_ID_LENGTH_MAX = 32;

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

    @GetMapping("/v1/api-keys")
    @Allowed(Role.ADMIN)
    @Operation(operationId = "listApiKeys", summary = "The caller's tenant's API keys (revoked ones too), by id;"
            + " never a secret")
    @ApiResponse(responseCode = "200", description = "A page of keys, by id",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = ApiKeyPage.class)))
    public ApiKeyPage list(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                           @RequestParam(name = "after", required = false) String after,
                           @RequestParam(name = "limit", required = false) Integer limit) {
        int size = limit == null ? KEYS_LIMIT_DEFAULT : limit;
        if (size < 1 || size > ApiKeys.LIST_LIMIT_MAX) {
            throw Refusal.validation("limit must be between 1 and " + ApiKeys.LIST_LIMIT_MAX);
        }
        if (after != null && (after.isEmpty() || after.length() > KEY_ID_LENGTH_MAX)) {
            throw Refusal.validation("after must be a key id this API returned");
        }
        List<ApiKeys.KeyInfo> page = keys.list(caller.tenant(), after, size + 1);
        List<ApiKeyInfo> shown = page.stream().limit(size).map(k -> new ApiKeyInfo(k.id(), wire(k.roles()),
                k.createdBy(), Results.ts(k.createdAt()), k.revokedAt() == null ? null : Results.ts(k.revokedAt()),
                k.revokedBy())).toList();
        return new ApiKeyPage(shown, page.size() > size ? shown.get(shown.size() - 1).id() : null);
    }

    @DeleteMapping("/v1/api-keys/{id}")
    @Allowed(Role.ADMIN)
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeApiKey", summary = "Revoke an API key of the caller's tenant: refused on every"
            + " node from the answer on; revoking a revoked key answers 204 again; the tenant's last admin key"
            + " cannot be revoked")
    @ApiResponse(responseCode = "204", description = "Revoked (now or before); no body")
    @Refuses({"api_key_not_found", "last_admin_key"})
    public void revoke(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id) {
        if (id.length() > KEY_ID_LENGTH_MAX) {
            throw Refusal.notFound(Codes.API_KEY_NOT_FOUND, "no API key " + id + " in tenant " + caller.tenant());
        }
        switch (keys.revoke(caller.tenant(), id, caller.keyId())) {
            case REVOKED, ALREADY_REVOKED -> {
            }
            case NOT_FOUND -> throw Refusal.notFound(Codes.API_KEY_NOT_FOUND,
                    "no API key " + id + " in tenant " + caller.tenant());
            case LAST_ADMIN_KEY -> throw new Refusal(Codes.LAST_ADMIN_KEY, "key " + id
                    + " is the tenant's last admin key: issue another admin key before revoking it");
        }
    }

    private static List<String> wire(Set<Role> roles) {
        return roles.stream().map(Role::wire).sorted().toList();
    }
}
