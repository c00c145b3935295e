package ledger.api.security;

import java.util.Set;

/** The authenticated caller: the API key's tenant, the key's id (the audit actor) and roles. */
public record Caller(String tenant, String keyId, Set<Role> roles) {
    public static final String REQUEST_ATTRIBUTE = "ledger.api.caller";

    public boolean hasAny(Role... wanted) {
        for (Role role : wanted) {
            if (roles.contains(role)) {
                return true;
            }
        }
        return false;
    }
}
