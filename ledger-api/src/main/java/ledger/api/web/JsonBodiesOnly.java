package ledger.api.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * A request body of the API is {@code application/json} and nothing else: Spring would also read
 * YAML or any {@code application/*+json} into the same request (a transfer posted as YAML would skip
 * the JSON checks: duplicate keys, trailing content). Anything else is {@code 415} before any
 * argument is read.
 */
final class JsonBodiesOnly implements HandlerInterceptor {
    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws HttpMediaTypeNotSupportedException {
        String type = request.getContentType();
        if (type == null || !hasBody(request)) {
            return true; // no body (post, void, close): nothing to read; a body without a type is refused by Spring
        }
        MediaType media;
        try {
            media = MediaType.parseMediaType(type);
        } catch (InvalidMediaTypeException e) {
            throw new HttpMediaTypeNotSupportedException("Content-Type " + type + " cannot be read");
        }
        if (!MediaType.APPLICATION_JSON.equalsTypeAndSubtype(media)) {
            throw new HttpMediaTypeNotSupportedException(media, List.of(MediaType.APPLICATION_JSON),
                    org.springframework.http.HttpMethod.valueOf(request.getMethod()));
        }
        return true;
    }

    private static boolean hasBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }
}
