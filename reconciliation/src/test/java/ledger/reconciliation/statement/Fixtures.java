package ledger.reconciliation.statement;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The module's own fixture files (src/test/resources/statements) and inline texts. */
final class Fixtures {
    private Fixtures() {
    }

    static InputStream open(String name) {
        InputStream in = Fixtures.class.getResourceAsStream("/statements/" + name);
        if (in == null) {
            throw new IllegalStateException("no fixture " + name);
        }
        return in;
    }

    static byte[] bytes(String name) {
        try (InputStream in = open(name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InputStream text(String content) {
        return new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8));
    }
}
