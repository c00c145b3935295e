package ledger.api.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The loop behind {@code GET /v1/settlements/{id}?waitSeconds=} ({@link Settling#awaitEnd}): what it
 * reads while a settlement is pending, when the end is committed on this node (a wake-up) and when it
 * is committed on another (found by looking at the status alone).
 */
class SettlementWaitTest {
    private final SettlementFinals finals = new SettlementFinals();
    private final Settling.Watch watch = new Settling.Watch(finals, "t", "s-1");
    private final AtomicReference<String> status = new AtomicReference<>("PENDING");
    private final AtomicInteger fullReads = new AtomicInteger();
    private final AtomicInteger statusLooks = new AtomicInteger();

    /** Waits at most {@code millis}; {@code onRead} runs after each full read, {@code onLook} at each status look. */
    private String await(long millis, Runnable onRead, Runnable onLook) {
        return Settling.awaitEnd(() -> {
            fullReads.incrementAndGet();
            String read = status.get();
            onRead.run(); // what happens after this read
            return read;
        }, "PENDING"::equals, () -> {
            statusLooks.incrementAndGet();
            onLook.run();
            return "PENDING".equals(status.get());
        }, watch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void anEndCommittedOnThisNodeWakesTheReadWithoutALookAtTheStatus() {
        String view = await(30_000, () -> {
            if (fullReads.get() == 1) { // the end commits right after the first read: its wake-up is there at once
                status.set("COMPLETED");
                finals.ended("t", "s-1");
            }
        }, () -> {
        });
        assertThat(view).isEqualTo("COMPLETED");
        assertThat(fullReads).hasValue(2);
        assertThat(statusLooks).hasValue(0);
    }

    @Test
    void anEndOnAnotherNodeIsFoundByTheStatusAloneAndThenReadInFull() {
        String view = await(30_000, () -> {
        }, () -> {
            if (statusLooks.get() == 3) { // committed elsewhere: nothing wakes this node
                status.set("COMPENSATED");
            }
        });
        assertThat(view).isEqualTo("COMPENSATED");
        assertThat(statusLooks).hasValue(3);
        assertThat(fullReads).as("the first read and the one after the status changed").hasValue(2);
    }

    @Test
    void aSettlementStillPendingWhenTheWaitIsOverIsAnsweredAsItIs() {
        String view = await(600, () -> {
        }, () -> {
        });
        assertThat(view).isEqualTo("PENDING");
        // looks after 250 and 750 ms (the second cut short at 600 ms); the last full read is at the end
        assertThat(statusLooks.get()).isBetween(1, 2);
        assertThat(fullReads).hasValue(2);
    }

    @Test
    void anEarlyWakeUpIsFollowedByANewWatchNotByAReadInALoop() {
        String view = await(30_000, () -> {
            if (fullReads.get() == 1) {
                finals.ended("t", "s-1"); // woken, but the view still says PENDING (an end not yet visible here)
            }
        }, () -> status.set("COMPLETED"));
        assertThat(view).isEqualTo("COMPLETED");
        assertThat(fullReads).as("first read, the read after the wake-up, the read after the status changed")
                .hasValue(3);
        assertThat(statusLooks).hasValue(1);
    }
}
