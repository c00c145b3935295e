package ledger.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import ledger.api.app.Codes;
import ledger.api.ratelimit.RateLimiter;
import ledger.api.ratelimit.RateLimiter.Limited;
import ledger.api.security.Caller;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the caller's rate limits ({@link RateLimiter}) to every authenticated /v1 request: over a
 * limit it is answered 429 {@code rate_limited} with {@code Retry-After} and the {@code RateLimit-*}
 * headers (draft-ietf-httpapi-ratelimit-headers: limit, remaining, seconds until reset) and goes no
 * further.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
public class RateLimitFilter extends OncePerRequestFilter {
    private final RateLimiter limiter;
    private final Problems problems;

    public RateLimitFilter(RateLimiter limiter, Problems problems) {
        this.limiter = limiter;
        this.problems = problems;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/v1/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Caller caller = (Caller) request.getAttribute(Caller.REQUEST_ATTRIBUTE);
        if (caller != null && limiter.take(caller) instanceof Limited limited) {
            String seconds = Long.toString(limited.retryAfterSeconds());
            response.setHeader("Retry-After", seconds);
            response.setHeader("RateLimit-Limit", Long.toString(limited.limit()));
            response.setHeader("RateLimit-Remaining", "0");
            response.setHeader("RateLimit-Reset", seconds);
            problems.write(response, HttpStatus.TOO_MANY_REQUESTS, Codes.RATE_LIMITED, limited.detail(),
                    request.getRequestURI());
            return;
        }
        chain.doFilter(request, response);
    }
}
