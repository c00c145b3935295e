package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/accounts} and {@code GET /v1/transfers} over real HTTP (docs/listing.md): filters,
 * a stable order, opaque cursors that page through everything once, bounds, tenant isolation, and a
 * list read right after a write shows it.
 */
class ListingIT extends RestSupport {

    private static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    /** Every item of a list, page by page (asserting each page is full but the last). */
    private static List<String> allPages(LedgerClient c, String path, String field, int limit) {
        List<String> all = new ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 100; pages++) {
            String sep = path.contains("?") ? "&" : "?";
            Response page = c.get(path + sep + "limit=" + limit + (cursor == null ? "" : "&cursor=" + q(cursor)));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            List<String> items = ids(page.json().get(field));
            all.addAll(items);
            JsonNode next = page.json().get("nextCursor");
            if (next == null || next.isNull()) {
                return all;
            }
            assertThat(items).hasSize(limit);
            cursor = next.asText();
        }
        throw new AssertionError("more than 100 pages");
    }

    @Test
    void accountsAreListedByIdFilteredAndPagedOnce() {
        LedgerClient c = newTenant("list-acc");
        openBook(c, "EUR", "w-3", "w-1", "w-2");
        open(c, "cash-USD", "USD", "ASSET", "unlimited");
        open(c, "fees", "EUR", "REVENUE", null);
        assertThat(freeze(c, "w-2").status()).isEqualTo(200);

        assertThat(allPages(c, "/v1/accounts", "accounts", 2))
                .containsExactly("cash-EUR", "cash-USD", "fees", "w-1", "w-2", "w-3");
        assertThat(ids(c.get("/v1/accounts?currency=USD").json().get("accounts"))).containsExactly("cash-USD");
        assertThat(ids(c.get("/v1/accounts?kind=LIABILITY").json().get("accounts")))
                .containsExactly("w-1", "w-2", "w-3");
        assertThat(ids(c.get("/v1/accounts?kind=LIABILITY&status=FROZEN").json().get("accounts")))
                .containsExactly("w-2");
        assertThat(allPages(c, "/v1/accounts?currency=EUR&status=OPEN", "accounts", 1))
                .containsExactly("cash-EUR", "fees", "w-1", "w-3");
        JsonNode account = c.get("/v1/accounts?kind=REVENUE").json().get("accounts").get(0);
        assertThat(account.toString()).isEqualTo(c.account("fees").json().toString());

        // another tenant sees only its own
        LedgerClient other = newTenant("list-acc-other");
        openBook(other, "EUR");
        assertThat(ids(other.get("/v1/accounts").json().get("accounts"))).containsExactly("cash-EUR");
    }

    @Test
    void transfersAreListedInCreationOrderByAccountStatusTimeAndMetadata() {
        LedgerClient c = newTenant("list-tr");
        openBook(c, "EUR", "alice", "bob");
        Instant start = Instant.now().minusSeconds(1);
        post(c, "t-1", "cash-EUR", "alice", "10.00", Map.of("order", "o-1", "channel", "web"));
        post(c, "t-2", "cash-EUR", "bob", "20.00", Map.of("order", "o-2", "channel", "web"));
        post(c, "t-3", "alice", "bob", "1.00", Map.of("order", "o-3", "channel", "app"));
        assertThat(pending(c, key(), "h-1", "alice", "bob", "2.00", "EUR", null).status()).isEqualTo(201);
        assertThat(entry(c, key(), "e-1", "cash-EUR", "debit", "3.00", "alice", "credit", "3.00").status())
                .isEqualTo(201);
        assertThat(c.post("/v1/transfers/t-1/reverse", key(), json("amount", "1.00")).status()).isEqualTo(201);

        List<String> all = List.of("t-1", "t-2", "t-3", "h-1", "e-1", "t-1.r1");
        assertThat(allPages(c, "/v1/transfers", "transfers", 2)).containsExactlyElementsOf(all);
        assertThat(allPages(c, "/v1/transfers?account=bob", "transfers", 1)).containsExactly("t-2", "t-3", "h-1");
        assertThat(ids(c.get("/v1/transfers?status=PENDING").json().get("transfers"))).containsExactly("h-1");
        assertThat(ids(c.get("/v1/transfers?account=alice&status=POSTED").json().get("transfers")))
                .containsExactly("t-1", "t-3", "e-1", "t-1.r1");
        assertThat(ids(c.get("/v1/transfers?metadata.channel=web").json().get("transfers")))
                .containsExactly("t-1", "t-2");
        assertThat(ids(c.get("/v1/transfers?metadata.channel=web&metadata.order=o-2").json().get("transfers")))
                .containsExactly("t-2");
        assertThat(ids(c.get("/v1/transfers?metadata.channel=fax").json().get("transfers"))).isEmpty();
        assertThat(ids(c.get("/v1/transfers?from=" + q(start.toString())).json().get("transfers")))
                .containsExactlyElementsOf(all);
        assertThat(ids(c.get("/v1/transfers?to=" + q(start.toString())).json().get("transfers"))).isEmpty();

        // the listed transfer is the transfer as GET shows it, links and status included
        JsonNode listed = c.get("/v1/transfers?account=alice&limit=1").json().get("transfers").get(0);
        assertThat(listed.toString()).isEqualTo(c.get("/v1/transfers/t-1").json().toString());
        // a status change is seen by the next list
        assertThat(voidPending(c, key(), "h-1").status()).isEqualTo(200);
        assertThat(ids(c.get("/v1/transfers?status=PENDING").json().get("transfers"))).isEmpty();
        assertThat(ids(c.get("/v1/transfers?status=VOIDED").json().get("transfers"))).containsExactly("h-1");

        LedgerClient other = newTenant("list-tr-other");
        assertThat(ids(other.get("/v1/transfers").json().get("transfers"))).isEmpty();
        assertThat(ids(other.get("/v1/transfers?account=alice").json().get("transfers"))).isEmpty();
    }

    @Test
    void anEntryOfManyAccountsIsListedUnderEachAndAnEndedHoldUnderItsNewStatus() {
        LedgerClient c = newTenant("list-many");
        openBook(c, "EUR", "alice", "bob", "carol", "dave");
        post(c, "t-1", "cash-EUR", "dave", "5.00", Map.of());
        // four accounts: the first two are in the index's row, the others in rows of their own
        assertThat(entry(c, key(), "e-1", "alice", "credit", "3.00", "cash-EUR", "debit", "4.00", "bob", "credit",
                "0.50", "carol", "credit", "0.50").status()).isEqualTo(201);
        assertThat(pending(c, key(), "h-1", "dave", "carol", "1.00", "EUR", null).status()).isEqualTo(201);
        post(c, "t-2", "bob", "carol", "0.10", Map.of("order", "o-2"));
        assertThat(pending(c, key(), "h-2", "cash-EUR", "dave", "2.00", "EUR", null).status()).isEqualTo(201);

        assertThat(allPages(c, "/v1/transfers?account=carol", "transfers", 1)).containsExactly("e-1", "h-1", "t-2");
        assertThat(allPages(c, "/v1/transfers?account=bob", "transfers", 1)).containsExactly("e-1", "t-2");
        assertThat(allPages(c, "/v1/transfers?account=cash-EUR", "transfers", 2)).containsExactly("t-1", "e-1",
                "h-2");
        assertThat(allPages(c, "/v1/transfers?account=dave&status=PENDING", "transfers", 1))
                .containsExactly("h-1", "h-2");
        assertThat(ids(c.get("/v1/transfers?account=carol&metadata.order=o-2").json().get("transfers")))
                .containsExactly("t-2");

        // a hold posted or voided leaves PENDING for its new status, in its place in every list
        assertThat(postPending(c, key(), "h-1", null).status()).isEqualTo(200);
        assertThat(voidPending(c, key(), "h-2").status()).isEqualTo(200);
        assertThat(ids(c.get("/v1/transfers?status=PENDING").json().get("transfers"))).isEmpty();
        assertThat(ids(c.get("/v1/transfers?status=POSTED").json().get("transfers")))
                .containsExactly("t-1", "e-1", "h-1", "t-2");
        assertThat(ids(c.get("/v1/transfers?account=dave&status=VOIDED").json().get("transfers")))
                .containsExactly("h-2");
        assertThat(allPages(c, "/v1/transfers?account=dave", "transfers", 1)).containsExactly("t-1", "h-1", "h-2");
    }

    @Test
    void aCursorKeepsItsPlaceWhileNewTransfersArrive() {
        LedgerClient c = newTenant("list-live");
        openBook(c, "EUR", "alice");
        for (int i = 1; i <= 3; i++) {
            post(c, "t-" + i, "cash-EUR", "alice", "1.00", Map.of());
        }
        Response first = c.get("/v1/transfers?limit=2");
        post(c, "t-4", "cash-EUR", "alice", "1.00", Map.of());
        Response second = c.get("/v1/transfers?limit=2&cursor=" + q(first.json().get("nextCursor").asText()));
        assertThat(ids(first.json().get("transfers"))).containsExactly("t-1", "t-2");
        assertThat(ids(second.json().get("transfers"))).containsExactly("t-3", "t-4");
    }

    @Test
    void badQueriesAreRefusedWithValidationFailed() {
        LedgerClient c = newTenant("list-bad");
        openBook(c, "EUR", "alice");
        post(c, "t-1", "cash-EUR", "alice", "1.00", Map.of());
        String longKey = "k".repeat(65);
        for (String path : List.of(
                "/v1/accounts?limit=0", "/v1/accounts?limit=1001", "/v1/accounts?limit=ten", "/v1/accounts?limit=-1",
                "/v1/accounts?kind=MONEY", "/v1/accounts?status=open", "/v1/accounts?currency=eu%20r",
                "/v1/accounts?cursor=%25%25", "/v1/accounts?cursor=" + q("not-a-cursor"), "/v1/accounts?nope=1",
                "/v1/accounts?metadata.=v", "/v1/accounts?kind=ASSET&kind=LIABILITY",
                "/v1/transfers?status=DONE", "/v1/transfers?from=yesterday", "/v1/transfers?to=2026-13-01T00:00:00Z",
                "/v1/transfers?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z",
                "/v1/transfers?account=" + q("bad id"), "/v1/transfers?limit=100000",
                "/v1/transfers?metadata." + longKey + "=v", "/v1/transfers?metadata.k=" + "v".repeat(513),
                "/v1/transfers?metadata.=v",
                "/v1/transfers?metadata.a=1&metadata.b=1&metadata.c=1&metadata.d=1&metadata.e=1&metadata.f=1"
                        + "&metadata.g=1&metadata.h=1&metadata.i=1",
                "/v1/transfers?cursor=" + q(java.util.Base64.getUrlEncoder().encodeToString("t1\nx".getBytes())),
                "/v1/transfers?cursor=" + q(java.util.Base64.getUrlEncoder().encodeToString(
                        "a1\nalice".getBytes())))) {
            assertProblem(c.get(path), 400, "validation_failed");
        }
        // a cursor of one list is not one of the other
        Response accounts = c.get("/v1/accounts?limit=1");
        assertProblem(c.get("/v1/transfers?cursor=" + q(accounts.json().get("nextCursor").asText())), 400,
                "validation_failed");
        // the read roles may list
        assertThat(withRoles(c, "finance").get("/v1/transfers?limit=1").status()).isEqualTo(200);
        assertThat(withRoles(c, "auditor").get("/v1/accounts?limit=1").status()).isEqualTo(200);
    }

    private static void post(LedgerClient c, String id, String debit, String credit, String amount,
                             Map<String, String> metadata) {
        Response r = c.post("/v1/transfers", key(), json("id", id, "debitAccount", debit, "creditAccount", credit,
                "amount", amount, "currency", "EUR", "metadata", metadata));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }
}
