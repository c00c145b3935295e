package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/** Tenants get an admin key once; admins issue keys with roles; nothing of another tenant is visible or changeable. */
class TenantsAndKeysIT extends RestSupport {

    @Test
    void theOperatorCreatesATenantWhoseAdminKeyIsShownOnce() {
        String id = "tk-" + Long.toHexString(System.nanoTime());
        Response created = root().post("/v1/tenants", null, json("id", id));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("tenant").asText()).isEqualTo(id);
        assertThat(body.get("apiKey").asText()).isNotBlank();
        assertThat(body.get("apiKeyId").asText()).isNotBlank().isNotEqualTo(body.get("apiKey").asText());
        assertThat(body.get("roles")).extracting(JsonNode::asText).containsExactly("admin");

        LedgerClient admin = root().withKey(body.get("apiKey").asText());
        open(admin, "cash-EUR", "EUR", "ASSET", "unlimited");
        assertThat(trialBalance(admin, null).status()).isEqualTo(200);

        // the same tenant again: refused, and no key is handed out
        Response again = root().post("/v1/tenants", null, json("id", id));
        assertProblem(again, 409, "duplicate_id");
        assertThat(again.json().has("apiKey")).isFalse();
        assertProblem(root().post("/v1/tenants", null, json("id", "Not Valid!")), 400, "validation_failed");
        assertProblem(root().post("/v1/tenants", null, "{}"), 400, "validation_failed");
    }

    @Test
    void anAdminIssuesKeysWithRoles() {
        LedgerClient admin = newTenant("tk-keys");
        Response issued = admin.post("/v1/api-keys", null, json("roles", List.of("payments", "finance")));
        assertThat(issued.status()).as(issued.toString()).isEqualTo(201);
        assertThat(issued.json().get("tenant").asText()).isEqualTo(admin.tenant());
        assertThat(issued.json().get("roles")).extracting(JsonNode::asText).containsExactly("finance", "payments");
        LedgerClient both = admin.withKey(issued.json().get("apiKey").asText());
        open(admin, "cash-EUR", "EUR", "ASSET", "unlimited");
        open(both, "wallet", "EUR", "LIABILITY", null);
        assertThat(both.transfer(key(), "t-1", "cash-EUR", "wallet", "1.00", "EUR").status()).isEqualTo(201);
        assertThat(trialBalance(both, null).status()).isEqualTo(200);

        for (String body : List.of(json("roles", List.of("payments", "superuser")), json("roles", List.of("operator")),
                json("roles", List.of("ADMIN")), json("roles", List.of()), "{}", "{\"roles\":\"admin\"}")) {
            assertProblem(admin.post("/v1/api-keys", null, body), 400, "validation_failed");
        }
        JsonNode unknown = admin.post("/v1/api-keys", null, json("roles", List.of("superuser"))).json();
        detailMentions(unknown, "superuser");
        // an issued admin key issues keys of its own tenant only
        LedgerClient second = withRoles(admin, "admin");
        Response third = second.post("/v1/api-keys", null, json("roles", List.of("auditor")));
        assertThat(third.status()).isEqualTo(201);
        assertThat(third.json().get("tenant").asText()).isEqualTo(admin.tenant());
    }

    @Test
    void aKeyOfOneTenantCannotSeeOrChangeAnotherTenant() {
        LedgerClient a = newTenant("tk-a");
        LedgerClient b = newTenant("tk-b");
        openBook(a, "EUR", "a-wallet");
        openBook(b, "EUR", "b-wallet", "b-shop");
        openBook(b, "USD", "b-usd");
        fund(a, "a-wallet", "1.00", "EUR");
        fund(b, "b-wallet", "50.00", "EUR");
        assertThat(pending(b, key(), "b-hold", "b-wallet", "b-shop", "20.00", "EUR", null).status()).isEqualTo(201);
        assertThat(pending(b, key(), "b-hold-2", "b-wallet", "b-shop", "5.00", "EUR", null).status()).isEqualTo(201);
        awaitStatementsHave(b, "b-hold", "b-wallet", "b-shop");
        awaitStatementsHave(b, "b-hold-2", "b-wallet", "b-shop");
        b.awaitTransfer("b-hold-2", t -> true);
        List<AccountState> bBefore = snapshot(b, "cash-EUR", "b-wallet", "b-shop", "b-usd");
        List<AccountState> aBefore = snapshot(a, "cash-EUR", "a-wallet");

        // reads: B's accounts, statements and transfers do not exist for A
        assertProblem(a.account("b-wallet"), 404, "account_not_found");
        assertProblem(a.get("/v1/accounts/b-wallet?asOf=2100-01-01T00:00:00Z"), 404, "account_not_found");
        assertProblem(statement(a, "b-wallet", null, null), 404, "account_not_found");
        assertProblem(a.get("/v1/transfers/b-hold"), 404, "transfer_not_found");
        // changes: B's account ids are unknown accounts, B's transfers unknown transfers
        assertProblem(a.transfer(key(), "x-1", "b-wallet", "b-shop", "1.00", "EUR"), 404, "account_not_found");
        assertProblem(a.transfer(key(), "x-2", "a-wallet", "b-wallet", "1.00", "EUR"), 404, "account_not_found");
        assertProblem(entry(a, key(), "x-3", "cash-EUR", "debit", "1.00", "b-shop", "credit", "1.00"),
                404, "account_not_found");
        assertProblem(postPending(a, key(), "b-hold", null), 404, "transfer_not_found");
        assertProblem(postPending(a, key(), "b-hold", "1.00"), 404, "transfer_not_found");
        assertProblem(voidPending(a, key(), "b-hold-2"), 404, "transfer_not_found");
        assertProblem(freeze(a, "b-wallet"), 404, "account_not_found");
        assertProblem(close(a, "b-usd"), 404, "account_not_found");

        // A's trial balance lists A's accounts only
        Response tb = trialBalance(a, null);
        assertThat(tb.status()).isEqualTo(200);
        List<String> accounts = new ArrayList<>();
        tb.json().get("accounts").forEach(l -> accounts.add(l.get("account").asText()));
        assertThat(accounts).containsExactlyInAnyOrder("cash-EUR", "a-wallet");
        assertThat(tb.json().get("totals")).hasSize(1);
        assertThat(tb.json().get("totals").get(0).get("currency").asText()).isEqualTo("EUR");
        assertThat(tb.json().get("totals").get(0).get("debits").asText()).isEqualTo("1.00");
        assertThat(tb.json().get("totals").get(0).get("accounts").asInt()).isEqualTo(2);

        assertUnchanged(b, bBefore);
        assertUnchanged(a, aBefore, "x-1", "x-2", "x-3");
        assertThat(b.get("/v1/transfers/b-hold").json().get("status").asText()).isEqualTo("PENDING");
        assertThat(b.get("/v1/transfers/b-hold-2").json().get("status").asText()).isEqualTo("PENDING");
        // and A's own ids are A's: B's key sees none of them
        assertProblem(b.account("a-wallet"), 404, "account_not_found");
        // the same account and transfer ids in two tenants are independent
        open(a, "b-wallet", "USD", "ASSET", "unlimited");
        a.awaitAccount("b-wallet", x -> x.get("currency").asText().equals("USD"));
        assertThat(b.account("b-wallet").json().get("currency").asText()).isEqualTo("EUR");
    }
}
