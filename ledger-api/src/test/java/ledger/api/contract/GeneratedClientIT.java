package ledger.api.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.client.ApiClient;
import ledger.client.ApiException;
import ledger.client.ApiResponse;
import ledger.client.api.AccountsApi;
import ledger.client.api.TransfersApi;
import ledger.client.model.AccountView;
import ledger.client.model.AccountRead;
import ledger.client.model.OpenAccountRequest;
import ledger.client.model.Problem;
import ledger.client.model.TransferRequest;
import ledger.client.model.TransferView;
import org.junit.jupiter.api.Test;

/**
 * The README's session ("A session"), done by a client that openapi-generator (java, native)
 * generated from docs/openapi.json at build time, as a payment team would generate one: OpenApiIT
 * proves that file is the served document. A document that misstated a status, a media type or a
 * member would make this client fail here (docs/api-contract.md).
 */
class GeneratedClientIT extends LedgerServiceIT {

    @Test
    void aGeneratedClientDoesTheReadmeSession() throws Exception {
        LedgerClient tenant = newTenant("gen");
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://127.0.0.1:" + port);
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + tenant.apiKey()));
        client.setReadTimeout(Duration.ofSeconds(30));
        AccountsApi accounts = new AccountsApi(client);
        TransfersApi transfers = new TransfersApi(client);

        AccountView bank = accounts.openAccount(null, new OpenAccountRequest().id("bank").currency("EUR")
                .kind(OpenAccountRequest.KindEnum.ASSET).overdraftLimit("unlimited"));
        assertThat(bank.getOverdraftLimit()).isEqualTo("unlimited");
        assertThat(bank.getBalance()).isEqualTo("0.00");
        AccountView alice = accounts.openAccount(null, new OpenAccountRequest().id("alice").currency("EUR")
                .kind(OpenAccountRequest.KindEnum.LIABILITY));
        assertThat(alice.getOverdraftLimit()).isNull();
        assertThat(alice.getOpenedAt()).isNull();

        TransferRequest deposit = new TransferRequest().id("deposit-1").debitAccount("bank").creditAccount("alice")
                .amount("100.00").currency("EUR");
        ApiResponse<TransferView> posted = transfers.createTransferWithHttpInfo("deposit-1", deposit);
        assertThat(posted.getStatusCode()).isEqualTo(201);
        assertThat(posted.getData().getStatus()).isEqualTo("POSTED");
        assertThat(posted.getData().getLegs()).extracting(l -> l.getAccount() + " " + l.getSide() + " " + l.getAmount())
                .containsExactly("bank debit 100.00", "alice credit 100.00");
        Instant afterDeposit = Instant.now();

        // the same request with the same key: the stored answer, marked as a replay, nothing posted again
        ApiResponse<TransferView> replay = transfers.createTransferWithHttpInfo("deposit-1", deposit);
        assertThat(replay.getStatusCode()).isEqualTo(201);
        assertThat(replay.getHeaders()).containsEntry("idempotent-replayed", List.of("true"));
        assertThat(replay.getData()).isEqualTo(posted.getData());

        AccountRead read = accounts.getAccount("alice", null);
        assertThat(read.getBalance()).isEqualTo("100.00");
        assertThat(read.getAvailable()).isEqualTo("100.00");
        assertThat(read.getCreditsPosted()).isEqualTo("100.00");
        assertThat(read.getOpenedAt()).isNotNull();
        AccountRead asOf = accounts.getAccount("alice", afterDeposit.toString());
        assertThat(asOf.getBalance()).isEqualTo("100.00");
        assertThat(asOf.getAsOf()).isNotNull();
        assertThat(asOf.getAvailable()).isNull();

        // a refusal: a problem document the client reads with the document's Problem model
        ApiException refused = catchThrowableOfType(ApiException.class, () -> transfers.createTransfer("pay-1",
                new TransferRequest().id("pay-1").debitAccount("alice").creditAccount("bank").amount("250.00")
                        .currency("EUR")));
        assertThat(refused.getCode()).isEqualTo(422);
        Problem problem = client.getObjectMapper().readValue(refused.getResponseBody(), Problem.class);
        assertThat(problem.getCode()).isEqualTo(Problem.CodeEnum.INSUFFICIENT_FUNDS);
        assertThat(problem.getStatus()).isEqualTo(422);
        assertThat(problem.getDetail()).isEqualTo("account alice has 100.00 EUR available, 250.00 needed");
        assertThat(accounts.getAccount("alice", null).getBalance()).isEqualTo("100.00");

        ApiException missing = catchThrowableOfType(ApiException.class, () -> transfers.getTransfer("pay-1"));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(client.getObjectMapper().readValue(missing.getResponseBody(), Problem.class).getCode())
                .isEqualTo(Problem.CodeEnum.TRANSFER_NOT_FOUND);
    }
}
