package ledger.api.grpc;

import ledger.api.app.Views.AccountStatusView;
import ledger.api.app.Views.AccountView;
import ledger.api.app.Views.BalanceAsOfView;
import ledger.api.app.Views.LegView;
import ledger.api.app.Views.StatementLine;
import ledger.api.app.Views.StatementPage;
import ledger.api.app.Views.TransferView;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.AccountStatus;
import ledger.grpc.v1.BalanceAsOf;
import ledger.grpc.v1.Leg;
import ledger.grpc.v1.Statement;
import ledger.grpc.v1.Transfer;

/**
 * The API's {@link ledger.api.app.Views views} as protobuf messages, copied field by field: both APIs
 * say the same thing. Absent (null) is the empty string.
 */
final class ProtoViews {
    private ProtoViews() {
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
        t.setReversalOf(s(v.reversalOf())).setReversedAmount(s(v.reversedAmount()));
        if (v.reversals() != null) {
            for (ledger.api.app.Views.ReversalView r : v.reversals()) {
                t.addReversals(ledger.grpc.v1.Reversal.newBuilder().setId(s(r.id())).setAmount(s(r.amount())));
            }
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
                .putAllMetadata(v.metadata() == null ? java.util.Map.of() : v.metadata())
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

    static ledger.grpc.v1.FeedEvent feedEvent(ledger.api.app.Views.FeedEvent e) {
        return ledger.grpc.v1.FeedEvent.newBuilder().setPosition(e.position()).setHash(e.hash())
                .setEventId(e.eventId()).setEventType(e.eventType()).setAggregateType(e.aggregateType())
                .setAggregateId(e.aggregateId()).setSeq(e.seq()).setOccurredAt(e.occurredAt())
                .setEnvelope(e.envelope()).build();
    }
}
