package ledger.projections;

import static ledger.projections.LedgerTables.AccountLine;
import static ledger.projections.LedgerTables.LedgerAccount;

import ledger.audit.Ts6;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import ledger.domain.book.AccountState;
import ledger.domain.book.BookEntry;
import ledger.domain.book.ScopedBook;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.money.CurrencyCode;
import ledger.domain.money.OverdraftLimit;
import org.jooq.DSLContext;
import org.jooq.Record;

/**
 * The book's storage: an account's static facts in {@code ledger_account} and every state it has had
 * in {@code account_line} (its last line is its current state; the line's seq is the state's
 * version). Written in the transaction of the command that changed the account, so a read after an
 * acknowledged write sees it. Each table gets one statement per write, whatever the number of
 * rows: the values travel as arrays ({@code unnest}), so the statement's text never changes and
 * PostgreSQL plans it once per connection.
 */
public class BookStore implements ScopedBook.Store {
    private static final String INSERT_ACCOUNTS = """
            INSERT INTO ledger_account (tenant, account_id, currency, scale, kind, overdraft_limit, opened_at,
                                        metadata)
            SELECT u.tenant, u.account_id, u.currency, u.scale, u.kind, u.overdraft_limit, u.opened_at,
                   u.metadata::jsonb
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::smallint[], ?::varchar[], ?::varchar[],
                        ?::timestamptz[], ?::text[])
                 AS u(tenant, account_id, currency, scale, kind, overdraft_limit, opened_at, metadata)""";
    private static final String UPDATE_ACCOUNTS = """
            UPDATE ledger_account a SET overdraft_limit = u.overdraft_limit,
                                        metadata = coalesce(u.metadata::jsonb, a.metadata)
            FROM unnest(?::varchar[], ?::varchar[], ?::varchar[], ?::text[])
                 AS u(tenant, account_id, overdraft_limit, metadata)
            WHERE a.tenant = u.tenant AND a.account_id = u.account_id""";
    private static final String INSERT_LINES = """
            INSERT INTO account_line (tenant, account_id, seq, type, transfer_id, side, amount, debits_posted,
                                      credits_posted, debits_pending, credits_pending, status, occurred_at)
            SELECT * FROM unnest(?::varchar[], ?::varchar[], ?::bigint[], ?::varchar[], ?::varchar[], ?::varchar[],
                                 ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[], ?::varchar[],
                                 ?::timestamptz[])""";

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = ledger.domain.seal.LedgerJson.mapper();

    private final DSLContext dsl;
    private final TransactionWrites writes;

    public BookStore(DSLContext dsl, TransactionWrites writes) {
        this.dsl = dsl;
        this.writes = writes;
    }

    @Override
    public Map<ScopedBook.Key, AccountState> load(Collection<ScopedBook.Key> keys) {
        Map<String, List<String>> byTenant = new LinkedHashMap<>();
        keys.forEach(k -> byTenant.computeIfAbsent(k.tenant(), t -> new ArrayList<>()).add(k.accountId()));
        Map<ScopedBook.Key, AccountState> states = new HashMap<>(keys.size() * 2);
        byTenant.forEach((tenant, ids) -> LedgerQueries.current(dsl, tenant, ids).forEach(r -> {
            AccountState state = state(tenant, r);
            states.put(new ScopedBook.Key(tenant, state.accountId()), state);
        }));
        return states;
    }

    private static AccountState state(String tenant, Record r) {
        CurrencyCode currency = new CurrencyCode(r.get(LedgerAccount.CURRENCY), r.get(LedgerAccount.SCALE));
        return new AccountState(tenant, r.get(LedgerAccount.ACCOUNT_ID), currency,
                AccountKind.valueOf(r.get(LedgerAccount.KIND)), OverdraftLimit.fromWire(r.get(LedgerAccount.OVERDRAFT_LIMIT)),
                AccountStatus.valueOf(r.get(AccountLine.STATUS)), r.get(AccountLine.DEBITS_POSTED),
                r.get(AccountLine.CREDITS_POSTED), r.get(AccountLine.DEBITS_PENDING), r.get(AccountLine.CREDITS_PENDING),
                r.get(AccountLine.SEQ));
    }

    @Override
    public void write(List<BookEntry> entries) {
        if (entries.isEmpty() || writes.stageLines(entries)) {
            return; // staged: written with the transaction's other writes in one statement
        }
        Jdbc.Array[] accounts = accountArrays(entries);
        if (accounts[0].values().length > 0) {
            Jdbc.update(dsl, INSERT_ACCOUNTS, accounts);
        }
        Jdbc.Array[] updates = updateArrays(entries);
        if (updates[0].values().length > 0) {
            Jdbc.update(dsl, UPDATE_ACCOUNTS, updates);
        }
        int written = Jdbc.update(dsl, INSERT_LINES, lineArrays(entries));
        if (written != entries.size()) {
            throw new IllegalStateException("wrote " + written + " of " + entries.size() + " account lines");
        }
    }

