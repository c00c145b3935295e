package ledger.api.feed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Server-Sent Events client as a payment system would write one: reads {@code id}/{@code event}/
 * {@code data} fields into events on a thread of its own; {@link #close} drops the connection.
 */
public final class SseClient implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long a test waits for one event before it fails (a bound, not a speed assertion). */
    public static final Duration EVENT_WAIT = Duration.ofSeconds(60);

    public record Event(String id, String name, JsonNode data) {
    }

    private final HttpResponse<Stream<String>> response;
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    private final Thread reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        reader.start();
    }

    /** Opens {@code path} with the key and, if not null, {@code Last-Event-ID}. */
    public static SseClient open(int port, String apiKey, String path, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Accept", "text/event-stream").header("Authorization", "Bearer " + apiKey).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        try {
            return new SseClient(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofLines()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int status() {
        return response.statusCode();
    }

    public String contentType() {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    /** The body of a refused stream (problem+json). */
    public String body() {
        StringBuilder out = new StringBuilder();
        try {
            Object line;
            while ((line = events.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) instanceof String s) {
                out.append(s);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    private void read() {
        String id = null;
        String name = null;
        StringBuilder data = new StringBuilder();
        try (Stream<String> lines = response.body()) {
            Iterator<String> it = lines.iterator();
            while (it.hasNext()) {
                String line = it.next();
                if (response.statusCode() != 200) {
                    events.add(line);
                    continue;
                }
                if (line.isEmpty()) {
                    if (data.length() > 0) {
                        events.add(new Event(id, name, JSON.readTree(data.toString())));
                    }
                    id = null;
                    name = null;
                    data.setLength(0);
                } else if (line.startsWith("id:")) {
                    id = line.substring(3).trim();
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else if (line.startsWith("data:")) {
                    data.append(line.substring(5));
                }
                // ":" comments are heartbeats
            }
        } catch (IOException | RuntimeException e) {
            // closed
        }
        events.add(Boolean.FALSE); // end of stream
    }

    /** The next event; fails when the stream ended or nothing came within {@link #EVENT_WAIT}. */
    public Event next() {
        try {
            Object next = events.poll(EVENT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (next instanceof Event e) {
                return e;
            }
            throw new AssertionError(next == null ? "no event within " + EVENT_WAIT : "the stream ended");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        response.body().close();
        reader.interrupt();
    }
}
