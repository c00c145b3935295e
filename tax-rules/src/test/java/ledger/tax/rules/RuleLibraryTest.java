package ledger.tax.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading packs from a directory or the class path, picking by date, reloading (docs/tax-rules.md, "Loading"). */
class RuleLibraryTest {

    @TempDir
    Path dir;

    private static String pack(String version, String from, String to, String rate) {
        return """
                pack "flat" version "%s";
                jurisdiction "XX";
                valid from %s%s;
                input base : money[EUR];
                output tax : money[EUR] = round(base * %s, half_even, 0.01);
                """.formatted(version, from, to == null ? "" : " to " + to, rate);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void picksThePackValidOnTheDateAndRecordsNameVersionAndHash() throws Exception {
        Path y2025 = write("flat-2025.rules", pack("2025", "2025-01-01", "2025-12-31", "10%"));
        write("flat-2026.rules", pack("2026", "2026-01-01", null, "12%"));
        write("notes.txt", "not a rule file");
        RuleLibrary library = RuleLibrary.fromDirectory(dir);

        assertThat(library.packs()).hasSize(2);
        RulePack p2025 = library.find("flat", LocalDate.of(2025, 12, 31));
        Evaluation e = p2025.evaluate(Map.of("base", Value.money("100.00", "EUR")));
        assertThat(e.amount("tax")).isEqualTo("10.00");
        assertThat(e.packId().version()).isEqualTo("2025");
        assertThat(e.packId().file()).isEqualTo("flat-2025.rules");
        assertThat(e.packId().sha256()).isEqualTo(sha256(y2025));
        assertThat(library.find("flat", LocalDate.of(2031, 1, 1)).id().version()).isEqualTo("2026");
        assertThatThrownBy(() -> library.find("flat", LocalDate.of(2024, 12, 31)))
                .hasMessage("no version of rule pack 'flat' is valid on 2024-12-31 (valid: [2025-01-01..2025-12-31, 2026-01-01..])");
        assertThatThrownBy(() -> library.find("other", LocalDate.of(2025, 1, 1)))
                .hasMessage("no rule pack named 'other' (packs: [flat])");
    }

    @Test
    void reloadSeesEditedFilesAndKeepsTheOldSetWhenAFileIsBroken() throws Exception {
        Path file = write("flat.rules", pack("1", "2025-01-01", null, "10%"));
        RuleLibrary library = RuleLibrary.fromDirectory(dir);
        String before = library.find("flat", LocalDate.of(2025, 6, 1)).id().sha256();

        write("flat.rules", pack("2", "2025-01-01", null, "20%"));
        library.reload();
        RulePack reloaded = library.find("flat", LocalDate.of(2025, 6, 1));
        assertThat(reloaded.id().version()).isEqualTo("2");
        assertThat(reloaded.id().sha256()).isNotEqualTo(before).isEqualTo(sha256(file));
        assertThat(reloaded.evaluate(Map.of("base", Value.money("100.00", "EUR"))).amount("tax")).isEqualTo("20.00");

        write("flat.rules", pack("3", "2025-01-01", null, "20% +"));
        assertThatThrownBy(library::reload).isInstanceOf(RuleLoadException.class)
                .hasMessageStartingWith("flat.rules:5:");
        assertThat(library.find("flat", LocalDate.of(2025, 6, 1)).id().version()).isEqualTo("2");
    }

    @Test
    void overlappingVersionsOfOnePackAreRefused() throws Exception {
        write("a.rules", pack("1", "2025-01-01", "2025-12-31", "10%"));
        write("b.rules", pack("2", "2025-07-01", null, "20%"));
        assertThatThrownBy(() -> RuleLibrary.fromDirectory(dir))
                .isInstanceOf(RuleLoadException.class)
                .hasMessage("b.rules:1:1: pack 'flat' valid from 2025-07-01 overlaps a.rules (valid 2025-01-01..2025-12-31)");
    }

    @Test
    void theClasspathShipsTheChinaJapanAndGermanyPacks() {
        RuleLibrary library = RuleLibrary.fromClasspath();
        assertThat(library.packs()).extracting(p -> p.id().name() + " " + p.id().version())
                .containsExactly("cn-iit-wages-cumulative 2019.1", "de-lohnsteuer 2025.1", "de-lohnsteuer 2026.2", "jp-withholding-monthly-kou R7",
                        "jp-withholding-monthly-kou R8");
        assertThat(library.packs()).allSatisfy(p -> {
            assertThat(p.id().sha256()).matches("[0-9a-f]{64}");
            assertThat(p.id().sources()).isNotEmpty();
        });
        assertThat(RulePacks.loadResource("tax/cn/cn-iit-wages-cumulative-2019.rules").id())
                .isEqualTo(library.find("cn-iit-wages-cumulative", LocalDate.of(2019, 1, 1)).id());
    }
}
