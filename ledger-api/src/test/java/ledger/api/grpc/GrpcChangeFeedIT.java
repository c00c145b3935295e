package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import ledger.audit.Sha256;
import ledger.grpc.v1.EventPage;
import ledger.grpc.v1.FeedEvent;
import ledger.grpc.v1.LedgerGrpc.LedgerBlockingStub;
import ledger.grpc.v1.ListEventsRequest;
import ledger.grpc.v1.StreamEventsRequest;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 6 on gRPC: ListEvents pages as REST's, and StreamEvents resumed after a cancel with
 * nothing skipped or repeated, new events arriving on the open stream, and the streams per key bounded.
 */
class GrpcChangeFeedIT extends GrpcSupport {
    private static final long WAIT_S = 60;

    @Test
    void listEventsPagesTheSameFeedAsRest() {
        Tenant t = tenant("feed-list");
        openBook(t, "EUR", "wallet");
        fund(t, "wallet", "3.00", "EUR");
        List<FeedEvent> all = all(t.ledger());
        assertThat(all).isNotEmpty();
        for (int i = 0; i < all.size(); i++) {
            FeedEvent e = all.get(i);
            assertThat(e.getPosition()).isEqualTo(i);
            assertThat(Sha256.hex(Sha256.digest(e.getEnvelope().getBytes(StandardCharsets.UTF_8))))
                    .as("SHA-256 of the envelope text is the hash").isEqualTo(e.getHash());
        }
        var rest = t.rest().get("/v1/events?limit=1000").json().get("events");
        assertThat(rest).hasSize(all.size());
        for (int i = 0; i < all.size(); i++) {
            assertThat(rest.get(i).get("hash").asText()).isEqualTo(all.get(i).getHash());
            assertThat(rest.get(i).get("eventId").asText()).isEqualTo(all.get(i).getEventId());
        }
        EventPage empty = t.ledger().listEvents(ListEventsRequest.newBuilder().setAfter(all.size() - 1).build());
        assertThat(empty.getEventsCount()).isZero();
        assertThat(empty.getNextAfter()).isEqualTo(all.size() - 1);
        assertRefused(() -> t.ledger().listEvents(ListEventsRequest.newBuilder().setLimit(1001).build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listEvents(ListEventsRequest.newBuilder().setAfter(-5).build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertRefused(() -> t.ledger().listEvents(ListEventsRequest.newBuilder().setAfter(all.size()).build()),
                Status.Code.INVALID_ARGUMENT, "validation_failed");
    }

    @Test
    void aStreamCancelledAndResumedMissesNothingAndRepeatsNothing() throws Exception {
        Tenant t = tenant("feed-stream");
        openBook(t, "EUR", "wallet");
        fund(t, "wallet", "1.00", "EUR");
        long initial = all(t.ledger()).size();
        List<Long> got = new ArrayList<>();
        Context.CancellableContext first = Context.current().withCancellation();
        try {
            first.run(() -> {
                Iterator<FeedEvent> it = t.ledger().withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                        .streamEvents(StreamEventsRequest.getDefaultInstance());
                for (long i = 0; i < initial; i++) {
                    got.add(it.next().getPosition());
                }
                fund(t, "wallet", "2.00", "EUR"); // new events reach the open stream
                got.add(it.next().getPosition());
            });
        } finally {
            first.cancel(null); // disconnect mid-stream
        }
        fund(t, "wallet", "3.00", "EUR");
        long last = got.get(got.size() - 1);
        long total = all(t.ledger()).size();
        Context.CancellableContext second = Context.current().withCancellation();
        try {
            second.run(() -> {
                Iterator<FeedEvent> it = t.ledger().withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                        .streamEvents(StreamEventsRequest.newBuilder().setAfter(last).build());
                while (got.size() < total) {
                    got.add(it.next().getPosition());
                }
            });
        } finally {
            second.cancel(null);
        }
        List<Long> expected = all(t.ledger()).stream().map(FeedEvent::getPosition).toList();
        assertThat(got).isEqualTo(expected);
    }

    @Test
    void streamsPerKeyAreBoundedWithResourceExhausted() {
        Tenant t = tenant("feed-streams");
        openBook(t, "EUR", "wallet");
        List<Context.CancellableContext> open = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                Context.CancellableContext c = Context.current().withCancellation();
                open.add(c);
                c.run(() -> assertThat(t.ledger().withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                        .streamEvents(StreamEventsRequest.getDefaultInstance()).next().getPosition()).isZero());
            }
            StatusRuntimeException refused = assertRefused(() -> t.ledger().withDeadlineAfter(WAIT_S, TimeUnit.SECONDS)
                            .streamEvents(StreamEventsRequest.getDefaultInstance()).hasNext(),
                    Status.Code.RESOURCE_EXHAUSTED, "too_many_streams");
            assertThat(refused.getStatus().getDescription()).contains("API key");
        } finally {
            open.forEach(c -> c.cancel(null));
        }
    }

    private static List<FeedEvent> all(LedgerBlockingStub ledger) {
        List<FeedEvent> events = new ArrayList<>();
        ListEventsRequest.Builder request = ListEventsRequest.newBuilder().setLimit(2);
        for (int page = 0; page < 1000; page++) {
            EventPage p = ledger.listEvents(request.build());
            if (p.getEventsCount() == 0) {
                return events;
            }
            events.addAll(p.getEventsList());
            request.setAfter(p.getNextAfter());
        }
        throw new AssertionError("too many pages");
    }
}
