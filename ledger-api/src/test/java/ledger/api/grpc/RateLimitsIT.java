package ledger.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.rpc.RetryInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.net.http.HttpRequest;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import ledger.grpc.v1.GetAccountRequest;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 8 on one node, both APIs: per-key and per-tenant token buckets from plans an operator
 * changes at runtime; over the limit REST answers 429 rate_limited with Retry-After and RateLimit-*,
 * gRPC RESOURCE_EXHAUSTED with RetryInfo. Two nodes sharing one limit: ledger.api.process.TwoNodesIT.
 */
class RateLimitsIT extends GrpcSupport {

    @Test
    void aKeyOverItsPlanIsRefusedOnBothApisUntilThePlanIsRaised() {
        String plan = plan(3, 1, 3_600_000);
        Tenant t = tenant("rl-key");
        LedgerClient payments = t.rest().withKey(issueKey(t, "payments"));
        assertThat(put("/v1/tenants/" + t.id() + "/rate-limits", "{\"keyPlan\":\"" + plan + "\"}").status())
                .isEqualTo(200);
        assertThat(payments.openAccount("wallet", "EUR", "LIABILITY", null).status()).isEqualTo(201);
        assertThat(payments.account("wallet").status()).isEqualTo(200);
        assertThat(payments.account("wallet").status()).isEqualTo(200);
        Response limited = payments.account("wallet");
        assertThat(limited.status()).as(limited.toString()).isEqualTo(429);
        assertThat(limited.header("Content-Type")).startsWith("application/problem+json");
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 3600L);
        assertThat(limited.header("RateLimit-Limit")).isEqualTo("3");
        assertThat(limited.header("RateLimit-Remaining")).isEqualTo("0");
        assertThat(limited.header("RateLimit-Reset")).isEqualTo(limited.header("Retry-After"));
        // a refused request changes nothing
        assertThat(payments.transfer("k-rl", "rl-1", "wallet", "wallet", "1.00", "EUR").status()).isEqualTo(429);

        // the same key on gRPC: its bucket is shared by both APIs
        StatusRuntimeException refused = assertRefused(() -> stub(payments.apiKey())
                        .getAccount(GetAccountRequest.newBuilder().setAccountId("wallet").build()),
                Status.Code.RESOURCE_EXHAUSTED, "rate_limited");
        RetryInfo retry = StatusProto.fromThrowable(refused).getDetailsList().stream()
                .filter(d -> d.is(RetryInfo.class)).map(d -> unpack(d)).findFirst().orElseThrow();
        assertThat(retry.getRetryDelay().getSeconds()).isBetween(0L, 3600L);

        // the tenant's admin key has its own bucket of that plan
        assertThat(t.rest().account("wallet").status()).isEqualTo(200);
        assertThat(t.rest().get("/v1/transfers/rl-1").status()).as("the refused transfer was not posted")
                .isEqualTo(404);

        // raising the plan at runtime lets the key through at once
        assertThat(put("/v1/rate-limit-plans/" + plan,
                "{\"capacity\":100,\"refillTokens\":1,\"refillPeriodMs\":3600000}").status()).isEqualTo(200);
        assertThat(payments.account("wallet").status()).isEqualTo(200);
        assertThat(stub(payments.apiKey()).getAccount(GetAccountRequest.newBuilder().setAccountId("wallet").build())
                .getAccount().getId()).isEqualTo("wallet");
    }

    @Test
    void theTenantPlanLimitsAllItsKeysTogether() {
        String plan = plan(4, 1, 3_600_000);
        Tenant t = tenant("rl-tenant");
        String a = issueKey(t, "finance");
        String b = issueKey(t, "finance");
        Response assigned = put("/v1/tenants/" + t.id() + "/rate-limits", "{\"tenantPlan\":\"" + plan + "\"}");
        assertThat(assigned.json().get("tenantPlan").get("name").asText()).isEqualTo(plan);
        assertThat(assigned.json().get("keyPlan").get("name").asText()).isEqualTo("default-key");
        LedgerClient ka = t.rest().withKey(a);
        LedgerClient kb = t.rest().withKey(b);
        assertThat(ka.get("/v1/events").status()).isEqualTo(200);
        assertThat(kb.get("/v1/events").status()).isEqualTo(200);
        assertThat(ka.get("/v1/events").status()).isEqualTo(200);
        assertThat(kb.get("/v1/events").status()).isEqualTo(200);
        Response limited = ka.get("/v1/events");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().get("detail").asText()).contains("tenant");
        assertThat(kb.get("/v1/events").status()).isEqualTo(429);
        // another tenant is not affected
        assertThat(newTenant("rl-other").get("/v1/events").status()).isEqualTo(200);
    }

    @Test
    void plansAreChangedByTheOperatorOnlyAndChecked() {
        Tenant t = tenant("rl-admin");
        for (String body : List.of("{}", "{\"capacity\":0,\"refillTokens\":1,\"refillPeriodMs\":1}",
                "{\"capacity\":1,\"refillTokens\":1,\"refillPeriodMs\":86400001}",
                "{\"capacity\":1,\"refillTokens\":1,\"refillPeriodMs\":1,\"burst\":2}")) {
            assertThat(put("/v1/rate-limit-plans/p-x", body).status()).as(body).isEqualTo(400);
        }
        assertThat(put("/v1/rate-limit-plans/Bad_Name", "{\"capacity\":1,\"refillTokens\":1,\"refillPeriodMs\":1}")
                .code()).isEqualTo("validation_failed");
        assertThat(put("/v1/tenants/" + t.id() + "/rate-limits", "{\"keyPlan\":\"no-such-plan\"}").code())
                .isEqualTo("rate_plan_not_found");
        assertThat(put("/v1/tenants/no-such-tenant/rate-limits", "{\"keyPlan\":\"default-key\"}").code())
                .isEqualTo("tenant_not_found");
        assertThat(put("/v1/tenants/" + t.id() + "/rate-limits", "{}").code()).isEqualTo("validation_failed");
        // a tenant's admin cannot lift its own limits
        Response own = t.rest().send(HttpRequest.newBuilder(t.rest().uri("/v1/tenants/" + t.id() + "/rate-limits"))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"keyPlan\":\"default-key\"}")), null);
        assertThat(own.status()).isEqualTo(403);
        Response plans = root().get("/v1/rate-limit-plans");
        assertThat(plans.status()).isEqualTo(200);
        assertThat(plans.body()).contains("\"default-tenant\"", "\"default-key\"");
        assertThat(root().get("/v1/tenants/" + t.id() + "/rate-limits").json().get("keyPlan").get("capacity")
                .asLong()).isEqualTo(1_000_000);
    }

    private static RetryInfo unpack(com.google.protobuf.Any any) {
        try {
            return any.unpack(RetryInfo.class);
        } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private String plan(long capacity, long refill, long periodMs) {
        String name = "it-" + Long.toHexString(System.nanoTime());
        Response r = put("/v1/rate-limit-plans/" + name, "{\"capacity\":" + capacity + ",\"refillTokens\":" + refill
                + ",\"refillPeriodMs\":" + periodMs + "}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("capacity").asLong()).isEqualTo(capacity);
        return name;
    }

    private Response put(String path, String body) {
        LedgerClient root = root();
        return root.send(HttpRequest.newBuilder(root.uri(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)), null);
    }
}
