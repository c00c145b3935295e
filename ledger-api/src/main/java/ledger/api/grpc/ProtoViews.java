package ledger.api.grpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import ledger.api.web.dto.Dtos.AccountStatusView;
import ledger.api.web.dto.Dtos.AccountView;
import ledger.api.web.dto.Dtos.BalanceAsOfView;
import ledger.api.web.dto.Dtos.LegView;
import ledger.api.web.dto.Dtos.StatementLine;
import ledger.api.web.dto.Dtos.StatementPage;
import ledger.api.web.dto.Dtos.TransferView;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.AccountStatus;
import ledger.grpc.v1.BalanceAsOf;
import ledger.grpc.v1.Leg;
import ledger.grpc.v1.Statement;
import ledger.grpc.v1.Transfer;

/**
 * REST's views as protobuf messages. Answers are rendered once, as REST renders them (and as they
 * are stored under idempotency keys), then copied field by field: both APIs say the same thing.
 * Absent (null) is the empty string.
 */
final class ProtoViews {
    private final ObjectMapper json;

    ProtoViews(ObjectMapper json) {
        this.json = json;
    }

    <T> T read(String body, Class<T> type) {
        try {
            return json.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored answer", e);
        }
    }

    static Transfer transfer(TransferView v) {
        Transfer.Builder t = Transfer.newBuilder()
                .setId(s(v.id()))
                .setKind(s(v.kind()))
                .setStatus(s(v.status()))
                .setPostedAmount(s(v.postedAmount()))
                .setExpiresAt(s(v.expiresAt()))
                .setCreatedAt(s(v.createdAt()));
        if (v.legs() != null) {
            for (LegView leg : v.legs()) {
                t.addLegs(Leg.newBuilder().setAccount(s(leg.account())).setSide(s(leg.side()))
                        .setAmount(s(leg.amount())).setCurrency(s(leg.currency())));
            }
        }
        if (v.metadata() != null) {
            t.putAllMetadata(v.metadata());
        }
        return t.build();
    }

    static Account account(AccountView v) {
        return Account.newBuilder()
                .setId(s(v.id()))
                .setCurrency(s(v.currency()))
                .setKind(s(v.kind()))
                .setStatus(s(v.status()))
                .setOverdraftLimit(s(v.overdraftLimit()))
                .setDebitsPosted(s(v.debitsPosted()))
                .setCreditsPosted(s(v.creditsPosted()))
                .setDebitsPending(s(v.debitsPending()))
                .setCreditsPending(s(v.creditsPending()))
                .setBalance(s(v.balance()))
                .setAvailable(s(v.available()))
                .setOpenedAt(s(v.openedAt()))
                .setUpdatedAt(s(v.updatedAt()))
                .build();
    }

    static AccountStatus status(AccountStatusView v) {
        return AccountStatus.newBuilder().setId(s(v.id())).setStatus(s(v.status())).build();
    }

    static BalanceAsOf balanceAsOf(BalanceAsOfView v) {
        return BalanceAsOf.newBuilder()
                .setId(s(v.id()))
                .setCurrency(s(v.currency()))
                .setAsOf(s(v.asOf()))
                .setDebitsPosted(s(v.debitsPosted()))
                .setCreditsPosted(s(v.creditsPosted()))
                .setBalance(s(v.balance()))
                .build();
    }

    static Statement statement(StatementPage page) {
        Statement.Builder statement = Statement.newBuilder()
                .setAccountId(s(page.accountId()))
                .setCurrency(s(page.currency()))
                .setNextCursor(s(page.nextCursor()));
        for (StatementLine line : page.entries()) {
            statement.addEntries(ledger.grpc.v1.StatementLine.newBuilder()
                    .setSeq(line.seq())
                    .setTransferId(s(line.transferId()))
                    .setType(s(line.type()))
                    .setSide(s(line.side()))
                    .setAmount(s(line.amount()))
                    .setDebitsPosted(s(line.debitsPosted()))
                    .setCreditsPosted(s(line.creditsPosted()))
                    .setBalance(s(line.balance()))
                    .setAvailable(s(line.available()))
                    .setOccurredAt(s(line.occurredAt())));
        }
        return statement.build();
    }

    private static String s(String value) {
        return value == null ? "" : value;
    }
}
