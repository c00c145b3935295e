package ledger.api.app;

/**
 * How a command ended, for any transport to render: REST as a status and a JSON body or problem
 * document, gRPC as a message or a {@code google.rpc.Status}. {@code replayed}: the answer stored
 * under the request's idempotency key by an earlier request, given again.
 */
public sealed interface Outcome permits Outcome.Done, Outcome.Refused, Outcome.NotSent {

    /**
     * Done: {@code view} is one of {@link Views}; {@code created}: the command created what it names;
     * {@code existed}: a transfer with the request's id and the same content existed already (a retry
     * by id under another key, docs/retries.md): the view is that transfer, nothing was posted.
     */
    record Done(Object view, boolean created, boolean replayed, boolean existed) implements Outcome {
        public Done(Object view, boolean created, boolean replayed) {
            this(view, created, replayed, false);
        }

        public <T> T view(Class<T> type) {
            return type.cast(view);
        }
    }

    /**
     * Refused with a stable {@link Codes code}; nothing was changed. {@code fields}: the request's
     * fields the refusal is about (wire names of REST's JSON), empty for most codes; for
     * {@link Codes#TRANSFER_ID_CONFLICT} the fields whose values differ from the existing transfer's.
     */
    record Refused(String code, String detail, boolean replayed, java.util.List<String> fields) implements Outcome {
        public Refused {
            fields = fields == null ? java.util.List.of() : java.util.List.copyOf(fields);
        }

        public Refused(String code, String detail, boolean replayed) {
            this(code, detail, replayed, java.util.List.of());
        }
    }

    /** Not sent: the caller's deadline passed or it cancelled before the command was sent ({@code code} says which). */
    record NotSent(String code, String detail) implements Outcome {
    }
}
