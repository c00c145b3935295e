package ledger.api.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Arrays;
import java.util.stream.Collectors;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/** Refuses a /v1 call whose key lacks every role the endpoint allows; an endpoint without {@link Allowed} is refused. */
@Component
public class RoleInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (!(handler instanceof HandlerMethod method) || !request.getRequestURI().startsWith("/v1/")) {
            return true;
        }
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        Allowed allowed = method.getMethodAnnotation(Allowed.class);
        if (caller == null || allowed == null || !caller.hasAny(allowed.value())) {
            throw new Refusal(Codes.FORBIDDEN, "this API key needs one of the roles "
                    + (allowed == null ? "[]" : Arrays.stream(allowed.value()).map(Role::wire)
                    .collect(Collectors.joining(", ", "[", "]"))));
        }
        return true;
    }
}
