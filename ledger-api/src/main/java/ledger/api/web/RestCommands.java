package ledger.api.web;

import jakarta.servlet.http.HttpServletRequest;
import java.util.UUID;
import ledger.api.app.Codes;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Outcome.Done;
import ledger.api.app.Outcome.NotSent;
import ledger.api.app.Outcome.Refused;
import ledger.api.app.Results;
import ledger.api.security.Caller;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * REST's side of the command path: takes the key from the {@code Idempotency-Key} header, hands the
 * checked command to {@link Commands} and renders its {@link Outcome}: a success as its view's JSON
 * (201 when it created what it names), a refusal as a problem document; a replay says so in the
 * {@code Idempotent-Replayed: true} header.
 */
@Component
public class RestCommands {
    public static final String REPLAY_HEADER = "Idempotent-Replayed";
    /** On a 200: the transfer existed under the request's id with the same content (docs/retries.md). */
    public static final String EXISTED_HEADER = "Transfer-Existed";
    public static final String KEY_HEADER = "the Idempotency-Key header";

    private final Commands commands;
    private final Results results;
    private final Problems problems;

    public RestCommands(Commands commands, Results results, Problems problems) {
        this.commands = commands;
        this.results = results;
        this.problems = problems;
    }

    /**
     * @param keyRequired whether the endpoint moves money (then the key is mandatory)
     * @param request     the request, hashed with the path to recognise a retry
     */
    public ResponseEntity<String> send(Caller caller, HttpServletRequest http, String idempotencyKey,
                                       boolean keyRequired, Object request, Object command) {
        String key = Commands.checkKey(idempotencyKey, keyRequired, KEY_HEADER);
        Outcome outcome = commands.send(Origin.of(caller, correlationId(http)),
                commands.keyed(key, http.getRequestURI(), request), command);
        return render(outcome, http);
    }

    private ResponseEntity<String> render(Outcome outcome, HttpServletRequest http) {
        if (outcome instanceof Done done) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(done.created() ? HttpStatus.CREATED : HttpStatus.OK)
                    .contentType(MediaType.APPLICATION_JSON);
            if (done.existed()) {
                answer.header(EXISTED_HEADER, "true");
            }
            return replayed(answer, done.replayed()).body(results.write(done.view()));
        }
        if (outcome instanceof Refused refused) {
            HttpStatus status = Problems.statusOf(refused.code());
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(status).contentType(Problems.PROBLEM_JSON);
            if (Codes.DATABASE_UNAVAILABLE.equals(refused.code())) {
                answer.header(HttpHeaders.RETRY_AFTER, Integer.toString(Codes.RETRY_AFTER_SECONDS));
            }
            return replayed(answer, refused.replayed())
                    .body(problems.body(status, refused.code(), refused.detail(), http.getRequestURI(),
                            refused.fields()));
        }
        NotSent notSent = (NotSent) outcome; // a servlet request always sends: not expected here
        return problems.response(Problems.statusOf(notSent.code()), notSent.code(), notSent.detail(),
                http.getRequestURI());
    }

    private static ResponseEntity.BodyBuilder replayed(ResponseEntity.BodyBuilder answer, boolean replayed) {
        return replayed ? answer.header(REPLAY_HEADER, "true") : answer;
    }

    /** The caller's {@code X-Correlation-Id} (up to 128 characters), or a new one. */
    public static String correlationId(HttpServletRequest http) {
        String correlation = http.getHeader("X-Correlation-Id");
        return correlation != null && !correlation.isBlank() && correlation.length() <= 128
                ? correlation : UUID.randomUUID().toString();
    }
}
