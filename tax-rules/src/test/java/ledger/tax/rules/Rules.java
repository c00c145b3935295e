package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

/** Small rule files for tests: a standard header plus the body given. */
final class Rules {

    static final String HEADER = """
            pack "test" version "1";
            jurisdiction "XX";
            valid from 2025-01-01;
            """;

    /** Lines in {@link #HEADER}; a body's first line is line HEADER_LINES + 1. */
    static final int HEADER_LINES = 3;

    private Rules() {
    }

    static RulePack pack(String body) {
        return RulePacks.parse("test.rules", (HEADER + body).getBytes(StandardCharsets.UTF_8));
    }

    static RulePack pack(String body, RuleLimits limits) {
        return RulePacks.parse("test.rules", (HEADER + body).getBytes(StandardCharsets.UTF_8), limits);
    }

    static Diagnostic loadError(String body) {
        RuleLoadException[] caught = new RuleLoadException[1];
        assertThatThrownBy(() -> pack(body)).isInstanceOfSatisfying(RuleLoadException.class, e -> caught[0] = e);
        return caught[0].first();
    }
}
