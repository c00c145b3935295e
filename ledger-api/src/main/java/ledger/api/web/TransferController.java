package ledger.api.web;

import static ledger.api.web.RequestFields.body;
import static ledger.api.web.RequestFields.required;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import ledger.api.idempotency.LedgerCommands;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.EntryRequest;
import ledger.api.web.dto.Dtos.LegRequest;
import ledger.api.web.dto.Dtos.PostPendingRequest;
import ledger.api.web.dto.Dtos.TransferRequest;
import ledger.api.web.dto.Dtos.TransferView;
import ledger.domain.command.TransferCommands;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.EntryLeg;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.command.TransferCommands.PostPendingTransfer;
import ledger.domain.command.TransferCommands.VoidPendingTransfer;
import ledger.domain.model.AccountId;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.model.Side;
import ledger.domain.model.TenantId;
import ledger.domain.model.TransferId;
import ledger.domain.money.Currencies;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.Money;
import ledger.projections.LedgerQueries;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "transfers")
@SecurityRequirement(name = "apiKey")
public class TransferController {
    private final LedgerCommands commands;
    private final LedgerQueries queries;
    private final Responses responses;
    private final Currencies currencies;

    public TransferController(LedgerCommands commands, LedgerQueries queries, Responses responses,
                              Currencies currencies) {
        this.commands = commands;
        this.queries = queries;
        this.responses = responses;
        this.currencies = currencies;
    }

    @PostMapping("/v1/transfers")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Post a transfer, or reserve it (pending: true) until posted, voided or expired")
    public ResponseEntity<String> create(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                         @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                         @RequestBody(required = false) TransferRequest request,
                                         HttpServletRequest http) {
        body(request);
        TransferId id = TransferId.of(required("id", request.id()));
        AccountId debit = AccountId.of(required("debitAccount", request.debitAccount()));
        AccountId credit = AccountId.of(required("creditAccount", request.creditAccount()));
        required("amount", request.amount());
        CurrencyCode currency = currencies.resolve(required("currency", request.currency()));
        Money amount = Money.parsePositive(request.amount(), currency);
        boolean pending = Boolean.TRUE.equals(request.pending());
        Duration timeout = TransferCommands.timeout(pending, request.timeoutSeconds());
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        return commands.send(caller, http, key, true, request, new CreateTransfer(TenantId.of(caller.tenant()), id,
                debit, credit, amount, pending, timeout, metadata));
    }

    @PostMapping("/v1/entries")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Post a multi-leg journal entry (2 to " + TransferCommands.LEGS_MAX
            + " legs, balanced per currency), all legs or none")
    public ResponseEntity<String> entry(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                        @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                        @RequestBody(required = false) EntryRequest request,
                                        HttpServletRequest http) {
        body(request);
        TransferId id = TransferId.of(required("id", request.id()));
        List<LegRequest> legs = required("legs", request.legs());
        if (legs.size() < 2 || legs.size() > TransferCommands.LEGS_MAX) {
            throw ApiProblem.validation("an entry has 2 to " + TransferCommands.LEGS_MAX + " legs");
        }
        List<AccountId> accounts = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            LegRequest leg = legs.get(i);
            if (leg == null) {
                throw ApiProblem.validation("legs[" + i + "] must be an object");
            }
            accounts.add(AccountId.of(required("legs[" + i + "].account", leg.account())));
            if ((leg.debit() == null) == (leg.credit() == null)) {
                throw ApiProblem.validation("legs[" + i + "] has exactly one of \"debit\" and \"credit\"");
            }
        }
        List<EntryLeg> entryLegs = new ArrayList<>();
        for (int i = 0; i < legs.size(); i++) {
            LegRequest leg = legs.get(i);
            Side side = leg.debit() != null ? Side.DEBIT : Side.CREDIT;
            entryLegs.add(new EntryLeg(accounts.get(i), side, side == Side.DEBIT ? leg.debit() : leg.credit()));
        }
        Map<String, String> metadata = request.metadata() == null ? Map.of() : request.metadata();
        return commands.send(caller, http, key, true, request,
                new PostEntry(TenantId.of(caller.tenant()), id, entryLegs, metadata));
    }

    @PostMapping("/v1/transfers/{id}/post")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Post a pending transfer, in full or (with amount) in part; the rest is released")
    public ResponseEntity<String> post(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                       @PathVariable("id") String id,
                                       @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                       @RequestBody(required = false) PostPendingRequest request,
                                       HttpServletRequest http) {
        PostPendingRequest body = request == null ? new PostPendingRequest(null) : request;
        return commands.send(caller, http, key, true, body,
                new PostPendingTransfer(TenantId.of(caller.tenant()), TransferId.of(id), body.amount()));
    }

    @PostMapping("/v1/transfers/{id}/void")
    @Allowed({Role.PAYMENTS, Role.ADMIN})
    @Operation(summary = "Void a pending transfer, releasing its reservation")
    public ResponseEntity<String> voidPending(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                              @PathVariable("id") String id,
                                              @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                              HttpServletRequest http) {
        return commands.send(caller, http, key, true, id,
                new VoidPendingTransfer(TenantId.of(caller.tenant()), TransferId.of(id)));
    }

    @GetMapping("/v1/transfers/{id}")
    @Allowed({Role.PAYMENTS, Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(summary = "A transfer or entry and its status")
    public TransferView get(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller, @PathVariable("id") String id) {
        return queries.transfer(caller.tenant(), TransferId.of(id).value()).map(responses::transfer)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.TRANSFER_NOT_FOUND,
                        "transfer " + id + " does not exist"));
    }
}
