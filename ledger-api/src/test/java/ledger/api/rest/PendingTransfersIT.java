package ledger.api.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import ledger.api.LedgerClient;
import ledger.api.LedgerClient.Response;
import org.jooq.DSLContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Pending transfers reserve funds until posted (fully or partly), voided or expired. */
class PendingTransfersIT extends RestSupport {
    @Autowired
    private DSLContext dsl;

    /** A tenant with wallet (100.00 EUR, no overdraft) and shop, and a 30.00 hold from wallet to shop. */
    private LedgerClient withHold(String prefix, Long timeoutSeconds) {
        LedgerClient c = newTenant(prefix);
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "100.00", "EUR");
        Response hold = pending(c, key(), "hold", "wallet", "shop", "30.00", "EUR", timeoutSeconds);
        assertThat(hold.status()).as(hold.toString()).isEqualTo(201);
        assertThat(hold.json().get("status").asText()).isEqualTo("PENDING");
        return c;
    }

    @Test
    void aPendingTransferReservesAvailableButNotTheBalance() {
        LedgerClient c = withHold("pend-reserve", null);
        JsonNode wallet = c.awaitAccount("wallet", a -> a.get("available").asText().equals("70.00")).json();
        assertThat(wallet.get("balance").asText()).isEqualTo("100.00");
        assertThat(wallet.get("debitsPending").asText()).isEqualTo("30.00");
        JsonNode shop = c.awaitAccount("shop", a -> a.get("creditsPending").asText().equals("30.00")).json();
        assertThat(shop.get("balance").asText()).isEqualTo("0.00");
        JsonNode transfer = c.awaitTransfer("hold", t -> true).json();
        assertThat(transfer.get("status").asText()).isEqualTo("PENDING");
        assertThat(absent(transfer, "expiresAt")).isTrue();
        List<JsonNode> lines = lines(c, "wallet");
        JsonNode reserved = lines.get(lines.size() - 1);
        assertThat(reserved.get("type").asText()).isEqualTo("reserved");
        assertThat(reserved.get("balance").asText()).isEqualTo("100.00");
        assertThat(reserved.get("available").asText()).isEqualTo("70.00");
    }

    @Test
    void postingInFullMovesTheReservedAmount() {
        LedgerClient c = withHold("pend-full", null);
        Response posted = postPending(c, key(), "hold", null);
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        assertThat(posted.json().get("status").asText()).isEqualTo("POSTED");
        assertThat(posted.json().get("postedAmount").asText()).isEqualTo("30.00");

        JsonNode wallet = c.awaitAccount("wallet", a -> a.get("balance").asText().equals("70.00")).json();
        assertThat(wallet.get("available").asText()).isEqualTo("70.00");
        assertThat(wallet.get("debitsPending").asText()).isEqualTo("0.00");
        JsonNode shop = c.awaitAccount("shop", a -> a.get("balance").asText().equals("30.00")).json();
        assertThat(shop.get("creditsPending").asText()).isEqualTo("0.00");
        c.awaitTransfer("hold", t -> t.get("status").asText().equals("POSTED")
                && t.get("postedAmount").asText().equals("30.00"));
    }

    @Test
    void postingPartlyReleasesTheRest() {
        LedgerClient c = withHold("pend-part", null);
        Response posted = postPending(c, key(), "hold", "20.00");
        assertThat(posted.status()).as(posted.toString()).isEqualTo(200);
        assertThat(posted.json().get("postedAmount").asText()).isEqualTo("20.00");

        JsonNode wallet = c.awaitAccount("wallet", a -> a.get("balance").asText().equals("80.00")).json();
        assertThat(wallet.get("available").asText()).isEqualTo("80.00");
        assertThat(wallet.get("debitsPending").asText()).isEqualTo("0.00");
        c.awaitAccount("shop", a -> a.get("balance").asText().equals("20.00")
                && a.get("creditsPending").asText().equals("0.00"));
        c.awaitTransfer("hold", t -> t.get("status").asText().equals("POSTED")
                && t.get("postedAmount").asText().equals("20.00"));
        // the released 10.00 is spendable again
        assertThat(transfer(c, key(), "spend", "wallet", "shop", "80.00", "EUR").status()).isEqualTo(201);
        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("0.00"));
    }

    @Test
    void voidingReleasesTheReservation() {
        LedgerClient c = withHold("pend-void", null);
        c.awaitAccount("wallet", a -> a.get("available").asText().equals("70.00"));
        Response voided = voidPending(c, key(), "hold");
        assertThat(voided.status()).as(voided.toString()).isEqualTo(200);
        assertThat(voided.json().get("status").asText()).isEqualTo("VOIDED");

        JsonNode wallet = c.awaitAccount("wallet", a -> a.get("available").asText().equals("100.00")).json();
        assertThat(wallet.get("balance").asText()).isEqualTo("100.00");
        c.awaitAccount("shop", a -> a.get("creditsPending").asText().equals("0.00"));
        c.awaitTransfer("hold", t -> t.get("status").asText().equals("VOIDED"));
    }

    @Test
    void afterVoidOrPostTheTransferIsNoLongerPendingAndNothingChanges() {
        LedgerClient c = withHold("pend-notpend", null);
        assertThat(pending(c, key(), "hold-2", "wallet", "shop", "10.00", "EUR", null).status()).isEqualTo(201);
        assertThat(voidPending(c, key(), "hold").status()).isEqualTo(200);
        assertThat(postPending(c, key(), "hold-2", null).status()).isEqualTo(200);
        c.awaitAccount("wallet", a -> a.get("balance").asText().equals("90.00")
                && a.get("available").asText().equals("90.00"));
        c.awaitTransfer("hold-2", t -> t.get("status").asText().equals("POSTED"));
        c.awaitAccount("shop", a -> a.get("balance").asText().equals("10.00")
                && a.get("creditsPending").asText().equals("0.00"));
        List<AccountState> before = snapshot(c, "wallet", "shop");

        assertProblem(postPending(c, key(), "hold", null), 409, "transfer_not_pending");
        assertProblem(postPending(c, key(), "hold", "1.00"), 409, "transfer_not_pending");
        assertProblem(voidPending(c, key(), "hold"), 409, "transfer_not_pending");
        assertProblem(postPending(c, key(), "hold-2", null), 409, "transfer_not_pending");
        assertProblem(voidPending(c, key(), "hold-2"), 409, "transfer_not_pending");
        // a posted (never pending) transfer is not pending either; an unknown one is not found
        assertProblem(voidPending(c, key(), lines(c, "wallet").get(0).get("transferId").asText()),
                409, "transfer_not_pending");
        assertProblem(postPending(c, key(), "no-such", null), 404, "transfer_not_found");
        assertProblem(voidPending(c, key(), "no-such"), 404, "transfer_not_found");

        assertUnchanged(c, before);
        assertThat(c.get("/v1/transfers/hold").json().get("status").asText()).isEqualTo("VOIDED");
        assertThat(c.get("/v1/transfers/hold-2").json().get("postedAmount").asText()).isEqualTo("10.00");
    }

    @Test
    void postingMoreThanThePendingAmountIsInvalidAndChangesNothing() {
        LedgerClient c = withHold("pend-over", null);
        c.awaitAccount("wallet", a -> a.get("available").asText().equals("70.00"));
        c.awaitAccount("shop", a -> a.get("creditsPending").asText().equals("30.00"));
        List<AccountState> before = snapshot(c, "wallet", "shop");

        detailMentions(assertProblem(postPending(c, key(), "hold", "30.01"), 422, "amount_invalid"), "30.00");
        assertProblem(postPending(c, key(), "hold", "0.00"), 422, "amount_invalid");
        assertProblem(postPending(c, key(), "hold", "-1.00"), 422, "amount_invalid");
        assertProblem(postPending(c, key(), "hold", "10.001"), 422, "amount_invalid");

        assertUnchanged(c, before);
        c.awaitTransfer("hold", t -> t.get("status").asText().equals("PENDING"));
        // still postable in full afterwards
        assertThat(postPending(c, key(), "hold", "30.00").status()).isEqualTo(200);
    }

    /** Expiry deadlines waiting in db-scheduler's table for this tenant's holds. */
    private int expiriesScheduled(LedgerClient c) {
        return dsl.fetchCount(dsl.selectFrom("scheduled_tasks")
                .where("position(convert_to(?, 'UTF8') in task_data) > 0", c.tenant()));
    }

    @Test
    void postingOrVoidingAHoldCancelsItsExpiryDeadline() throws InterruptedException {
        LedgerClient c = withHold("pend-cancel", 3600L);
        assertThat(pending(c, key(), "hold-2", "wallet", "shop", "10.00", "EUR", 3600L).status()).isEqualTo(201);
        assertThat(pending(c, key(), "hold-3", "wallet", "shop", "5.00", "EUR", 3600L).status()).isEqualTo(201);
        assertThat(expiriesScheduled(c)).isEqualTo(3);

        assertThat(postPending(c, key(), "hold", null).status()).isEqualTo(200);
        assertThat(voidPending(c, key(), "hold-2").status()).isEqualTo(200);

        // cancelled after the commit, on a thread of its own
        long until = System.nanoTime() + 10_000_000_000L;
        while (expiriesScheduled(c) > 1 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(expiriesScheduled(c)).isEqualTo(1);
    }

    @Test
    void anUnpostedTransferExpiresAfterItsTimeoutAndReleasesTheReservation() {
        Instant start = Instant.now();
        LedgerClient c = withHold("pend-expire", 1L);
        JsonNode pendingView = c.awaitTransfer("hold", t -> true).json();
        assertThat(Instant.parse(pendingView.get("expiresAt").asText())).isAfter(start);

        JsonNode expired = c.awaitExpiry("hold").json();
        assertThat(absent(expired, "postedAmount")).isTrue();
        JsonNode wallet = c.awaitAccount("wallet", a -> a.get("available").asText().equals("100.00")
                && a.get("debitsPending").asText().equals("0.00")).json();
        assertThat(wallet.get("balance").asText()).isEqualTo("100.00");
        c.awaitAccount("shop", a -> a.get("creditsPending").asText().equals("0.00")
                && a.get("balance").asText().equals("0.00"));
        List<JsonNode> walletLines = lines(c, "wallet");
        assertThat(walletLines.get(walletLines.size() - 1).get("type").asText()).isEqualTo("expired");
        List<AccountState> before = snapshot(c, "wallet", "shop");

        // an expired transfer can be neither posted nor voided
        Response post = postPending(c, key(), "hold", null);
        assertThat(post.code()).as(post.toString()).isIn("transfer_not_pending", "transfer_expired");
        assertProblem(post, 409, post.code());
        Response voided = voidPending(c, key(), "hold");
        assertThat(voided.code()).as(voided.toString()).isIn("transfer_not_pending", "transfer_expired");
        assertUnchanged(c, before);
    }

    @Test
    void aTimeoutNeedsAPendingTransferAndAValidRange() {
        LedgerClient c = newTenant("pend-timeout");
        openBook(c, "EUR", "wallet", "shop");
        fund(c, "wallet", "10.00", "EUR");
        List<AccountState> before = snapshot(c, "wallet", "shop");

        assertProblem(c.post("/v1/transfers", key(), json("id", "t-1", "debitAccount", "wallet", "creditAccount",
                "shop", "amount", "1.00", "currency", "EUR", "timeoutSeconds", 5)), 400, "validation_failed");
        assertProblem(pending(c, key(), "t-2", "wallet", "shop", "1.00", "EUR", 0L), 400, "validation_failed");
        assertProblem(pending(c, key(), "t-3", "wallet", "shop", "1.00", "EUR", -1L), 400, "validation_failed");
        assertProblem(pending(c, key(), "t-4", "wallet", "shop", "1.00", "EUR", Long.MAX_VALUE), 400,
                "validation_failed");

        assertUnchanged(c, before, "t-1", "t-2", "t-3", "t-4");
    }
}
