package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import ledger.api.app.ChangeFeed;
import ledger.api.app.Views.FeedEvent;
import ledger.api.app.Views.FeedPage;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The change feed on REST (docs/change-feed.md): pages of the caller's tenant's events after a
 * position, and the same as Server-Sent Events, each with its position as the SSE {@code id}, so a
 * client (a browser's EventSource does it by itself) resumes with {@code Last-Event-ID}.
 */
@RestController
@Tag(name = "change feed")
@SecurityRequirement(name = "apiKey")
public class FeedController {
    static final String EVENT_NAME = "ledger-event";

    private final ChangeFeed feed;
    private final ChangeFeed.Settings settings;

    public FeedController(ChangeFeed feed, ChangeFeed.Settings settings) {
        this.feed = feed;
        this.settings = settings;
    }

    @GetMapping(path = "/v1/events", produces = MediaType.APPLICATION_JSON_VALUE)
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "listEvents", summary = "The caller's tenant's events after a position (its audit log,"
            + " in order), at most limit (1..1000, default 100); nextAfter is the after of the next page")
    @ApiResponse(responseCode = "200", description = "A page of events, oldest first",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = FeedPage.class)))
    public FeedPage page(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                         @Parameter(description = "the last position already seen; absent: from the first event")
                         @RequestParam(name = "after", required = false) String after,
                         @RequestParam(name = "limit", required = false) Integer limit) {
        return feed.page(caller, ChangeFeed.position(after, "after"), limit);
    }

    @GetMapping(path = "/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "streamEvents", summary = "The caller's tenant's events after a position as"
            + " Server-Sent Events (event " + EVENT_NAME + ", id = position, data = the event as GET /v1/events lists"
            + " it), then each new one as it is committed; resumes after Last-Event-ID (which wins over after)")
    @ApiResponse(responseCode = "200", description = "A Server-Sent Events stream: one event " + EVENT_NAME
            + " per ledger event (id: its position; data: one FeedEvent as JSON), and heartbeat comments while"
            + " nothing happens; it ends after the stream's maximum duration (resume with Last-Event-ID)",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM_VALUE, schema = @Schema(implementation = String.class)))
    @Refuses({"too_many_streams"})
    public SseEmitter stream(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                             @RequestParam(name = "after", required = false) String after,
                             @RequestHeader(name = "Last-Event-ID", required = false) String lastEventId) {
        Long from = lastEventId != null && !lastEventId.isBlank()
                ? ChangeFeed.position(lastEventId, "Last-Event-ID") : ChangeFeed.position(after, "after");
        SseEmitter emitter = new SseEmitter(settings.streamDurationMax().toMillis() + 60_000);
        ChangeFeed.Stream stream = feed.open(caller, from, new ChangeFeed.Sink() {
            /** A send failed: the client is gone and the response is not usable any more. */
            private boolean broken;

            @Override
            public boolean ready() {
                return true;
            }

            @Override
            public synchronized void send(FeedEvent event) throws IOException {
                write(SseEmitter.event().id(Long.toString(event.position())).name(EVENT_NAME)
                        .data(event, MediaType.APPLICATION_JSON));
            }

            @Override
            public synchronized void heartbeat() throws IOException {
                write(SseEmitter.event().comment("heartbeat"));
            }

            private void write(SseEmitter.SseEventBuilder event) throws IOException {
                try {
                    emitter.send(event);
                } catch (IOException | RuntimeException e) {
                    broken = true;
                    throw e;
                }
            }

            @Override
            public synchronized void end() {
                if (!broken) {
                    emitter.complete();
                }
            }
        });
        emitter.onCompletion(stream::cancel);
        emitter.onTimeout(stream::cancel);
        emitter.onError(failure -> stream.cancel());
        return emitter;
    }
}
