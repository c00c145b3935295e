package ledger.api.grpc;

import io.grpc.Context;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import ledger.api.grpc.GrpcCommands.Call;
import ledger.api.grpc.GrpcCommands.Keyed;
import ledger.api.grpc.GrpcCommands.NotSent;
import ledger.api.grpc.GrpcCommands.Ok;
import ledger.api.grpc.GrpcCommands.OkStored;
import ledger.api.grpc.GrpcCommands.Refused;
import ledger.api.grpc.GrpcCommands.Reply;
import ledger.api.security.Caller;
import ledger.api.web.ApiProblem;
import ledger.api.web.Responses;
import ledger.api.web.dto.Dtos.AccountStatusView;
import ledger.api.web.dto.Dtos.AccountView;
import ledger.api.web.AccountReads;
import ledger.api.web.dto.Dtos.BalanceAsOfView;
import ledger.api.web.dto.Dtos.EntryRequest;
import ledger.api.web.dto.Dtos.FreezeRequest;
import ledger.api.web.dto.Dtos.LegRequest;
import ledger.api.web.dto.Dtos.OpenAccountRequest;
import ledger.api.web.dto.Dtos.PostPendingRequest;
import ledger.api.web.dto.Dtos.TransferView;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.AccountKind;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.transfer.TransferSnapshot;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.AccountStatus;
import ledger.grpc.v1.CloseAccountRequest;
import ledger.grpc.v1.FreezeAccountRequest;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetAccountResponse;
import ledger.grpc.v1.GetStatementRequest;
import ledger.grpc.v1.GetTransferRequest;
import ledger.grpc.v1.LedgerGrpc;
import ledger.grpc.v1.PostPendingTransferRequest;
import ledger.grpc.v1.Statement;
import ledger.grpc.v1.SubmitEntryRequest;
import ledger.grpc.v1.SubmitTransfersRequest;
import ledger.grpc.v1.SubmitTransfersResponse;
import ledger.grpc.v1.Transfer;
import ledger.grpc.v1.TransferResult;
import ledger.grpc.v1.UnfreezeAccountRequest;
import ledger.grpc.v1.VoidPendingTransferRequest;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC service {@code ledger.v1.Ledger}: REST's operations with REST's checks, commands,
 * idempotency and refusal codes (see the controllers in {@code ledger.api.web}), plus batches.
 * The caller was authenticated and its roles checked by {@link GrpcAuth}.
 */
