package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Instant;
import java.util.List;
import ledger.grpc.v1.Account;
import ledger.grpc.v1.AccountStatus;
import ledger.grpc.v1.BalanceAsOf;
import ledger.grpc.v1.CloseAccountRequest;
import ledger.grpc.v1.FreezeAccountRequest;
import ledger.grpc.v1.GetAccountRequest;
import ledger.grpc.v1.GetStatementRequest;
import ledger.grpc.v1.Statement;
import ledger.grpc.v1.StatementLine;
import ledger.grpc.v1.UnfreezeAccountRequest;
import org.junit.jupiter.api.Test;

/** Accounts over gRPC: open, freeze, unfreeze, close; balances now and as of an instant; statements. */
class GrpcAccountsIT extends GrpcSupport {

    @Test
    void anAccountIsOpenedFrozenUnfrozenAndClosed() {
        Tenant t = tenant("acct");
        Account opened = open(t, "wallet", "EUR", "LIABILITY", null);
        assertThat(opened.getId()).isEqualTo("wallet");
        assertThat(opened.getCurrency()).isEqualTo("EUR");
        assertThat(opened.getKind()).isEqualTo("LIABILITY");
        assertThat(opened.getStatus()).isEqualTo("OPEN");
        assertThat(opened.getOverdraftLimit()).isEmpty();
        assertThat(opened.getBalance()).isEqualTo("0.00");
        assertThat(open(t, "yen", "JPY", "ASSET", "5000").getOverdraftLimit()).isEqualTo("5000");
        assertThat(open(t, "cash", "EUR", "ASSET", "unlimited").getOverdraftLimit()).isEqualTo("unlimited");

        AccountStatus frozen = t.ledger().freezeAccount(FreezeAccountRequest.newBuilder().setAccountId("wallet")
                .setReason("review").build());
        assertThat(frozen.getStatus()).isEqualTo("FROZEN");
        awaitAccount(t, "wallet", a -> a.getStatus().equals("FROZEN"));
        assertRefused(() -> t.ledger().freezeAccount(FreezeAccountRequest.newBuilder().setAccountId("wallet")
                .setReason("r".repeat(513)).build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        assertThat(t.ledger().unfreezeAccount(UnfreezeAccountRequest.newBuilder().setAccountId("wallet").build())
                .getStatus()).isEqualTo("OPEN");
        awaitAccount(t, "wallet", a -> a.getStatus().equals("OPEN"));
        assertThat(t.ledger().closeAccount(CloseAccountRequest.newBuilder().setAccountId("wallet").build())
                .getStatus()).isEqualTo("CLOSED");
        Account closed = awaitAccount(t, "wallet", a -> a.getStatus().equals("CLOSED"));
        assertThat(closed.getOpenedAt()).isNotEmpty();
        assertThat(closed.getUpdatedAt()).isNotEmpty();
    }

    @Test
    void balancesNowAndAsOfAnInstantAndTheStatementPageByPage() {
        Tenant t = tenant("reads");
        openBook(t, "EUR", "wallet");
        awaitAccount(t, "wallet", a -> true);
        Instant beforeMoney = Instant.now();
        pause(5);
        fund(t, "wallet", "10.00", "EUR");
        fund(t, "wallet", "2.50", "EUR");
        fund(t, "wallet", "0.25", "EUR");

        Account now = account(t, "wallet");
        assertThat(now.getBalance()).isEqualTo("12.75");
        assertThat(now.getCreditsPosted()).isEqualTo("12.75");
        assertThat(now.getAvailable()).isEqualTo("12.75");

        BalanceAsOf then = t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId("wallet")
                .setAsOf(beforeMoney.toString()).build()).getAsOf();
        assertThat(then.getBalance()).isEqualTo("0.00");
        BalanceAsOf later = t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId("wallet")
                .setAsOf(Instant.now().toString()).build()).getAsOf();
        assertThat(later.getBalance()).isEqualTo("12.75");
        assertThat(later.getCurrency()).isEqualTo("EUR");
        assertRefused(() -> t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId("wallet")
                .setAsOf("2000-01-01T00:00:00Z").build()), Status.Code.NOT_FOUND, "account_not_found");
        assertRefused(() -> t.ledger().getAccount(GetAccountRequest.newBuilder().setAccountId("wallet")
                .setAsOf("yesterday").build()), Status.Code.INVALID_ARGUMENT, "validation_failed");

        Statement first = t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("wallet")
                .setLimit(2).build());
        assertThat(first.getCurrency()).isEqualTo("EUR");
        assertThat(first.getEntriesList()).extracting(StatementLine::getAmount).containsExactly("10.00", "2.50");
        assertThat(first.getEntries(1).getBalance()).isEqualTo("12.50");
        assertThat(first.getNextCursor()).isNotEmpty();
        Statement second = t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("wallet")
                .setLimit(2).setCursor(first.getNextCursor()).build());
        List<StatementLine> rest = second.getEntriesList();
        assertThat(rest).extracting(StatementLine::getAmount).containsExactly("0.25");
        assertThat(rest.get(0).getSide()).isEqualTo("credit");
        assertThat(second.getNextCursor()).isEmpty();
        assertThat(t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("wallet").build())
                .getEntriesCount()).isEqualTo(3);

        for (int limit : new int[] {0, 1001}) {
            assertRefused(() -> t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("wallet")
                    .setLimit(limit).build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
        }
        assertRefused(() -> t.ledger().getStatement(GetStatementRequest.newBuilder().setAccountId("wallet")
                .setCursor("x").build()), Status.Code.INVALID_ARGUMENT, "validation_failed");
    }
}
