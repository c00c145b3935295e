package ledger.api.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import ledger.api.config.LedgerProperties;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies over the limit: at once when Content-Length says so, otherwise while reading
 * (chunked bodies), before anything is parsed or changed.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class BodySizeLimitFilter extends OncePerRequestFilter {
    /** {@code POST /v1/transfers/batch}: 8,190 transfers of up to about 1 KiB each. */
    static final String BATCH_PATH = "/v1/transfers/batch";
    static final long BATCH_BYTES_MAX = 16L * 1024 * 1024;
    /** {@code POST /v1/reconciliation/statements}: a statement file, streamed to disk, not held in memory. */
    static final String STATEMENT_PATH = "/v1/reconciliation/statements";
    static final long STATEMENT_BYTES_MAX = 1024L * 1024 * 1024;
    private final long limitBytes;
    private final Problems problems;

    public BodySizeLimitFilter(LedgerProperties properties, Problems problems) {
        this.limitBytes = properties.bodyBytesMax();
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        // a batch of up to 8,190 transfers may take more than one transfer's limit
        long limit = BATCH_PATH.equals(request.getRequestURI()) ? BATCH_BYTES_MAX
                : STATEMENT_PATH.equals(request.getRequestURI()) ? STATEMENT_BYTES_MAX : limitBytes;
        if (request.getContentLengthLong() > limit) {
            problems.write(response, HttpStatus.PAYLOAD_TOO_LARGE, "validation_failed",
                    "the body is larger than " + limit + " bytes", request.getRequestURI());
            return;
        }
        chain.doFilter(new Limited(request, limit), response);
    }

    private static final class Limited extends HttpServletRequestWrapper {
        private final long limitBytes;

        Limited(HttpServletRequest request, long limitBytes) {
            super(request);
            this.limitBytes = limitBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            ServletInputStream in = super.getInputStream();
            return new ServletInputStream() {
                private long read;

                @Override
                public int read() throws IOException {
                    int b = in.read();
                    if (b >= 0) {
                        count(1);
                    }
                    return b;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) throws IOException {
                    int n = in.read(buffer, offset, length);
                    if (n > 0) {
                        count(n);
                    }
                    return n;
                }

                private void count(int n) throws IOException {
                    read += n;
                    if (read > limitBytes) {
                        throw new BodyTooLargeException(limitBytes);
                    }
                }

                @Override
                public boolean isFinished() {
                    return in.isFinished();
                }

                @Override
                public boolean isReady() {
                    return in.isReady();
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    in.setReadListener(listener);
                }
            };
        }
    }
}