    /**
     * The {@code ledger_account} rows of the accounts the entries open, as 8 arrays. An account opened
     * and updated among the same entries (one group commit) is inserted as the last of them leaves it:
     * the update of the same statement does not see the inserted row.
     */
    static Jdbc.Array[] accountArrays(List<BookEntry> entries) {
        List<BookEntry> opened = entries.stream().filter(e -> BookEntry.OPENED.equals(e.type())).toList();
        int n = opened.size();
        String[] tenant = new String[n];
        String[] id = new String[n];
        String[] currency = new String[n];
        Short[] scale = new Short[n];
        String[] kind = new String[n];
        String[] limit = new String[n];
        String[] at = new String[n];
        String[] metadata = new String[n];
        Map<String, BookEntry> last = lastPerAccount(entries);
        Map<String, Map<String, String>> lastMetadata = lastMetadataPerAccount(entries);
        for (int i = 0; i < n; i++) {
            AccountState s = opened.get(i).after();
            String account = s.tenant() + "\n" + s.accountId();
            AccountState now = last.get(account).after();
            tenant[i] = s.tenant();
            id[i] = s.accountId();
            currency[i] = s.currency().code();
            scale[i] = (short) s.currency().scale();
            kind[i] = s.kind().name();
            limit[i] = now.overdraftLimit().toWire(s.currency());
            at[i] = Ts6.format(opened.get(i).occurredAt());
            metadata[i] = json(lastMetadata.getOrDefault(account, Map.of()));
        }
        return new Jdbc.Array[] {text(tenant), text(id), text(currency), new Jdbc.Array("int2", scale), text(kind),
                text(limit), text(at), new Jdbc.Array("text", metadata)};
    }

    /**
     * The {@code ledger_account} changes of the entries' {@code updated} lines, as 4 arrays (tenant, id,
     * overdraft limit, metadata JSON or null: unchanged): the last state of each account updated.
     */
    static Jdbc.Array[] updateArrays(List<BookEntry> entries) {
        Map<String, BookEntry> last = lastPerAccount(entries);
        Map<String, Map<String, String>> lastMetadata = lastMetadataPerAccount(entries);
        List<String> updated = entries.stream().filter(e -> BookEntry.UPDATED.equals(e.type()))
                .map(e -> e.after().tenant() + "\n" + e.after().accountId()).distinct().toList();
        int n = updated.size();
        String[] tenant = new String[n];
        String[] id = new String[n];
        String[] limit = new String[n];
        String[] metadata = new String[n];
        for (int i = 0; i < n; i++) {
            AccountState s = last.get(updated.get(i)).after();
            tenant[i] = s.tenant();
            id[i] = s.accountId();
            limit[i] = s.overdraftLimit().toWire(s.currency());
            Map<String, String> meta = lastMetadata.get(updated.get(i));
            metadata[i] = meta == null ? null : json(meta);
        }
        return new Jdbc.Array[] {text(tenant), text(id), text(limit), new Jdbc.Array("text", metadata)};
    }

    private static Map<String, BookEntry> lastPerAccount(List<BookEntry> entries) {
        Map<String, BookEntry> last = new HashMap<>();
        entries.forEach(e -> last.put(e.after().tenant() + "\n" + e.after().accountId(), e));
        return last;
    }

    private static Map<String, Map<String, String>> lastMetadataPerAccount(List<BookEntry> entries) {
        Map<String, Map<String, String>> last = new HashMap<>();
        entries.stream().filter(e -> e.metadata() != null)
                .forEach(e -> last.put(e.after().tenant() + "\n" + e.after().accountId(), e.metadata()));
        return last;
    }

    private static String json(Map<String, String> metadata) {
        try {
            return JSON.writeValueAsString(new java.util.TreeMap<>(metadata));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code account_line} rows of the entries, as 13 arrays. */
    static Jdbc.Array[] lineArrays(List<BookEntry> entries) {
        int n = entries.size();
        String[] tenant = new String[n];
        String[] id = new String[n];
        Long[] seq = new Long[n];
        String[] type = new String[n];
        String[] transfer = new String[n];
        String[] side = new String[n];
        Long[] amount = new Long[n];
        Long[] debitsPosted = new Long[n];
        Long[] creditsPosted = new Long[n];
        Long[] debitsPending = new Long[n];
        Long[] creditsPending = new Long[n];
        String[] status = new String[n];
        String[] at = new String[n];
        for (int i = 0; i < n; i++) {
            BookEntry e = entries.get(i);
            AccountState s = e.after();
            tenant[i] = s.tenant();
            id[i] = s.accountId();
            seq[i] = s.version();
            type[i] = e.type();
            transfer[i] = e.transferId();
            side[i] = e.side() == null ? null : e.side().wire();
            amount[i] = e.amount();
            debitsPosted[i] = s.debitsPosted();
            creditsPosted[i] = s.creditsPosted();
            debitsPending[i] = s.debitsPending();
            creditsPending[i] = s.creditsPending();
            status[i] = s.status().name();
            at[i] = Ts6.format(e.occurredAt());
        }
        return new Jdbc.Array[] {text(tenant), text(id), int8(seq), text(type), text(transfer), text(side),
                int8(amount), int8(debitsPosted), int8(creditsPosted), int8(debitsPending), int8(creditsPending),
                text(status), text(at)};
    }

    private static Jdbc.Array text(Object[] values) {
        return new Jdbc.Array("varchar", values);
    }

    private static Jdbc.Array int8(Long[] values) {
        return new Jdbc.Array("int8", values);
    }
}
