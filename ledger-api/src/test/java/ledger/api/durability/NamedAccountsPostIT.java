package ledger.api.durability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import ledger.api.LedgerClient;
import ledger.api.LedgerServiceIT;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Posts and voids of pending transfers that name their accounts (the settlement saga's) are queued
 * into shared group commits, their accounts locked up front. Sent all at once, among others on the
 * same accounts, each ends its transfer exactly once, and a list that names the wrong accounts only
 * costs a wait: the transfer's own accounts are the ones changed.
 */
class NamedAccountsPostIT extends LedgerServiceIT {
    @Autowired
    CommandGateway gateway;

    @Test
    void postsAndVoidsThatNameTheirAccountsShareCommitsAndEndEachTransferOnce() throws Exception {
        LedgerClient c = newTenant("named");
        assertThat(c.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(c.openAccount("hot", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        assertThat(c.openAccount("other", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        int n = 60;
        for (int i = 0; i < n; i++) {
            String body = "{\"id\":\"p-" + i + "\",\"debitAccount\":\"cash\",\"creditAccount\":\"hot\",\"amount\":\"1.00\","
                    + "\"currency\":\"EUR\",\"pending\":true}";
            assertThat(c.post("/v1/transfers", "k-" + i, body).status()).isEqualTo(201);
        }
        TenantId tenant = TenantId.of(c.tenant());
        List<AccountId> right = List.of(AccountId.of("cash"), AccountId.of("hot"));
        List<AccountId> wrong = List.of(AccountId.of("other"));
        List<CompletableFuture<Object>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TransferId id = TransferId.of("p-" + i);
            Object command = switch (i % 4) {
                case 0, 1 -> new PostPendingTransfer(tenant, id, null, right);
                case 2 -> new PostPendingTransfer(tenant, id, null, wrong);
                default -> new VoidPendingTransfer(tenant, id, right);
            };
            answers.add(gateway.send(command));
            if (i % 4 == 0) { // the same transfer again, racing: it ends once, the second is refused
                answers.add(gateway.send(new PostPendingTransfer(tenant, id, null, right))
                        .handle((ok, refused) -> refused == null ? "ended twice" : "refused"));
            }
        }
        List<Object> results = new ArrayList<>();
        for (CompletableFuture<Object> answer : answers) {
            results.add(answer.get(60, TimeUnit.SECONDS));
        }
        assertThat(results).doesNotContain("ended twice");

        int posted = n / 4 * 3;
        String hot = c.account("hot").json().toString();
        assertThat(c.account("hot").json().get("balance").asText()).as(hot).isEqualTo(posted + ".00");
        assertThat(c.account("hot").json().get("creditsPending").asText()).as(hot).isEqualTo("0.00");
        assertThat(c.account("cash").json().get("balance").asText()).isEqualTo(posted + ".00");
        assertThat(c.account("other").json().get("balance").asText()).isEqualTo("0.00");
        for (int i = 0; i < n; i++) {
            String status = c.get("/v1/transfers/p-" + i).json().get("status").asText();
            assertThat(status).as("p-" + i).isEqualTo(i % 4 == 3 ? "VOIDED" : "POSTED");
        }
    }
}
