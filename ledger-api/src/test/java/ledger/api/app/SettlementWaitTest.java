package ledger.api.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The loop behind {@code GET /v1/settlements/{id}?waitSeconds=} ({@link Settling#awaitEnd}): what it
 * reads while a settlement is pending, when the end is committed on this node (a wake-up) and when it
 * is committed on another (found by looking at the status alone). The whole view is read once.
 */
class SettlementWaitTest {
    private final SettlementFinals finals = new SettlementFinals();
    private final Settling.Watch watch = new Settling.Watch(finals, "t", "s-1");
    /** The settlement's status; null: it does not exist. */
    private final AtomicReference<String> status = new AtomicReference<>("PENDING");
    private final AtomicInteger fullReads = new AtomicInteger();
    private final AtomicInteger statusLooks = new AtomicInteger();

    /** Waits at most {@code millis}; {@code afterLook} runs after each look at the status. */
    private String await(long millis, Runnable afterLook) {
        return Settling.awaitEnd(() -> {
            fullReads.incrementAndGet();
            String now = status.get();
            if (now == null) {
                throw new NoSuchElementException("settlement s-1 does not exist");
            }
            return now;
        }, "PENDING"::equals, () -> {
            statusLooks.incrementAndGet();
            boolean pending = "PENDING".equals(status.get());
            afterLook.run();
            return pending;
        }, watch, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Test
    void anEndCommittedOnThisNodeWakesTheReadAfterOneLook() {
        String view = await(30_000, () -> {
            status.set("COMPLETED"); // the end commits right after the first look: its wake-up is there at once
            finals.ended("t", "s-1");
        });
        assertThat(view).isEqualTo("COMPLETED");
        assertThat(statusLooks).hasValue(1);
        assertThat(fullReads).hasValue(1);
    }

    @Test
    void anEndOnAnotherNodeIsFoundByTheStatusAloneAndThenReadInFull() {
        String view = await(30_000, () -> {
            if (statusLooks.get() == 2) { // committed elsewhere after the look at 250 ms: nothing wakes this node
                status.set("COMPENSATED");
            }
        });
        assertThat(view).isEqualTo("COMPENSATED");
        assertThat(statusLooks).as("at once, after 250 ms, after 750 ms").hasValue(3);
        assertThat(fullReads).hasValue(1);
    }

    @Test
    void aSettlementStillPendingWhenTheWaitIsOverIsAnsweredAsItIs() {
        String view = await(600, () -> {
        });
        assertThat(view).isEqualTo("PENDING");
        assertThat(statusLooks).as("at once and after 250 ms; the next would be after the wait").hasValue(2);
        assertThat(fullReads).hasValue(1);
    }

    @Test
    void anEarlyWakeUpIsFollowedByANewWatchNotByAReadInALoop() {
        String view = await(30_000, () -> {
            if (statusLooks.get() == 1) {
                finals.ended("t", "s-1"); // woken, but the end is not visible here yet
            } else {
                status.set("COMPLETED");
            }
        });
        assertThat(view).isEqualTo("COMPLETED");
        assertThat(statusLooks).as("at once, after 500 ms, after 1 s").hasValue(3);
        assertThat(fullReads).as("after the early wake-up, after the status changed").hasValue(2);
    }

    @Test
    void withoutAWaitTheViewIsReadAtOnceAndAMissingSettlementIsRefusedByTheRead() {
        assertThat(await(0, () -> {
        })).isEqualTo("PENDING");
        assertThat(statusLooks).hasValue(0);
        status.set(null);
        assertThatThrownBy(() -> await(30_000, () -> {
        })).isInstanceOf(NoSuchElementException.class);
        assertThat(statusLooks).hasValue(1);
    }
}
