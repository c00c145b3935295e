package ledger.domain.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The hand-written id check agrees with the documented pattern, on seeded random strings and edge cases. */
class NamesTest {
    private static final String ALPHABET = "aZ09._:@-/ é\u0000xY";

    @Test
    void isClientIdAgreesWithThePattern() {
        long seed = Long.getLong("seed", System.nanoTime());
        System.out.println("NamesTest seed " + seed + " (-Dseed=" + seed + " repeats it)");
        Random random = new Random(seed);
        for (int round = 0; round < 50_000; round++) {
            int length = random.nextInt(4) == 0 ? 120 + random.nextInt(12) : random.nextInt(8);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            String value = text.toString();
            assertEquals(Names.CLIENT_ID.matcher(value).matches(), Names.isClientId(value), "seed " + seed + ": " + value);
        }
        for (String edge : new String[] {"", "a", "-a", ".a", "a-", "a/b", "x".repeat(128), "x".repeat(129), "0@x:y_z.w"}) {
            assertEquals(Names.CLIENT_ID.matcher(edge).matches(), Names.isClientId(edge), edge);
        }
    }
}
