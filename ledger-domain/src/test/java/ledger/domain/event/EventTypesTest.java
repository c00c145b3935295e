package ledger.domain.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import ledger.domain.event.TransferEvents.Leg;
import org.axonframework.serialization.Revision;
import org.junit.jupiter.api.Test;

/** Every event has a stable logical name and a revision; a name is never reused. */
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
        assertThat(events()).hasSize(13).allSatisfy(type -> {
            assertThat(type.getAnnotation(EventType.class)).as("@EventType of %s", type).isNotNull();
            assertThat(type.getAnnotation(Revision.class)).as("@Revision of %s", type).isNotNull();
            assertThat(type.getAnnotation(EventType.class).value()).matches("ledger\\.[A-Z][A-Za-z]+");
        });
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
