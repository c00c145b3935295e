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
import ledger.api.app.AccountReads;
import ledger.api.app.ChangeFeed;
import ledger.api.app.Views.FeedEvent;
import ledger.api.app.Views.FeedPage;
import ledger.grpc.v1.EventPage;
import ledger.grpc.v1.ListEventsRequest;
import ledger.grpc.v1.StreamEventsRequest;
import ledger.api.app.Codes;
import ledger.api.app.Commands;
import ledger.api.app.Commands.Origin;
import ledger.api.app.Outcome;
import ledger.api.app.Outcome.Done;
import ledger.api.app.Outcome.NotSent;
import ledger.api.app.Outcome.Refused;
import ledger.api.app.Refusal;
import ledger.api.app.Requests;
import ledger.api.app.Requests.EntryRequest;
import ledger.api.app.Requests.Fields;
import ledger.api.app.Requests.FreezeRequest;
import ledger.api.app.Requests.LegRequest;
import ledger.api.app.Requests.OpenAccountRequest;
import ledger.api.app.Requests.PostPendingRequest;
import ledger.api.app.Requests.ReverseRequest;
import ledger.domain.command.TransferCommands.ReverseTransfer;
import ledger.grpc.v1.ReverseTransferRequest;
import ledger.api.app.Requests.TransferRequest;
import ledger.api.app.Results;
import ledger.api.app.Settling;
import ledger.api.app.Listing;
import ledger.api.app.Views;
import ledger.api.app.TransferBatch;
import ledger.grpc.v1.CreateSettlementRequest;
import ledger.grpc.v1.GetSettlementRequest;
import ledger.sagas.settlement.SettlementView;
import ledger.api.app.Views.AccountStatusView;
import ledger.api.app.Views.AccountView;
import ledger.api.app.Views.BalanceAsOfView;
import ledger.api.app.Views.TransferView;
import ledger.api.command.Outage;
import ledger.api.security.Caller;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
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
 * The gRPC service {@code ledger.v1.Ledger}: each call becomes the same request REST takes ({@link
 * Requests}: checked there, with REST's codes), is sent through the one command path ({@link
 * Commands}: idempotency, conflicts) and its {@link Outcome} becomes a message or a {@code
 * google.rpc.Status} ({@link GrpcErrors}). Plus batches ({@link TransferBatch}). The caller was
 * authenticated and its roles checked by {@link GrpcAuth}.
 */
public final class LedgerGrpcService extends LedgerGrpc.LedgerImplBase {
    private static final Logger LOG = LoggerFactory.getLogger(LedgerGrpcService.class);
    /** How refusals name the idempotency key field. */
    static final String KEY_FIELD = "idempotency_key";

    private final Commands commands;
    private final Requests requests;
    private final LedgerQueries queries;
    private final AccountReads reads;
    private final Results results;
    /** The call executor: where a SubmitTransfers call that may wait continues (see GrpcServer). */
    private final Executor calls;
    private final Settling settling;
    private final ChangeFeed feed;
    private final Listing listing;

    public LedgerGrpcService(Commands commands, Requests requests, LedgerQueries queries, Results results,
                             Executor calls, Settling settling, ChangeFeed feed, Listing listing) {
        this.listing = listing;
        this.settling = settling;
        this.feed = feed;
        this.commands = commands;
        this.requests = requests;
        this.queries = queries;
        this.reads = new AccountReads(queries);
        this.results = results;
        this.calls = calls;
    }

    // ---------------------------------------------------------------- accounts

