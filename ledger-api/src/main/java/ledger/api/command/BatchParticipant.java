package ledger.api.command;

import java.util.List;
import ledger.domain.command.TransferCommands.PostsToAccounts;
import org.axonframework.messaging.unitofwork.UnitOfWork;

/**
 * Takes part in every group-commit batch, to do once per batch what would otherwise cost a database
 * round trip per command. A handler interceptor implementing it joins when it is registered on the
 * {@link GroupCommitCommandBus}.
 */
public interface BatchParticipant {

    /** In the batch's unit of work and transaction, before any of its commands runs. */
    default void beforeCommands(UnitOfWork<?> batch, List<PostsToAccounts> commands) {
    }

    /**
     * In the batch's transaction, after every command ran and before it commits. Throwing gives
     * up the batch: it rolls back and its commands run again one by one.
     */
    default void afterCommands(UnitOfWork<?> batch) {
    }
}
