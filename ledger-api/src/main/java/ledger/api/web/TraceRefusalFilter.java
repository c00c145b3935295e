package ledger.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import ledger.api.app.Codes;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses TRACE on every path with a problem document ({@code 405 method_not_allowed}). Tomcat lets
 * TRACE through to the application for this ({@link WebConfig}: refused by Tomcat itself it got an
 * empty 405), and it ends here, first of all filters: it never reaches a servlet, which would echo
 * the request and its credentials back.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class TraceRefusalFilter extends OncePerRequestFilter {
    static final String METHODS_SERVED = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
    private final Problems problems;

    public TraceRefusalFilter(Problems problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!"TRACE".equals(request.getMethod())) {
            chain.doFilter(request, response);
            return;
        }
        response.setHeader(HttpHeaders.ALLOW, METHODS_SERVED);
        problems.write(response, HttpStatus.METHOD_NOT_ALLOWED, Codes.METHOD_NOT_ALLOWED,
                "TRACE is not served on any path", request.getRequestURI());
    }
}
