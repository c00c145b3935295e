package ledger.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoadGeneratorTest {

    @Test
    void readsDurationsInSecondsMinutesAndMilliseconds() {
        assertThat(LoadGenerator.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(LoadGenerator.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(LoadGenerator.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(LoadGenerator.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThatThrownBy(() -> LoadGenerator.parse("soon")).isInstanceOf(NumberFormatException.class);
    }

    @Test
    void refusesToRunWithoutAnOperatorKey() {
        int exit = new CommandLine(new LoadGenerator()).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .execute("--clients", "2");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void refusesAnOperatorKeyAndATenantKeyTogether() {
        int exit = new CommandLine(new LoadGenerator()).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .execute("--operator-key", "k1-0123456789abcdef", "--tenant-key", "k2-0123456789abcdef");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void refusesABatchOverRest() {
        int exit = new CommandLine(new LoadGenerator()).setErr(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .setOut(new java.io.PrintWriter(java.io.Writer.nullWriter()))
                .execute("--operator-key", "k1-0123456789abcdef", "--protocol", "rest", "--batch", "10");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void theSqlPeerNeedsAJdbcUrlAndNoApiKey() {
        java.io.PrintWriter nowhere = new java.io.PrintWriter(java.io.Writer.nullWriter());
        assertThat(new CommandLine(new LoadGenerator()).setErr(nowhere).setOut(nowhere)
                .execute("--protocol", "sql")).isEqualTo(2);
        assertThat(new CommandLine(new LoadGenerator()).setErr(nowhere).setOut(nowhere)
                .execute("--protocol", "sql", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/postgres",
                        "--operator-key", "k1-0123456789abcdef")).isEqualTo(2);
    }
}
