package ledger.api.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import ledger.api.security.Allowed;
import ledger.api.security.Caller;
import ledger.api.security.Role;
import ledger.api.web.dto.Dtos.TrialBalance;
import ledger.api.web.dto.Dtos.TrialBalanceLine;
import ledger.api.web.dto.Dtos.TrialBalanceTotal;
import ledger.domain.money.Currencies;
import ledger.domain.money.Money;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.projections.LedgerQueries.CurrencyTotals;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "reports")
@SecurityRequirement(name = "apiKey")
public class ReportController {
    private final LedgerQueries queries;
    private final Currencies currencies;

    public ReportController(LedgerQueries queries, Currencies currencies) {
        this.queries = queries;
        this.currencies = currencies;
    }

    @GetMapping("/v1/reports/trial-balance")
    @Allowed({Role.FINANCE, Role.AUDITOR, Role.ADMIN})
    @Operation(operationId = "getTrialBalance", summary = "Every account's posted debits and credits, and per-currency totals (which are equal)")
    @ApiResponse(responseCode = "200", description = "The trial balance",
            content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(implementation = TrialBalance.class)))
    @Refuses({"unknown_currency"})
    public TrialBalance trialBalance(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                     @RequestParam(name = "currency", required = false) String currency) {
        if (currency != null) {
            currencies.resolve(currency);
        }
        int max = LedgerQueries.TRIAL_BALANCE_ACCOUNTS_MAX;
        List<AccountRow> rows = queries.accounts(caller.tenant(), currency, max + 1);
        List<TrialBalanceLine> lines = rows.stream().limit(max).map(a -> new TrialBalanceLine(a.accountId(),
                a.currency(), a.kind(), Money.format(a.debitsPosted(), a.scale()),
                Money.format(a.creditsPosted(), a.scale()))).toList();
        Map<String, Integer> scales = rows.stream()
                .collect(Collectors.toMap(AccountRow::currency, AccountRow::scale, (a, b) -> a));
        List<TrialBalanceTotal> totals = queries.totals(caller.tenant(), currency).stream()
                .map(t -> total(t, scales.getOrDefault(t.currency(), currencies.resolve(t.currency()).scale())))
                .toList();
        return new TrialBalance(lines, totals, rows.size() > max);
    }

    private static TrialBalanceTotal total(CurrencyTotals t, int scale) {
        return new TrialBalanceTotal(t.currency(), Money.format(t.debitsPosted(), scale),
                Money.format(t.creditsPosted(), scale), t.accounts(), t.debitsPosted() == t.creditsPosted());
    }
}
