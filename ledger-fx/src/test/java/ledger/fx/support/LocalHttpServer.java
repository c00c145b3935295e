package ledger.fx.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 and a free port, answering every path with one reply. */
public final class LocalHttpServer implements AutoCloseable {
    /** What to answer; may sleep to play a slow provider. */
    @FunctionalInterface
    public interface Reply {
        Response answer(HttpExchange exchange) throws Exception;
    }

    public record Response(int status, String contentType, String body) {
        public static Response json(String body) {
            return new Response(200, "application/json", body);
        }

        public static Response xml(String body) {
            return new Response(200, "application/xml", body);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger hits = new AtomicInteger();
    private final List<URI> requests = new CopyOnWriteArrayList<>();
    private final List<String> apiKeys = new CopyOnWriteArrayList<>();
    private volatile Reply reply;

    private LocalHttpServer(Reply reply) throws IOException {
        this.reply = reply;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(threads); // a slow reply must not hold up the others
        server.start();
    }

    public static LocalHttpServer start(Reply reply) throws IOException {
        return new LocalHttpServer(reply);
    }

    public void reply(Reply next) {
        this.reply = next;
    }

    /** e.g. {@code http://127.0.0.1:41234} */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int hits() {
        return hits.get();
    }

    public List<URI> requests() {
        return requests;
    }

    public List<String> apiKeys() {
        return apiKeys;
    }

    private void handle(HttpExchange exchange) throws IOException {
        hits.incrementAndGet();
        requests.add(exchange.getRequestURI());
        String key = exchange.getRequestHeaders().getFirst("X-Api-Key");
        if (key != null) {
            apiKeys.add(key);
        }
        Response response;
        try {
            response = reply.answer(exchange);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exchange.close();
            return;
        } catch (Exception e) {
            response = new Response(500, "text/plain", e.toString());
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", response.contentType());
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } catch (IOException clientGone) {
            // the router gave up on a slow reply; nothing to do
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
