package ledger.api.app;

/**
 * How a command ended, for any transport to render: REST as a status and a JSON body or problem
 * document, gRPC as a message or a {@code google.rpc.Status}. {@code replayed}: the answer stored
 * under the request's idempotency key by an earlier request, given again.
 */
public sealed interface Outcome permits Outcome.Done, Outcome.Refused, Outcome.NotSent {

    /** Done: {@code view} is one of {@link Views}; {@code created}: the command created what it names. */
    record Done(Object view, boolean created, boolean replayed) implements Outcome {
        public <T> T view(Class<T> type) {
            return type.cast(view);
        }
    }

    /** Refused with a stable {@link Codes code}; nothing was changed. */
    record Refused(String code, String detail, boolean replayed) implements Outcome {
    }

    /** Not sent: the caller's deadline passed or it cancelled before the command was sent ({@code code} says which). */
    record NotSent(String code, String detail) implements Outcome {
    }
}
