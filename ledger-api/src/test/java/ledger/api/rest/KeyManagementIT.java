package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.api.idempotency.AnswerRetention;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 14, item 7: admins list their tenant's keys (never a secret) and revoke them at once;
 * idempotency answers expire after the retention while ids stay unique. The revocation on another
 * node is {@code ledger.api.process.TwoNodesIT}'s.
 */
class KeyManagementIT extends RestSupport {
    @Autowired
    private DSLContext dsl;
    @Autowired
    private AnswerRetention.Purge purge;

    @Test
    void anAdminListsItsTenantsKeysWithoutSecrets() {
        LedgerClient admin = newTenant("km-list");
        LedgerClient other = newTenant("km-other");
        List<String> issued = new ArrayList<>();
        List<String> secrets = new ArrayList<>(List.of(admin.apiKey()));
        for (int i = 0; i < 3; i++) {
            Response r = admin.post("/v1/api-keys", null, json("roles", List.of("payments")));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            issued.add(r.json().get("id").asText());
            secrets.add(r.json().get("apiKey").asText());
        }
        Response all = admin.get("/v1/api-keys");
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        all.json().get("keys").forEach(k -> ids.add(k.get("id").asText()));
        assertThat(ids).hasSize(4).containsAll(issued).isSorted();
        assertThat(all.json().get("nextCursor").isNull()).isTrue();
        for (String secret : secrets) {
            assertThat(all.body()).as("no secret is listed").doesNotContain(secret);
        }
        JsonNode payments = find(all.json().get("keys"), issued.get(0));
        assertThat(payments.get("roles")).extracting(JsonNode::asText).containsExactly("payments");
        assertThat(payments.get("createdBy").asText()).isEqualTo(ids.stream().filter(id -> !issued.contains(id))
                .findFirst().orElseThrow());
        assertThat(payments.get("createdAt").asText()).endsWith("Z");
        assertThat(payments.get("revokedAt").isNull()).isTrue();
        assertThat(payments.fieldNames()).toIterable()
                .containsExactlyInAnyOrder("id", "roles", "createdBy", "createdAt", "revokedAt", "revokedBy");

        // pages of 3 then 1, by id
        Response first = admin.get("/v1/api-keys?limit=3");
        assertThat(first.json().get("keys")).hasSize(3);
        String cursor = first.json().get("nextCursor").asText();
        Response second = admin.get("/v1/api-keys?limit=3&after=" + cursor);
        assertThat(second.json().get("keys")).hasSize(1);
        assertThat(second.json().get("nextCursor").isNull()).isTrue();

        // another tenant sees only its own key
        assertThat(other.get("/v1/api-keys").json().get("keys")).hasSize(1);
        for (String bad : List.of("?limit=0", "?limit=1001", "?limit=x", "?after=")) {
            assertProblem(admin.get("/v1/api-keys" + bad), 400, "validation_failed");
        }
        // admins only
        assertProblem(admin.withKey(secrets.get(1)).get("/v1/api-keys"), 403, "forbidden");
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceAndStaysListedAsRevoked() {
        LedgerClient admin = newTenant("km-revoke");
        openBook(admin, "EUR", "wallet");
        Response issued = admin.post("/v1/api-keys", null, json("roles", List.of("payments")));
        String id = issued.json().get("id").asText();
        LedgerClient payments = admin.withKey(issued.json().get("apiKey").asText());
        assertThat(payments.account("wallet").status()).as("the key works and is cached").isEqualTo(200);
        assertThat(payments.account("wallet").status()).isEqualTo(200);

        Response revoked = delete(admin, "/v1/api-keys/" + id);
        assertThat(revoked.status()).as(revoked.toString()).isEqualTo(204);
        assertProblem(payments.account("wallet"), 401, "unauthorized");
        assertProblem(payments.transfer(key(), "t-after-revoke", "cash-EUR", "wallet", "1.00", "EUR"),
                401, "unauthorized");
        assertProblem(admin.get("/v1/transfers/t-after-revoke"), 404, "transfer_not_found");
        // revoking again is the same answer; the key is listed as revoked, by whom
        assertThat(delete(admin, "/v1/api-keys/" + id).status()).isEqualTo(204);
        JsonNode listed = find(admin.get("/v1/api-keys").json().get("keys"), id);
        assertThat(listed.get("revokedAt").asText()).endsWith("Z");
        assertThat(listed.get("revokedBy").asText()).isNotBlank();
    }

    @Test
    void revocationIsRefusedForUnknownAndForeignKeysAndForTheLastAdminKey() {
        LedgerClient a = newTenant("km-a");
        LedgerClient b = newTenant("km-b");
        Response bKey = b.post("/v1/api-keys", null, json("roles", List.of("finance")));
        String foreign = bKey.json().get("id").asText();
        assertProblem(delete(a, "/v1/api-keys/" + foreign), 404, "api_key_not_found");
        assertProblem(delete(a, "/v1/api-keys/0000000000000000"), 404, "api_key_not_found");
        assertProblem(delete(a, "/v1/api-keys/" + "x".repeat(200)), 404, "api_key_not_found");
        assertThat(b.withKey(bKey.json().get("apiKey").asText()).get("/v1/reports/trial-balance").status())
                .as("B's key still works").isEqualTo(200);

        // A's only admin key cannot go; with a second admin key, the first can
        String firstAdmin = a.get("/v1/api-keys").json().get("keys").get(0).get("id").asText();
        assertProblem(delete(a, "/v1/api-keys/" + firstAdmin), 409, "last_admin_key");
        Response second = a.post("/v1/api-keys", null, json("roles", List.of("admin")));
        LedgerClient secondAdmin = a.withKey(second.json().get("apiKey").asText());
        assertThat(delete(secondAdmin, "/v1/api-keys/" + firstAdmin).status()).isEqualTo(204);
        assertProblem(a.get("/v1/api-keys"), 401, "unauthorized");
        assertProblem(delete(secondAdmin, "/v1/api-keys/" + second.json().get("id").asText()), 409, "last_admin_key");
        // a payments key may not revoke
        Response pay = secondAdmin.post("/v1/api-keys", null, json("roles", List.of("payments")));
        LedgerClient payments = a.withKey(pay.json().get("apiKey").asText());
        assertProblem(delete(payments, "/v1/api-keys/" + pay.json().get("id").asText()), 403, "forbidden");
    }

    @Test
    void expiredAnswersAreDeletedButTheTransferIdStaysTaken() {
        LedgerClient c = newTenant("km-ret");
        openBook(c, "EUR", "wallet");
        String oldKey = key();
        String freshKey = key();
        assertThat(c.transfer(oldKey, "t-old", "cash-EUR", "wallet", "5.00", "EUR").status()).isEqualTo(201);
        assertThat(c.transfer(freshKey, "t-fresh", "cash-EUR", "wallet", "1.00", "EUR").status()).isEqualTo(201);
        // the old answer is made 31 days old (the default retention is 30 days)
        int aged = dsl.execute("UPDATE idempotency_record SET created_at = now() - interval '31 days'"
                + " WHERE tenant = ? AND idempotency_key = ?", c.tenant(), oldKey);
        assertThat(aged).isEqualTo(1);

        assertThat(purge.run()).isGreaterThanOrEqualTo(1);
        assertThat(dsl.fetchCount(dsl.selectFrom("idempotency_record")
                .where("tenant = ? AND idempotency_key = ?", c.tenant(), oldKey))).isZero();
        Response fresh = c.transfer(freshKey, "t-fresh", "cash-EUR", "wallet", "1.00", "EUR");
        assertThat(fresh.status()).as("a fresh answer is kept and replayed").isEqualTo(201);
        assertThat(fresh.header("Idempotent-Replayed")).isEqualTo("true");

        // the expired key is new again, but the transfer id is not: it never posts twice; the same
        // transfer is recognised by its id (docs/retries.md), other content under that id is refused
        Response again = c.transfer(oldKey, "t-old", "cash-EUR", "wallet", "5.00", "EUR");
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(again.header("Transfer-Existed")).isEqualTo("true");
        assertProblem(c.transfer(key(), "t-old", "cash-EUR", "wallet", "7.00", "EUR"), 409, "transfer_id_conflict");
        assertThat(c.account("wallet").json().get("balance").asText()).isEqualTo("6.00");
        // and the job is registered with db-scheduler, so some node runs it
        assertThat(dsl.fetchCount(dsl.selectFrom("scheduled_tasks").where("task_name = ?", "idempotency-retention")))
                .isEqualTo(1);
    }

    private static JsonNode find(JsonNode keys, String id) {
        for (JsonNode k : keys) {
            if (k.get("id").asText().equals(id)) {
                return k;
            }
        }
        throw new AssertionError("key " + id + " not listed in " + keys);
    }

    private static Response delete(LedgerClient c, String path) {
        return c.send(HttpRequest.newBuilder(c.uri(path)).DELETE(), null);
    }
}
