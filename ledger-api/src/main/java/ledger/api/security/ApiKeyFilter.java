package ledger.api.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import ledger.api.app.Codes;
import ledger.api.app.Refusal;
import ledger.api.command.Outage;
import ledger.api.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Authenticates every /v1 request by its {@code Authorization: Bearer <api key>}. */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class ApiKeyFilter extends OncePerRequestFilter {
    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final Problems problems;

    public ApiKeyFilter(ApiKeys keys, Problems problems) {
        this.keys = keys;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        // the scheme name is case-insensitive (RFC 9110, section 11.1): "bearer" is "Bearer"
        Optional<Caller> caller;
        try {
            caller = header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    && header.length() > BEARER.length()
                    ? keys.authenticate(header.substring(BEARER.length()).trim())
                    : Optional.empty();
        } catch (RuntimeException e) {
            if (!Outage.isDatabaseUnavailable(e)) {
                throw e;
            }
            Refusal unavailable = Refusal.databaseUnavailable(); // a key not yet known cannot be checked now
            response.setHeader("Retry-After", Integer.toString(Codes.RETRY_AFTER_SECONDS));
            problems.write(response, HttpStatus.SERVICE_UNAVAILABLE, unavailable.code(), unavailable.getMessage(),
                    request.getRequestURI());
            return;
        }
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", "Bearer");
            problems.write(response, HttpStatus.UNAUTHORIZED, "unauthorized",
                    header == null ? "send Authorization: Bearer <api key>" : "the API key is not valid",
                    request.getRequestURI());
            return;
        }
        request.setAttribute(Caller.REQUEST_ATTRIBUTE, caller.get());
        chain.doFilter(request, response);
    }
}
