package ledger.api.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import ledger.audit.Ts6;
import ledger.domain.command.AccountCommands.CloseAccount;
import ledger.domain.command.AccountCommands.FreezeAccount;
import ledger.domain.command.AccountCommands.OpenAccount;
import ledger.domain.command.AccountCommands.UnfreezeAccount;
import ledger.domain.command.TransferCommands.CreateTransfer;
import ledger.domain.command.TransferCommands.PostEntry;
import ledger.domain.event.TransferEvents.Leg;
import ledger.domain.book.AccountState;
import ledger.domain.model.AccountKind;
import ledger.domain.model.AccountStatus;
import ledger.domain.money.Money;
import ledger.domain.money.OverdraftLimit;
import ledger.domain.transfer.TransferSnapshot;
import ledger.api.web.dto.Dtos.AccountStatusView;
import ledger.api.web.dto.Dtos.AccountView;
import ledger.api.web.dto.Dtos.LegView;
import ledger.api.web.dto.Dtos.TransferView;
import ledger.projections.LedgerQueries.AccountRow;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * The one rendering of every command's answer: the first answer and every idempotent replay are
 * the same bytes, and a read of the same thing renders the same way.
 */
@Component
public class Responses {
    private final ObjectMapper json;

    public Responses(ObjectMapper json) {
        this.json = json;
    }

    public record Rendered(HttpStatus status, String body) {
    }

    /** The answer to a command that succeeded with {@code result}. */
    public Rendered render(Object command, Object result) {
        if (result instanceof TransferSnapshot snapshot) {
            boolean created = command instanceof CreateTransfer || command instanceof PostEntry;
            return new Rendered(created ? HttpStatus.CREATED : HttpStatus.OK, write(transfer(snapshot)));
        }
        if (command instanceof OpenAccount open) {
            return new Rendered(HttpStatus.CREATED, write(opened(open)));
        }
        if (command instanceof FreezeAccount freeze) {
            return new Rendered(HttpStatus.OK, write(new AccountStatusView(freeze.accountId().value(), "FROZEN")));
        }
        if (command instanceof UnfreezeAccount unfreeze) {
            return new Rendered(HttpStatus.OK, write(new AccountStatusView(unfreeze.accountId().value(), "OPEN")));
        }
        if (command instanceof CloseAccount close) {
            return new Rendered(HttpStatus.OK, write(new AccountStatusView(close.accountId().value(), "CLOSED")));
        }
        throw new IllegalStateException("no rendering for " + command.getClass().getName());
    }

    public TransferView transfer(TransferSnapshot s) {
        return new TransferView(s.transferId(), s.kind(), s.status().name(), legs(s.legs()), s.postedAmount(),
                s.expiresAt(), s.metadata(), s.createdAt());
    }

    public AccountView account(AccountRow a) {
        int scale = a.scale();
        AccountKind kind = AccountKind.valueOf(a.kind());
        long balance = AccountState.balance(kind, a.debitsPosted(), a.creditsPosted());
        long available = AccountState.available(kind, a.debitsPosted(), a.creditsPosted(), a.debitsPending(),
                a.creditsPending());
        return new AccountView(a.accountId(), a.currency(), a.kind(), a.status(), overdraftText(a.overdraftLimit()),
                Money.format(a.debitsPosted(), scale), Money.format(a.creditsPosted(), scale),
                Money.format(a.debitsPending(), scale), Money.format(a.creditsPending(), scale),
                Money.format(balance, scale), Money.format(available, scale), ts(a.openedAt()), ts(a.updatedAt()));
    }

    private AccountView opened(OpenAccount open) {
        String zero = Money.format(0, open.currency().scale());
        return new AccountView(open.accountId().value(), open.currency().code(), open.kind().name(),
                AccountStatus.OPEN.name(), overdraftText(open.overdraftLimit().toWire(open.currency())), zero, zero,
                zero, zero, zero, zero, null, null);
    }

    /** "0.00" (no overdraft) renders as null: the field is absent when there is no overdraft. */
    private static String overdraftText(String stored) {
        if (OverdraftLimit.UNLIMITED.equals(stored)) {
            return stored;
        }
        return Money.minorOf(stored) == 0 ? null : stored;
    }

    public static String ts(OffsetDateTime time) {
        return Ts6.format(time.toInstant());
    }

    private static List<LegView> legs(List<Leg> legs) {
        return legs.stream().map(l -> new LegView(l.accountId(), l.side(), l.amount(), l.currency())).toList();
    }

    public String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}