public final class LedgerGrpcService extends LedgerGrpc.LedgerImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerGrpcService.class);
    private static final int REASON_LENGTH_MAX = 512;

    private final GrpcCommands commands;
    private final StoredAnswers answers;
    private final LedgerQueries queries;
    private final AccountReads reads;
    private final Responses responses;
    private final Currencies currencies;
    private final ProtoViews views;
    private final Executor executor;
    /** The call executor: where a SubmitTransfers call that may wait continues (see GrpcServer). */
    private final Executor calls;

    public LedgerGrpcService(GrpcCommands commands, StoredAnswers answers, LedgerQueries queries, Responses responses,
                             Currencies currencies, ProtoViews views, Executor executor, Executor calls) {
        this.commands = commands;
        this.answers = answers;
        this.queries = queries;
        this.reads = new AccountReads(queries);
        this.responses = responses;
        this.currencies = currencies;
        this.views = views;
        this.executor = executor;
        this.calls = calls;
    }

    // ---------------------------------------------------------------- accounts

    @Override
    public void openAccount(ledger.grpc.v1.OpenAccountRequest request, StreamObserver<Account> out) {
        unary(out, () -> {
            Call call = Call.current();
            AccountId id = AccountId.of(required("id", request.getId()));
            CurrencyCode currency = currencies.resolve(required("currency", request.getCurrency()));
            AccountKind kind = AccountKind.parse(required("kind", request.getKind()));
            String limitText = absentIfEmpty(request.getOverdraftLimit());
            OverdraftLimit limit = OverdraftLimit.parse(limitText, currency);
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), false, "idempotency_key");
            OpenAccountRequest body = new OpenAccountRequest(request.getId(), request.getCurrency(), request.getKind(),
                    limitText);
            Reply reply = send(call, key, "/v1/accounts", body,
                    new OpenAccount(tenant(call), id, currency, kind, limit));
            return ProtoViews.account(answer(reply, AccountView.class));
        });
    }

    @Override
    public void freezeAccount(FreezeAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Call call = Call.current();
            AccountId id = AccountId.of(request.getAccountId());
            String reason = absentIfEmpty(request.getReason());
            if (reason != null && reason.length() > REASON_LENGTH_MAX) {
                throw ApiProblem.validation("reason has at most " + REASON_LENGTH_MAX + " characters");
            }
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), false, "idempotency_key");
            Reply reply = send(call, key, "/v1/accounts/" + id + "/freeze", new FreezeRequest(reason),
                    new FreezeAccount(tenant(call), id, reason));
            return ProtoViews.status(answer(reply, AccountStatusView.class));
        });
    }

    @Override
    public void unfreezeAccount(UnfreezeAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Call call = Call.current();
            AccountId id = AccountId.of(request.getAccountId());
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), false, "idempotency_key");
            Reply reply = send(call, key, "/v1/accounts/" + id + "/unfreeze", id.value(),
                    new UnfreezeAccount(tenant(call), id));
            return ProtoViews.status(answer(reply, AccountStatusView.class));
        });
    }

    @Override
    public void closeAccount(CloseAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Call call = Call.current();
            AccountId id = AccountId.of(request.getAccountId());
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), false, "idempotency_key");
            Reply reply = send(call, key, "/v1/accounts/" + id + "/close", id.value(),
                    new CloseAccount(tenant(call), id));
            return ProtoViews.status(answer(reply, AccountStatusView.class));
        });
    }

    @Override
    public void getAccount(GetAccountRequest request, StreamObserver<GetAccountResponse> out) {
        unary(out, () -> {
            Caller caller = GrpcAuth.CALLER.get();
            AccountRow account = reads.find(caller.tenant(), request.getAccountId());
            if (request.getAsOf().isEmpty()) {
                return GetAccountResponse.newBuilder().setAccount(ProtoViews.account(responses.account(account))).build();
            }
            BalanceAsOfView view = reads.balanceAsOf(caller.tenant(), account, request.getAsOf(), "as_of");
            return GetAccountResponse.newBuilder().setAsOf(ProtoViews.balanceAsOf(view)).build();
        });
    }

    @Override
    public void getStatement(GetStatementRequest request, StreamObserver<Statement> out) {
        unary(out, () -> {
            Caller caller = GrpcAuth.CALLER.get();
            return ProtoViews.statement(reads.statement(caller.tenant(), request.getAccountId(),
                    request.hasLimit() ? request.getLimit() : null, request.getCursor()));
        });
    }

    // ---------------------------------------------------------------- transfers

    @Override
    public void submitTransfers(SubmitTransfersRequest request, StreamObserver<SubmitTransfersResponse> out) {
        ServerCallStreamObserver<SubmitTransfersResponse> server = (ServerCallStreamObserver<SubmitTransfersResponse>) out;
        server.setOnCancelHandler(() -> { }); // only allowed while the handler runs: before any hand-off
        if (request.getTransfersCount() != 1 || request.getTransfers(0).getPending()) {
            // a batch looks its keys up, and a pending transfer its key: not on the transport's thread
            // (GrpcServer starts this call there), on the call executor, with the call's context
            calls.execute(Context.current().wrap(() -> submit(request, server)));
            return;
        }
        submit(request, server);
    }

    private void submit(SubmitTransfersRequest request, ServerCallStreamObserver<SubmitTransfersResponse> server) {
        CompletableFuture<List<Reply>> answered;
        try {
            if (request.getTransfersCount() > TransferBatch.TRANSFERS_MAX) {
                throw ApiProblem.validation("a batch has at most " + TransferBatch.TRANSFERS_MAX + " transfers, not "
                        + request.getTransfersCount());
            }
            answered = new TransferBatch(commands, answers, currencies, executor, Call.current(),
                    request.getTransfersList()).run();
        } catch (RuntimeException e) {
            fail(server, e);
            return;
        }
        // completed on the gRPC executor (the batch's last answer arrives there) or, when every
        // transfer was answered at once, on this thread: answer there, without another hop
        answered.whenComplete((replies, failure) -> {
            if (failure != null) {
                fail(server, GrpcCommands.unwrap(failure));
                return;
            }
            try {
                respond(server, results(replies));
            } catch (StatusRuntimeException e) {
                fail(server, e);
            } catch (RuntimeException e) {
                fail(server, e);
            }
        });
    }

    private SubmitTransfersResponse results(List<Reply> replies) {
        NotSent notSent = null;
        int notSentCount = 0;
        for (Reply reply : replies) {
            if (reply instanceof NotSent stopped) {
                notSent = stopped;
                notSentCount++;
            }
        }
        if (notSent != null) {
            throw GrpcErrors.error(notSent.code(), notSentCount + " of " + replies.size() + " transfers were not sent ("
                    + notSent.detail() + "); the others were answered and their answers stored under their "
                    + "idempotency keys: send the batch again with the same keys");
        }
        SubmitTransfersResponse.Builder response = SubmitTransfersResponse.newBuilder();
        for (int i = 0; i < replies.size(); i++) {
            response.addResults(result(i, replies.get(i)));
        }
        return response.build();
    }

    private TransferResult result(int index, Reply reply) {
        TransferResult.Builder result = TransferResult.newBuilder().setIndex(index);
        if (reply instanceof Ok ok) {
            result.setOk(true).setTransfer(ProtoViews.transfer(responses.transfer((TransferSnapshot) ok.result())));
        } else if (reply instanceof OkStored stored) {
            result.setOk(true).setReplayed(true).setTransfer(ProtoViews.transfer(views.read(stored.body(),
                    TransferView.class)));
        } else if (reply instanceof Refused refused) {
            result.setOk(false).setCode(refused.code()).setDetail(refused.detail()).setReplayed(refused.replayed());
        } else {
            throw new IllegalStateException("no answer for transfers[" + index + "]");
        }
        return result.build();
    }

    @Override
    public void submitEntry(SubmitEntryRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Call call = Call.current();
            TransferId id = TransferId.of(required("id", request.getId()));
            List<ledger.grpc.v1.EntryLeg> legs = request.getLegsList();
            if (legs.size() < 2 || legs.size() > TransferCommands.LEGS_MAX) {
                throw ApiProblem.validation("an entry has 2 to " + TransferCommands.LEGS_MAX + " legs");
            }
            List<EntryLeg> entryLegs = new ArrayList<>();
            List<LegRequest> bodyLegs = new ArrayList<>();
            for (int i = 0; i < legs.size(); i++) {
                ledger.grpc.v1.EntryLeg leg = legs.get(i);
                AccountId account = AccountId.of(required("legs[" + i + "].account", leg.getAccount()));
                if (leg.getAmountCase() == ledger.grpc.v1.EntryLeg.AmountCase.AMOUNT_NOT_SET) {
                    throw ApiProblem.validation("legs[" + i + "] has exactly one of \"debit\" and \"credit\"");
                }
                boolean debit = leg.getAmountCase() == ledger.grpc.v1.EntryLeg.AmountCase.DEBIT;
                entryLegs.add(new EntryLeg(account, debit ? Side.DEBIT : Side.CREDIT,
                        debit ? leg.getDebit() : leg.getCredit()));
                bodyLegs.add(new LegRequest(leg.getAccount(), debit ? leg.getDebit() : null,
                        debit ? null : leg.getCredit()));
            }
            Map<String, String> metadata = new TreeMap<>(request.getMetadataMap());
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), true, "idempotency_key");
            EntryRequest body = new EntryRequest(request.getId(), bodyLegs, metadata.isEmpty() ? null : metadata);
            Reply reply = send(call, key, "/v1/entries", body, new PostEntry(tenant(call), id, entryLegs, metadata));
            return ProtoViews.transfer(answer(reply, TransferView.class));
        });
    }

    @Override
    public void postPendingTransfer(PostPendingTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Call call = Call.current();
            TransferId id = TransferId.of(request.getTransferId());
            String amount = request.hasAmount() ? request.getAmount() : null;
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), true, "idempotency_key");
            Reply reply = send(call, key, "/v1/transfers/" + id + "/post", new PostPendingRequest(amount),
                    new PostPendingTransfer(tenant(call), id, amount));
            return ProtoViews.transfer(answer(reply, TransferView.class));
        });
    }

    @Override
    public void voidPendingTransfer(VoidPendingTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Call call = Call.current();
            TransferId id = TransferId.of(request.getTransferId());
            String key = GrpcCommands.checkKey(request.getIdempotencyKey(), true, "idempotency_key");
            Reply reply = send(call, key, "/v1/transfers/" + id + "/void", id.value(),
                    new VoidPendingTransfer(tenant(call), id));
            return ProtoViews.transfer(answer(reply, TransferView.class));
        });
    }

    @Override
    public void getTransfer(GetTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Caller caller = GrpcAuth.CALLER.get();
            TransferId id = TransferId.of(request.getTransferId());
            return queries.transfer(caller.tenant(), id.value()).map(responses::transfer).map(ProtoViews::transfer)
                    .orElseThrow(() -> new LedgerRejection(RejectionCode.TRANSFER_NOT_FOUND,
                            "transfer " + id + " does not exist"));
        });
    }

    // ---------------------------------------------------------------- commands and answers

    private Reply send(Call call, String key, String path, Object body, Object command) {
        Keyed keyed = key == null ? null : new Keyed(key, commands.requestHash(path, body, ""));
        return commands.sendAndWait(call, keyed, path, command);
    }

    /** The answer's view, or the refusal thrown as the call's error. */
    private <T> T answer(Reply reply, Class<T> view) {
        if (reply instanceof Ok ok) {
            return views.read(responses.render(ok.command(), ok.result()).body(), view);
        }
        if (reply instanceof OkStored stored) {
            GrpcAuth.REPLAY.get().set(true);
            return views.read(stored.body(), view);
        }
        if (reply instanceof Refused refused) {
            throw GrpcErrors.error(refused.code(), refused.detail(), refused.replayed());
        }
        NotSent notSent = (NotSent) reply;
        throw GrpcErrors.error(notSent.code(), notSent.detail());
    }

    private static TenantId tenant(Call call) {
        return TenantId.of(call.caller().tenant());
    }

    private static String required(String field, String value) {
        if (value.isEmpty()) {
            throw ApiProblem.validation("field \"" + field + "\" is required");
        }
        return value;
    }

    private static String absentIfEmpty(String value) {
        return value.isEmpty() ? null : value;
    }

    // ---------------------------------------------------------------- answering calls

    private static <T> void unary(StreamObserver<T> out, Supplier<T> body) {
        ServerCallStreamObserver<T> server = (ServerCallStreamObserver<T>) out;
        server.setOnCancelHandler(() -> { });
        T answer;
        try {
            answer = body.get();
        } catch (RuntimeException e) {
            fail(server, e);
            return;
        }
        respond(server, answer);
    }

    private static <T> void respond(ServerCallStreamObserver<T> server, T answer) {
        if (server.isCancelled()) {
            return; // the deadline passed or the client gave up: nobody is listening
        }
        try {
            server.onNext(answer);
            server.onCompleted();
        } catch (StatusRuntimeException | IllegalStateException e) {
            LOG.debug("could not answer a gRPC call (cancelled meanwhile?)", e);
        }
    }

    private static void fail(ServerCallStreamObserver<?> server, Throwable failure) {
        StatusRuntimeException error;
        if (failure instanceof StatusRuntimeException status) {
            error = status;
        } else if (failure instanceof ApiProblem problem) {
            error = GrpcErrors.error(problem.code(), problem.getMessage());
        } else if (failure instanceof LedgerRejection rejection) {
            error = GrpcErrors.error(rejection.code().code(), rejection.getMessage());
        } else {
            LOG.error("a gRPC call failed unexpectedly", failure);
            error = GrpcErrors.error(GrpcErrors.INTERNAL_ERROR,
                    "the request failed unexpectedly; it may be retried with the same idempotency_key");
        }
        if (server.isCancelled()) {
            return;
        }
        try {
            server.onError(error);
        } catch (IllegalStateException e) {
            LOG.debug("could not answer a gRPC call (cancelled meanwhile?)", e);
        }
    }
}
