package ledger.loadgen;

import java.util.List;

/** How a client sends transfers: over REST one per request, over gRPC up to 8,190 per call. */
interface Transport extends AutoCloseable {

    /** One transfer to post; its id doubles as its idempotency key. */
    record Transfer(String id, String debit, String credit, String amount, String currency) {
    }

    /**
     * The answer for one transfer: acknowledged (created by this request), or refused with the
     * ledger's code (a whole call that failed refuses each of its transfers with the call's code).
     */
    record Outcome(boolean acknowledged, String code) {
        static final Outcome CREATED = new Outcome(true, null);

        static Outcome refused(String code) {
            return new Outcome(false, code);
        }
    }

    /** Sends the transfers in one call and answers one outcome per transfer, in order. */
    List<Outcome> submit(List<Transfer> transfers);

    /** Opens an account; fails the run if the ledger refuses. */
    void openAccount(String id, String currency, String kind, String overdraftLimit);

    /** The largest number of transfers {@link #submit} takes at once. */
    int batchMax();

    @Override
    void close();
}
