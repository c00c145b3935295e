package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * Account metadata and overdraft limits over real HTTP (docs/listing.md): metadata at opening,
 * {@code PATCH /v1/accounts/{id}} replacing it or the limit (an event of the account), the new limit
 * enforced from then on, a limit below the overdraft in use refused, listing by metadata.
 */
class AccountUpdatesIT extends RestSupport {

    private static Response patch(LedgerClient c, String id, String body) {
        return c.send(java.net.http.HttpRequest.newBuilder(c.uri("/v1/accounts/" + id))
                .header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString(body)), null);
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @Test
    void metadataIsSetAtOpeningReplacedByPatchAndSearchable() {
        LedgerClient c = newTenant("acc-meta");
        Response opened = c.post("/v1/accounts", null, json("id", "alice", "currency", "EUR", "kind", "LIABILITY",
                "metadata", Map.of("segment", "retail", "region", "eu")));
        assertThat(opened.status()).as(opened.toString()).isEqualTo(201);
        assertThat(opened.json().get("metadata").get("segment").asText()).isEqualTo("retail");
        open(c, "bob", "EUR", "LIABILITY", null);
        assertThat(c.account("alice").json().get("metadata").get("region").asText()).isEqualTo("eu");
        assertThat(c.account("bob").json().get("metadata")).isEmpty();

        assertThat(ids(c.get("/v1/accounts?metadata.segment=retail").json().get("accounts"))).containsExactly("alice");
        Response changed = patch(c, "bob", json("metadata", Map.of("segment", "retail")));
        assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
        assertThat(changed.json().get("metadata").get("segment").asText()).isEqualTo("retail");
        assertThat(ids(c.get("/v1/accounts?metadata.segment=retail").json().get("accounts")))
                .containsExactly("alice", "bob");
        // replaced whole
        assertThat(patch(c, "alice", json("metadata", Map.of("segment", "business"))).status()).isEqualTo(200);
        assertThat(c.account("alice").json().get("metadata").toString()).isEqualTo("{\"segment\":\"business\"}");
        assertThat(ids(c.get("/v1/accounts?metadata.segment=retail&metadata.region=eu").json().get("accounts")))
                .isEmpty();
        // another tenant's account is not found, and is not listed
        LedgerClient other = newTenant("acc-meta-other");
        assertProblem(patch(other, "alice", json("metadata", Map.of())), 404, "account_not_found");
        assertThat(ids(other.get("/v1/accounts?metadata.segment=business").json().get("accounts"))).isEmpty();
    }

    @Test
    void aRaisedLimitIsUsableAtOnceAndALimitBelowTheOverdraftInUseIsRefused() {
        LedgerClient c = newTenant("acc-limit");
        openBook(c, "EUR", "alice");
        assertProblem(transfer(c, key(), "t-1", "alice", "cash-EUR", "50.00", "EUR"), 422, "insufficient_funds");

        Response raised = patch(c, "alice", json("overdraftLimit", "100.00"));
        assertThat(raised.status()).as(raised.toString()).isEqualTo(200);
        assertThat(raised.json().get("overdraftLimit").asText()).isEqualTo("100.00");
        assertThat(c.account("alice").json().get("overdraftLimit").asText()).isEqualTo("100.00");
        assertThat(transfer(c, key(), "t-1", "alice", "cash-EUR", "50.00", "EUR").status()).isEqualTo(201);
        assertProblem(transfer(c, key(), "t-2", "alice", "cash-EUR", "50.01", "EUR"), 422, "insufficient_funds");

        // alice is 50.00 overdrawn: a limit below that is refused, and nothing changes
        JsonNode refused = assertProblem(patch(c, "alice", json("overdraftLimit", "49.99")), 409,
                "limit_below_balance");
        detailMentions(refused, "50.00");
        assertProblem(patch(c, "alice", json("overdraftLimit", "0")), 409, "limit_below_balance");
        assertThat(c.account("alice").json().get("overdraftLimit").asText()).isEqualTo("100.00");
        assertThat(patch(c, "alice", json("overdraftLimit", "50.00")).status()).isEqualTo(200);
        assertProblem(transfer(c, key(), "t-3", "alice", "cash-EUR", "0.01", "EUR"), 422, "insufficient_funds");
        assertThat(patch(c, "alice", json("overdraftLimit", "unlimited")).status()).isEqualTo(200);
        assertThat(transfer(c, key(), "t-4", "alice", "cash-EUR", "1000.00", "EUR").status()).isEqualTo(201);
        // the changes are lines of the account's history (its versions), not of its statement
        assertThat(lines(c, "alice")).hasSize(2);
    }

    @Test
    void badChangesAreRefusedAndChangeNothing() {
        LedgerClient c = newTenant("acc-bad");
        openBook(c, "EUR", "alice");
        Map<String, String> tooMany = new TreeMap<>();
        for (int i = 0; i < 33; i++) {
            tooMany.put("k" + i, "v");
        }
        assertProblem(patch(c, "alice", "{}"), 400, "validation_failed");
        assertProblem(patch(c, "alice", ""), 400, "validation_failed");
        assertProblem(patch(c, "alice", json("metadata", tooMany)), 400, "validation_failed");
        assertProblem(patch(c, "alice", json("metadata", Map.of("k".repeat(65), "v"))), 400, "validation_failed");
        assertProblem(patch(c, "alice", json("metadata", Map.of("k", "v".repeat(513)))), 400, "validation_failed");
        assertProblem(patch(c, "alice", "{\"metadata\":{\"k\":1}}"), 400, "validation_failed");
        assertProblem(patch(c, "alice", json("overdraftLimit", "-1.00")), 422, "amount_invalid");
        assertProblem(patch(c, "alice", json("overdraftLimit", "1.001")), 422, "amount_invalid");
        assertProblem(patch(c, "alice", "{\"overdraftLimit\":5}"), 400, "validation_failed");
        assertProblem(patch(c, "nobody", json("overdraftLimit", "1.00")), 404, "account_not_found");
        assertProblem(c.post("/v1/accounts", null, json("id", "x", "currency", "EUR", "kind", "ASSET", "metadata",
                tooMany)), 400, "validation_failed");
        assertThat(c.account("alice").json().get("overdraftLimit").isNull()).isTrue();
        assertThat(c.account("alice").json().get("metadata")).isEmpty();
        assertThat(close(c, "alice").status()).isEqualTo(200);
        assertProblem(patch(c, "alice", json("overdraftLimit", "1.00")), 409, "account_closed");
    }
}
