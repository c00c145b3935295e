package ledger.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import ledger.domain.event.TransferEvents.Leg;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

/**
 * Every event has a stable logical name and a revision; a name is never reused. Accounts have only
 * life-cycle events; money moves in the one event of each transfer change.
 */
class EventTypesTest {

    private static List<Class<?>> events() {
        return Stream.of(AccountEvents.class, TransferEvents.class)
                .flatMap(holder -> Arrays.stream(holder.getDeclaredClasses()))
                .filter(Class::isRecord)
                .filter(type -> type != Leg.class)
                .<Class<?>>map(type -> type)
                .toList();
    }

    @Test
    void everyEventDeclaresItsTypeAndRevision() {
        assertThat(events()).hasSize(12).allSatisfy(type -> {
            assertThat(type.getAnnotation(EventType.class)).as("@EventType of %s", type).isNotNull();
            assertThat(type.getAnnotation(Revision.class)).as("@Revision of %s", type).isNotNull();
            assertThat(type.getAnnotation(EventType.class).value()).matches("ledger\\.[A-Z][A-Za-z]+");
        });
    }

    @Test
    void theEventsAndTheirRevisions() {
        // PendingTransfer* are revision 2: they name both accounts and the amounts, so balances follow from them
        // alone; ReversalPosted and TransferReversed: a reversal and the original's record of it (docs/reversals.md)
        Map<String, String> revisions = events().stream().collect(Collectors.toMap(
                type -> type.getAnnotation(EventType.class).value(), type -> type.getAnnotation(Revision.class).value()));

        assertThat(revisions).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("ledger.AccountOpened", "1"),
                Map.entry("ledger.AccountFrozen", "1"),
                Map.entry("ledger.AccountUnfrozen", "1"),
                Map.entry("ledger.AccountClosed", "1"),
                Map.entry("ledger.AccountUpdated", "1"),
                Map.entry("ledger.TransferPosted", "1"),
                Map.entry("ledger.TransferPending", "1"),
                Map.entry("ledger.PendingTransferPosted", "2"),
                Map.entry("ledger.PendingTransferVoided", "2"),
                Map.entry("ledger.PendingTransferExpired", "2"),
                Map.entry("ledger.ReversalPosted", "1"),
                Map.entry("ledger.TransferReversed", "1")));
    }

    @Test
    void everyEventThatEndsAReservationNamesBothAccountsAndWhatWasReserved() {
        for (Class<?> type : List.of(TransferEvents.PendingTransferPosted.class,
                TransferEvents.PendingTransferVoided.class, TransferEvents.PendingTransferExpired.class)) {
            assertThat(Arrays.stream(type.getRecordComponents()).map(c -> c.getName()))
                    .as("fields of %s", type.getSimpleName())
                    .contains("debitAccount", "creditAccount", "reserved", "currency");
        }
    }

    @Test
    void eventTypeNamesAreUnique() {
        List<String> names = events().stream().map(type -> type.getAnnotation(EventType.class).value()).toList();

        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void everyEventNamesItsTenant() {
        assertThat(events()).allSatisfy(type -> assertThat(Arrays.stream(type.getRecordComponents())
                .map(c -> c.getName())).contains("tenant"));
    }
}