    @Override
    public void openAccount(ledger.grpc.v1.OpenAccountRequest request, StreamObserver<Account> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            OpenAccountRequest body = new OpenAccountRequest(absent(request.getId()), absent(request.getCurrency()),
                    absent(request.getKind()), absent(request.getOverdraftLimit()),
                    request.getMetadataCount() == 0 ? null : new TreeMap<>(request.getMetadataMap()));
            Object command = requests.open(tenant(origin), body, Fields.PROTO);
            String key = Commands.checkKey(request.getIdempotencyKey(), false, KEY_FIELD);
            return ProtoViews.account(answer(send(origin, key, "/v1/accounts", body, command), AccountView.class));
        });
    }

    @Override
    public void updateAccount(ledger.grpc.v1.UpdateAccountRequest request,
                              StreamObserver<ledger.grpc.v1.AccountUpdate> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            Requests.UpdateAccountRequest body = new Requests.UpdateAccountRequest(
                    request.hasMetadata() ? new TreeMap<>(request.getMetadata().getEntriesMap()) : null,
                    request.hasOverdraftLimit() ? request.getOverdraftLimit() : null);
            ledger.domain.command.AccountCommands.UpdateAccount command = requests.update(tenant(origin),
                    request.getAccountId(), body);
            String key = Commands.checkKey(request.getIdempotencyKey(), false, KEY_FIELD);
            Views.AccountUpdateView view = answer(send(origin, key, "/v1/accounts/" + command.accountId(), body,
                    command), Views.AccountUpdateView.class);
            ledger.grpc.v1.AccountUpdate.Builder answer = ledger.grpc.v1.AccountUpdate.newBuilder()
                    .setId(view.id()).setOverdraftLimit(view.overdraftLimit() == null ? "" : view.overdraftLimit())
                    .setMetadataSet(view.metadata() != null);
            if (view.metadata() != null) {
                answer.putAllMetadata(view.metadata());
            }
            return answer.build();
        });
    }

    @Override
    public void freezeAccount(FreezeAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            FreezeRequest body = new FreezeRequest(absent(request.getReason()));
            FreezeAccount command = requests.freeze(tenant(origin), request.getAccountId(), body);
            String key = Commands.checkKey(request.getIdempotencyKey(), false, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/accounts/" + command.accountId() + "/freeze", body, command);
            return ProtoViews.status(answer(outcome, AccountStatusView.class));
        });
    }

    @Override
    public void unfreezeAccount(UnfreezeAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            UnfreezeAccount command = requests.unfreeze(tenant(origin), request.getAccountId());
            String key = Commands.checkKey(request.getIdempotencyKey(), false, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/accounts/" + command.accountId() + "/unfreeze",
                    command.accountId().value(), command);
            return ProtoViews.status(answer(outcome, AccountStatusView.class));
        });
    }

    @Override
    public void closeAccount(CloseAccountRequest request, StreamObserver<AccountStatus> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            CloseAccount command = requests.close(tenant(origin), request.getAccountId());
            String key = Commands.checkKey(request.getIdempotencyKey(), false, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/accounts/" + command.accountId() + "/close",
                    command.accountId().value(), command);
            return ProtoViews.status(answer(outcome, AccountStatusView.class));
        });
    }

    @Override
    public void getAccount(GetAccountRequest request, StreamObserver<GetAccountResponse> out) {
        unary(out, () -> {
            Caller caller = GrpcAuth.CALLER.get();
            AccountRow account = reads.find(caller.tenant(), request.getAccountId());
            if (request.getAsOf().isEmpty()) {
                return GetAccountResponse.newBuilder().setAccount(ProtoViews.account(results.account(account))).build();
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

    @Override
    public void listAccounts(ledger.grpc.v1.ListAccountsRequest request, StreamObserver<ledger.grpc.v1.AccountPage> out) {
        unary(out, () -> {
            Views.AccountPage page = listing.accounts(GrpcAuth.CALLER.get().tenant(), new Listing.AccountQuery(
                    absent(request.getCurrency()), absent(request.getKind()), absent(request.getStatus()),
                    request.getMetadataMap(), request.hasLimit() ? request.getLimit() : null,
                    absent(request.getCursor())));
            ledger.grpc.v1.AccountPage.Builder answer = ledger.grpc.v1.AccountPage.newBuilder()
                    .setNextCursor(page.nextCursor() == null ? "" : page.nextCursor());
            page.accounts().forEach(a -> answer.addAccounts(ProtoViews.account(a)));
            return answer.build();
        });
    }

    @Override
    public void listTransfers(ledger.grpc.v1.ListTransfersRequest request,
                              StreamObserver<ledger.grpc.v1.TransferPage> out) {
        unary(out, () -> {
            Views.TransferPage page = listing.transfers(GrpcAuth.CALLER.get().tenant(), new Listing.TransferQuery(
                    absent(request.getAccount()), absent(request.getStatus()), absent(request.getFrom()),
                    absent(request.getTo()), request.getMetadataMap(), request.hasLimit() ? request.getLimit() : null,
                    absent(request.getCursor())));
            ledger.grpc.v1.TransferPage.Builder answer = ledger.grpc.v1.TransferPage.newBuilder()
                    .setNextCursor(page.nextCursor() == null ? "" : page.nextCursor());
            page.transfers().forEach(t -> answer.addTransfers(ProtoViews.transfer(t)));
            return answer.build();
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
        CompletableFuture<List<Outcome>> answered;
        try {
            if (request.getTransfersCount() > TransferBatch.TRANSFERS_MAX) {
                throw Refusal.validation("a batch has at most " + TransferBatch.TRANSFERS_MAX + " transfers, not "
                        + request.getTransfersCount());
            }
            List<TransferBatch.Entry> entries = new ArrayList<>(request.getTransfersCount());
            for (ledger.grpc.v1.NewTransfer t : request.getTransfersList()) {
                entries.add(entry(t));
            }
            answered = new TransferBatch(commands, requests, GrpcAuth.origin(), Fields.PROTO, entries).run();
        } catch (RuntimeException e) {
            fail(server, e);
            return;
        }
        // completed on the gRPC executor (the batch's last answer arrives there) or, when every
        // transfer was answered at once, on this thread: answer there, without another hop
        answered.whenComplete((replies, failure) -> {
            if (failure != null) {
                fail(server, Commands.unwrap(failure));
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

    private SubmitTransfersResponse results(List<Outcome> replies) {
        NotSent notSent = null;
        int notSentCount = 0;
        for (Outcome reply : replies) {
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

    private TransferResult result(int index, Outcome reply) {
        TransferResult.Builder result = TransferResult.newBuilder().setIndex(index);
        if (reply instanceof Done done) {
            result.setOk(true).setReplayed(done.replayed()).setExisted(done.existed())
                    .setTransfer(ProtoViews.transfer(done.view(TransferView.class)));
        } else if (reply instanceof Refused refused) {
            result.setOk(false).setCode(refused.code()).setDetail(refused.detail()).setReplayed(refused.replayed())
                    .addAllFields(refused.fields().stream().map(Fields.PROTO::name).toList());
        } else {
            throw new IllegalStateException("no answer for transfers[" + index + "]");
        }
        return result.build();
    }

    @Override
    public void submitEntry(SubmitEntryRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            List<LegRequest> legs = new ArrayList<>(request.getLegsCount());
            for (ledger.grpc.v1.EntryLeg leg : request.getLegsList()) {
                boolean debit = leg.getAmountCase() == ledger.grpc.v1.EntryLeg.AmountCase.DEBIT;
                boolean credit = leg.getAmountCase() == ledger.grpc.v1.EntryLeg.AmountCase.CREDIT;
                legs.add(new LegRequest(absent(leg.getAccount()), debit ? leg.getDebit() : null,
                        credit ? leg.getCredit() : null));
            }
            Map<String, String> metadata = new TreeMap<>(request.getMetadataMap());
            EntryRequest body = new EntryRequest(absent(request.getId()), legs, metadata.isEmpty() ? null : metadata);
            PostEntry command = requests.entry(tenant(origin), body, Fields.PROTO);
            String key = Commands.checkKey(request.getIdempotencyKey(), true, KEY_FIELD);
            return ProtoViews.transfer(answer(send(origin, key, "/v1/entries", body, command), TransferView.class));
        });
    }

    @Override
    public void postPendingTransfer(PostPendingTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            PostPendingRequest body = new PostPendingRequest(request.hasAmount() ? request.getAmount() : null);
            PostPendingTransfer command = requests.post(tenant(origin), request.getTransferId(), body);
            String key = Commands.checkKey(request.getIdempotencyKey(), true, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/transfers/" + command.transferId() + "/post", body, command);
            return ProtoViews.transfer(answer(outcome, TransferView.class));
        });
    }

    @Override
    public void reverseTransfer(ReverseTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            ReverseRequest body = new ReverseRequest(request.hasAmount() ? request.getAmount() : null,
                    absent(request.getId()));
            ReverseTransfer command = requests.reverse(tenant(origin), request.getTransferId(), body);
            String key = Commands.checkKey(request.getIdempotencyKey(), true, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/transfers/" + command.transferId() + "/reverse", body, command);
            return ProtoViews.transfer(answer(outcome, TransferView.class));
        });
    }

    @Override
    public void voidPendingTransfer(VoidPendingTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            VoidPendingTransfer command = requests.voidPending(tenant(origin), request.getTransferId());
            String key = Commands.checkKey(request.getIdempotencyKey(), true, KEY_FIELD);
            Outcome outcome = send(origin, key, "/v1/transfers/" + command.transferId() + "/void",
                    command.transferId().value(), command);
            return ProtoViews.transfer(answer(outcome, TransferView.class));
        });
    }

    @Override
    public void getTransfer(GetTransferRequest request, StreamObserver<Transfer> out) {
        unary(out, () -> {
            Caller caller = GrpcAuth.CALLER.get();
            TransferId id = TransferId.of(request.getTransferId());
            return queries.transfer(caller.tenant(), id.value()).map(results::transfer).map(ProtoViews::transfer)
                    .orElseThrow(() -> new LedgerRejection(RejectionCode.TRANSFER_NOT_FOUND,
                            "transfer " + id + " does not exist"));
        });
    }

    // ---------------------------------------------------------------- settlements (docs/settlement.md)

    @Override
    public void createSettlement(CreateSettlementRequest request, StreamObserver<ledger.grpc.v1.Settlement> out) {
        unary(out, () -> {
            Origin origin = GrpcAuth.origin();
            String key = Commands.checkKey(request.getIdempotencyKey(), true, KEY_FIELD);
            Outcome outcome = settling.start(origin, key, "/v1/settlements", SettlementProtoViews.request(request));
            return SettlementProtoViews.settlement(answer(outcome, SettlementView.class));
        });
    }

    @Override
    public void getSettlement(GetSettlementRequest request, StreamObserver<ledger.grpc.v1.Settlement> out) {
        unary(out, () -> SettlementProtoViews.settlement(
                settling.find(GrpcAuth.CALLER.get().tenant(), request.getSettlementId(),
                        (int) Math.min(request.getWaitSeconds(), Integer.MAX_VALUE))));
    }

    // ---------------------------------------------------------------- change feed (docs/change-feed.md)

    @Override
    public void listEvents(ListEventsRequest request, StreamObserver<EventPage> out) {
        unary(out, () -> {
            FeedPage page = feed.page(GrpcAuth.CALLER.get(), request.hasAfter() ? request.getAfter() : null,
                    request.getLimit() == 0 ? null : request.getLimit());
            EventPage.Builder answer = EventPage.newBuilder();
            page.events().forEach(e -> answer.addEvents(ProtoViews.feedEvent(e)));
            if (page.nextAfter() != null) {
                answer.setNextAfter(page.nextAfter());
            }
            return answer.build();
        });
    }

    @Override
    public void streamEvents(StreamEventsRequest request, StreamObserver<ledger.grpc.v1.FeedEvent> out) {
        ServerCallStreamObserver<ledger.grpc.v1.FeedEvent> server =
                (ServerCallStreamObserver<ledger.grpc.v1.FeedEvent>) out;
        ChangeFeed.Stream stream;
        try {
            stream = feed.open(GrpcAuth.CALLER.get(), request.hasAfter() ? request.getAfter() : null,
                    new ChangeFeed.Sink() {
                        private boolean ended;

                        @Override
                        public synchronized boolean ready() {
                            return !ended && server.isReady();
                        }

                        @Override
                        public synchronized void send(FeedEvent event) {
                            if (!ended && !server.isCancelled()) {
                                server.onNext(ProtoViews.feedEvent(event));
                            }
                        }

                        @Override
                        public void heartbeat() {
                            // HTTP/2 keeps the connection alive and tells a cancelled call
                        }

                        @Override
                        public synchronized void end() {
                            if (!ended && !server.isCancelled()) {
                                ended = true;
                                server.onCompleted();
                            }
                        }
                    });
        } catch (RuntimeException e) {
            fail(server, e);
            return;
        }
        server.setOnCancelHandler(stream::cancel);
        server.setOnReadyHandler(stream::wake);
        if (server.isCancelled()) {
            stream.cancel();
        }
    }

    // ---------------------------------------------------------------- commands and answers

    private Outcome send(Origin origin, String key, String path, Object body, Object command) {
        return commands.send(origin, commands.keyed(key, path, body), command);
    }

    /** The outcome's view, or its refusal thrown as the call's error. */
    private static <T> T answer(Outcome outcome, Class<T> view) {
        if (outcome instanceof Done done) {
            if (done.replayed()) {
                GrpcAuth.REPLAY.get().set(true);
            }
            if (done.existed()) {
                GrpcAuth.EXISTED.get().set(true);
            }
            return done.view(view);
        }
        if (outcome instanceof Refused refused) {
            throw GrpcErrors.error(refused.code(), refused.detail(), refused.replayed(), refused.fields());
        }
        NotSent notSent = (NotSent) outcome;
        throw GrpcErrors.error(notSent.code(), notSent.detail());
    }

    private static TenantId tenant(Origin origin) {
        return TenantId.of(origin.caller().tenant());
    }

    /** A transfer of a batch as the request REST takes: proto3's empty and 0 are absent. */
    private static TransferBatch.Entry entry(ledger.grpc.v1.NewTransfer t) {
        Map<String, String> metadata = new TreeMap<>(t.getMetadataMap());
        TransferRequest body = new TransferRequest(absent(t.getId()), absent(t.getDebitAccount()),
                absent(t.getCreditAccount()), absent(t.getAmount()), absent(t.getCurrency()),
                t.getPending() ? Boolean.TRUE : null, t.getTimeoutSeconds() == 0 ? null : t.getTimeoutSeconds(),
                metadata.isEmpty() ? null : metadata);
        return new TransferBatch.Entry(body, t.getIdempotencyKey(), t.getLinked());
    }

    /** proto3 has no absent string: empty means absent. */
    static String absent(String value) {
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
        } else if (failure instanceof Refusal refusal) {
            error = GrpcErrors.error(refusal.code(), refusal.getMessage());
        } else if (failure instanceof LedgerRejection rejection) {
            error = GrpcErrors.error(rejection.code().code(), rejection.getMessage());
        } else if (Outage.isDatabaseUnavailable(failure)) {
            Refusal unavailable = Refusal.databaseUnavailable();
            error = GrpcErrors.error(unavailable.code(), unavailable.getMessage());
        } else {
            LOG.error("a gRPC call failed unexpectedly", failure);
            error = GrpcErrors.error(Codes.INTERNAL_ERROR,
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
