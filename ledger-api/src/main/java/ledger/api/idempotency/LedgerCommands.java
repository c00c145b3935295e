package ledger.api.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import ledger.api.idempotency.IdempotencyStore.Stored;
import ledger.api.command.Conflicts;
import ledger.api.command.NewStreamProbe;
import ledger.api.security.Caller;
import ledger.api.web.ApiProblem;
import ledger.api.web.Problems;
import ledger.api.web.Responses;
import ledger.api.web.Responses.Rendered;
import ledger.audit.Sha256;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.seal.AuditKeys;
import org.axonframework.commandhandling.CommandExecutionException;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;

/**
 * Sends commands on behalf of a caller and answers them, idempotently when the request carries an
 * {@code Idempotency-Key}: the same key and body get the stored answer (also across restarts and
 * for requests arriving at the same moment); the same key with another body gets 409 and posts
 * nothing.
 */
@Component
public class LedgerCommands {
    public static final String REPLAY_HEADER = "Idempotent-Replayed";
    public static final int KEY_LENGTH_MAX = 255;
    private static final Pattern KEY_FORM = Pattern.compile("[\\x21-\\x7E]{1," + KEY_LENGTH_MAX + "}");

    private final CommandGateway gateway;
    private final IdempotencyStore store;
    private final Responses responses;
    private final Problems problems;
    private final ObjectMapper json;

    public LedgerCommands(CommandGateway gateway, IdempotencyStore store, Responses responses, Problems problems,
                          ObjectMapper json) {
        this.gateway = gateway;
        this.store = store;
        this.responses = responses;
        this.problems = problems;
        this.json = json;
    }

    /**
     * @param keyRequired whether the endpoint moves money (then the key is mandatory)
     * @param request     the parsed request body, hashed with the method and path to recognise a retry
     */
    public ResponseEntity<String> send(Caller caller, HttpServletRequest http, String idempotencyKey,
                                       boolean keyRequired, Object request, Object command) {
        if (idempotencyKey == null) {
            if (keyRequired) {
                throw ApiProblem.validation("the Idempotency-Key header is required for requests that move money");
            }
            for (int attempt = 1; ; attempt++) {
                try {
                    Rendered answer = responses.render(command, dispatch(caller, http, command, Map.of(), attempt));
                    return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                            .body(answer.body());
                } catch (RuntimeException failure) {
                    if (!Conflicts.isConflict(failure) || attempt >= Conflicts.ATTEMPTS_MAX) {
                        throw failure;
                    }
                    Conflicts.pause(attempt + 1);
                }
            }
        }
        if (!KEY_FORM.matcher(idempotencyKey).matches()) {
            throw ApiProblem.validation("the Idempotency-Key header has 1 to " + KEY_LENGTH_MAX
                    + " visible ASCII characters");
        }
        byte[] requestHash = requestHash(http, request);
        if (needsLookUp(command)) {
            Optional<Stored> earlier = store.find(caller.tenant(), idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash, idempotencyKey, http);
            }
        }
        Map<String, String> idempotency = Map.of(IdempotencyInterceptor.KEY, idempotencyKey,
                IdempotencyInterceptor.REQUEST_HASH, Sha256.hex(requestHash),
                IdempotencyInterceptor.TENANT, caller.tenant());
        for (int attempt = 1; ; attempt++) {
            try {
                Rendered answer = responses.render(command, dispatch(caller, http, command, idempotency, attempt));
                return ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON)
                        .body(answer.body());
            } catch (LedgerRejection rejection) {
                // Remember the refusal too (it was decided, not malformed), unless a concurrent
                // request with this key answered first; then answer what is stored, as a replay.
                boolean ours = store.insert(caller.tenant(), idempotencyKey, requestHash,
                        Problems.statusOf(rejection.code()).value(),
                        problems.body(Problems.statusOf(rejection.code()), rejection.code().code(),
                                rejection.getMessage(), http.getRequestURI()));
                return replay(store.find(caller.tenant(), idempotencyKey).orElseThrow(), requestHash,
                        idempotencyKey, http, !ours);
            } catch (RuntimeException race) {
                if (!Conflicts.isConflict(race)) {
                    throw race;
                }
                // another request with this key, or another writer of the same accounts, got there first
                Optional<Stored> winner = store.find(caller.tenant(), idempotencyKey);
                if (winner.isPresent()) {
                    return replay(winner.get(), requestHash, idempotencyKey, http);
                }
                if (attempt >= Conflicts.ATTEMPTS_MAX) {
                    throw race;
                }
                Conflicts.pause(attempt + 1);
            }
        }
    }

    /**
     * Whether a keyed command's stored answer is looked up before it is sent. A posted transfer
     * (the high-volume command) is sent without it, saving a query per transfer: if its key was
     * answered before, the transfer is refused (same request: its id is taken) or rolled back (its
     * key is stored in the same transaction as its events, and is taken), and either way what is
     * stored is the answer. Other commands keep the look-up: a pending transfer may schedule its
     * expiry, which should not be done and undone for a retry.
     */
    public static boolean needsLookUp(Object command) {
        return !(command instanceof CreateTransfer transfer) || transfer.pending();
    }

    /** Sends the command; {@code attempt} above 1: it failed on a conflict before, so it is sent careful. */
    private Object dispatch(Caller caller, HttpServletRequest http, Object command, Map<String, String> extra,
                            int attempt) {
        Map<String, String> metaData = new HashMap<>(extra);
        if (attempt > 1) {
            metaData.put(NewStreamProbe.CAREFUL, "true");
        }
        metaData.put(AuditKeys.ACTOR, caller.keyId());
        String correlation = http.getHeader("X-Correlation-Id");
        metaData.put(AuditKeys.CORRELATION_ID, correlation != null && !correlation.isBlank() && correlation.length() <= 128
                ? correlation : UUID.randomUUID().toString());
        try {
            return gateway.sendAndWait(GenericCommandMessage.asCommandMessage(command).andMetaData(metaData));
        } catch (AggregateNotFoundException e) {
            throw new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND, "account does not exist");
        } catch (CommandExecutionException e) {
            if (e.getCause() instanceof LedgerRejection rejection) {
                throw rejection;
            }
            throw e;
        }
    }

    private ResponseEntity<String> replay(Stored stored, byte[] requestHash, String key, HttpServletRequest http) {
        return replay(stored, requestHash, key, http, true);
    }

    private ResponseEntity<String> replay(Stored stored, byte[] requestHash, String key, HttpServletRequest http,
                                          boolean replayed) {
        if (!Arrays.equals(stored.requestHash(), requestHash)) {
            throw new ApiProblem(HttpStatus.CONFLICT, "idempotency_conflict", "Idempotency-Key \"" + key
                    + "\" was used for a different request; nothing was changed");
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(stored.status())
                .contentType(stored.status() >= 400 ? Problems.PROBLEM_JSON : MediaType.APPLICATION_JSON);
        if (replayed) {
            answer.header(REPLAY_HEADER, "true");
        }
        return answer.body(stored.body());
    }

    private byte[] requestHash(HttpServletRequest http, Object request) {
        try {
            String canonical = http.getMethod() + " " + http.getRequestURI() + "\n" + json.writeValueAsString(request);
            return Sha256.digest(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
