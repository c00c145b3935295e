package ledger.api.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.StatusRuntimeException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.UUID;
import ledger.api.app.Codes;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome.NotSent;
import ledger.api.ratelimit.RateLimiter;
import ledger.api.security.ApiKeys;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.grpc.v1.LedgerGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates every call of the ledger service by its {@code authorization: Bearer <api key>}
 * metadata and checks the key's roles against the call, with the same roles per operation as REST.
 * The health and reflection services need no key. Also sends {@code idempotent-replayed: true} in
 * the response headers when a unary call answered a stored result.
 */
public final class GrpcAuth implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(GrpcAuth.class);
    private static final String BEARER = "Bearer ";
    private static final int CORRELATION_ID_LENGTH_MAX = 128;

    static final Metadata.Key<String> AUTHORIZATION = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> CORRELATION_ID = Metadata.Key.of("x-correlation-id", Metadata.ASCII_STRING_MARSHALLER);
    public static final Metadata.Key<String> REPLAYED = Metadata.Key.of("idempotent-replayed", Metadata.ASCII_STRING_MARSHALLER);

    static final Context.Key<Caller> CALLER = Context.key("ledger.caller");
    static final Context.Key<String> CORRELATION = Context.key("ledger.correlation-id");
    static final Context.Key<AtomicBoolean> REPLAY = Context.key("ledger.replayed");
    /** Response header: the transfer existed under the request's id with the same content (docs/retries.md). */
    public static final Metadata.Key<String> EXISTED_HEADER = Metadata.Key.of("transfer-existed",
            Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<AtomicBoolean> EXISTED = Context.key("ledger.existed");

    /**
     * On whose behalf the current call sends commands: its caller and correlation id; it may send
     * while its deadline has not passed and it was not cancelled.
     */
    static Origin origin() {
        String correlation = CORRELATION.get();
        Context context = Context.current();
        return new Origin(CALLER.get(), correlation != null ? correlation : UUID.randomUUID().toString(),
                () -> stopped(context));
    }

    private static NotSent stopped(Context context) {
        if (context.getDeadline() != null && context.getDeadline().isExpired()) {
            return new NotSent(Codes.DEADLINE_EXCEEDED, "the call's deadline passed before this was sent");
        }
        if (context.isCancelled()) {
            return new NotSent(Codes.CANCELLED, "the call was cancelled before this was sent");
        }
        return null;
    }

    private static final Set<Role> MOVE = EnumSet.of(Role.PAYMENTS, Role.ADMIN);
    private static final Set<Role> READ = EnumSet.of(Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN);
    /** Bare method name -> the roles that may call it; a method not listed is refused. */
    private static final Map<String, Set<Role>> ALLOWED = Map.ofEntries(
            Map.entry(name(LedgerGrpc.getOpenAccountMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getFreezeAccountMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getUnfreezeAccountMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getCloseAccountMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getUpdateAccountMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getSubmitTransfersMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getSubmitEntryMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getPostPendingTransferMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getVoidPendingTransferMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getReverseTransferMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getGetAccountMethod()), READ),
            Map.entry(name(LedgerGrpc.getGetStatementMethod()), READ),
            Map.entry(name(LedgerGrpc.getListAccountsMethod()), READ),
            Map.entry(name(LedgerGrpc.getListTransfersMethod()), READ),
            Map.entry(name(LedgerGrpc.getGetTransferMethod()), READ),
            Map.entry(name(LedgerGrpc.getCreateSettlementMethod()), MOVE),
            Map.entry(name(LedgerGrpc.getGetSettlementMethod()), READ),
            Map.entry(name(LedgerGrpc.getListEventsMethod()), READ),
            Map.entry(name(LedgerGrpc.getStreamEventsMethod()), READ));

    private final ApiKeys keys;
    private final RateLimiter limiter;

    public GrpcAuth(ApiKeys keys, RateLimiter limiter) {
        this.keys = keys;
        this.limiter = limiter;
    }

    private static String name(MethodDescriptor<?, ?> method) {
        return method.getBareMethodName();
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        MethodDescriptor<Q, A> method = call.getMethodDescriptor();
        if (!LedgerGrpc.SERVICE_NAME.equals(method.getServiceName())) {
            return next.startCall(call, headers);
        }
        String authorization = headers.get(AUTHORIZATION);
        Optional<Caller> caller;
        try {
            caller = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                    && authorization.length() > BEARER.length()
                    ? keys.authenticate(authorization.substring(BEARER.length()).trim())
                    : Optional.empty();
        } catch (RuntimeException e) {
            if (ledger.api.command.Outage.isDatabaseUnavailable(e)) {
                ledger.api.app.Refusal unavailable = ledger.api.app.Refusal.databaseUnavailable();
                return refuse(call, GrpcErrors.error(unavailable.code(), unavailable.getMessage()));
            }
            LOG.error("authenticating a gRPC call failed", e);
            return refuse(call, GrpcErrors.error(Codes.INTERNAL_ERROR, "authentication failed unexpectedly"));
        }
        if (caller.isEmpty()) {
            return refuse(call, GrpcErrors.error(Codes.UNAUTHORIZED, authorization == null
                    ? "send the metadata authorization: Bearer <api key>" : "the API key is not valid"));
        }
        Set<Role> allowed = ALLOWED.get(method.getBareMethodName());
        if (allowed == null || !caller.get().hasAny(allowed.toArray(Role[]::new))) {
            return refuse(call, GrpcErrors.error(Codes.FORBIDDEN, "this API key needs one of the roles "
                    + (allowed == null ? "[]" : Arrays.stream(Role.values()).filter(allowed::contains)
                    .map(Role::wire).collect(Collectors.joining(", ", "[", "]")))));
        }
        if (limiter.take(caller.get()) instanceof RateLimiter.Limited limited) {
            return refuse(call, GrpcErrors.rateLimited(limited.detail(), limited.retryAfterMs()));
        }
        String correlation = headers.get(CORRELATION_ID);
        AtomicBoolean replayed = new AtomicBoolean();
        AtomicBoolean existed = new AtomicBoolean();
        Context context = Context.current().withValues(CALLER, caller.get(), REPLAY, replayed, EXISTED, existed,
                CORRELATION, correlation != null && !correlation.isBlank()
                        && correlation.length() <= CORRELATION_ID_LENGTH_MAX ? correlation : null);
        ServerCall<Q, A> marking = new SimpleForwardingServerCall<>(call) {
            @Override
            public void sendHeaders(Metadata responseHeaders) {
                if (replayed.get()) {
                    responseHeaders.put(REPLAYED, "true");
                }
                if (existed.get()) {
                    responseHeaders.put(EXISTED_HEADER, "true");
                }
                super.sendHeaders(responseHeaders);
            }
        };
        return Contexts.interceptCall(context, marking, headers, next);
    }

    private static <Q, A> ServerCall.Listener<Q> refuse(ServerCall<Q, A> call, StatusRuntimeException error) {
        call.close(error.getStatus(), error.getTrailers());
        return new ServerCall.Listener<>() {
        };
    }
}
