package ledger.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SmokeIT extends LedgerServiceIT {

    @Test
    void postsATransferAndShowsTheBalance() {
        LedgerClient client = newTenant("smoke");
        assertThat(client.openAccount("cash", "EUR", "ASSET", "unlimited").status()).isEqualTo(201);
        assertThat(client.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        LedgerClient.Response posted = client.transfer("k1", "t1", "cash", "wallet", "12.50", "EUR");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(201);
        client.awaitAccount("wallet", a -> a.get("balance").asText().equals("12.50"));
        client.awaitAccount("cash", a -> a.get("balance").asText().equals("12.50"));
    }
}
