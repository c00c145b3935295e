package ledger.api.app;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import ledger.api.app.Views.BalanceAsOfView;
import ledger.api.app.Views.StatementLine;
import ledger.api.app.Views.StatementPage;
import ledger.domain.model.AccountId;
import ledger.domain.book.AccountState;
import ledger.domain.model.AccountKind;
import ledger.domain.model.LedgerRejection;
import ledger.domain.model.RejectionCode;
import ledger.domain.money.Money;
import ledger.projections.LedgerQueries;
import ledger.projections.LedgerQueries.AccountRow;
import ledger.projections.LedgerQueries.EntryRow;

/** Account reads shared by REST and gRPC: one account, its balance as of an instant, its statement. */
public final class AccountReads {
    public static final int STATEMENT_LIMIT_DEFAULT = 100;

    private final LedgerQueries queries;

    public AccountReads(LedgerQueries queries) {
        this.queries = queries;
    }

    public AccountRow find(String tenant, String id) {
        AccountId accountId = AccountId.of(id);
        return queries.account(tenant, accountId.value()).orElseThrow(() ->
                new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND, "account " + id + " does not exist"));
    }

    /** The currency account {@code id} holds; refused {@code account_not_found} if it does not exist. */
    public String currency(String tenant, String id) {
        AccountId accountId = AccountId.of(id);
        return queries.currencyOf(tenant, accountId.value()).orElseThrow(() ->
                new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND, "account " + id + " does not exist"));
    }

    /** The posted balance at {@code asOf} (RFC 3339, named {@code parameter} in refusals). */
    public BalanceAsOfView balanceAsOf(String tenant, AccountRow account, String asOf, String parameter) {
        OffsetDateTime instant;
        try {
            instant = OffsetDateTime.parse(asOf);
        } catch (DateTimeParseException e) {
            throw Refusal.validation(parameter + " must be an RFC 3339 timestamp such as 2026-01-31T23:59:59Z");
        }
        LedgerQueries.PostedTotals totals = queries.postedAsOf(tenant, account.accountId(), instant)
                .orElseThrow(() -> new LedgerRejection(RejectionCode.ACCOUNT_NOT_FOUND,
                        "account " + account.accountId() + " did not exist at " + asOf));
        long balance = AccountState.balance(kindOf(account), totals.debitsPosted(), totals.creditsPosted());
        return new BalanceAsOfView(account.accountId(), account.currency(), Results.ts(instant),
                Money.format(totals.debitsPosted(), account.scale()),
                Money.format(totals.creditsPosted(), account.scale()), Money.format(balance, account.scale()));
    }

    /** A statement page; {@code limit} null = the default, {@code cursor} null or empty = the first page. */
    public StatementPage statement(String tenant, String id, Integer limit, String cursor) {
        int pageSize = limit == null ? STATEMENT_LIMIT_DEFAULT : limit;
        if (pageSize < 1 || pageSize > LedgerQueries.PAGE_SIZE_MAX) {
            throw Refusal.validation("limit must be between 1 and " + LedgerQueries.PAGE_SIZE_MAX);
        }
        long after = parseCursor(cursor);
        AccountRow account = find(tenant, id);
        AccountKind kind = kindOf(account);
        List<EntryRow> rows = queries.statement(tenant, account.accountId(), after, pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<StatementLine> lines = rows.stream().limit(pageSize).map(r -> {
            long balance = AccountState.balance(kind, r.debitsPosted(), r.creditsPosted());
            long available = AccountState.available(kind, r.debitsPosted(), r.creditsPosted(), r.debitsPending(),
                    r.creditsPending());
            return new StatementLine(r.seq(), r.transferId(), r.entryType(), r.side(),
                    Money.format(r.amount(), account.scale()), Money.format(r.debitsPosted(), account.scale()),
                    Money.format(r.creditsPosted(), account.scale()), Money.format(balance, account.scale()),
                    Money.format(available, account.scale()), Results.ts(r.occurredAt()));
        }).toList();
        String next = more ? Long.toString(lines.get(lines.size() - 1).seq()) : null;
        return new StatementPage(account.accountId(), account.currency(), lines, next);
    }

    private static AccountKind kindOf(AccountRow account) {
        return AccountKind.valueOf(account.kind());
    }

    private static long parseCursor(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return -1;
        }
        try {
            long seq = Long.parseLong(cursor);
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw Refusal.validation("cursor is not one this API returned");
        }
    }
}
