package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManPageTests {

    static final String PAGE = ManPage.of(SampleManual.MANUAL, "chunk 1.2.3", "2026-12-01");

    @TempDir
    Path folder;

    /** The page as man shows it on a terminal of 80 columns, with warnings on, as lintian checks pages. */
    Programs.Result man() throws Exception {
        return man(List.of("--warnings"), "80");
    }

    /** The page's text, neither hyphenated nor justified, each paragraph on one line (to compare with). */
    String text() throws Exception {
        return man(List.of("--no-hyphenation", "--no-justification"), "1000").out();
    }

    Programs.Result man(List<String> options, String width) throws Exception {
        assumeThat(Programs.installed("man")).as("man is not installed (Debian package man-db)").isTrue();
        Path page = Files.writeString(folder.resolve("sample.1"), PAGE);
        List<String> command = new ArrayList<>(List.of("man"));
        command.addAll(options);
        command.addAll(List.of("-E", "UTF-8", "-l", page.toString()));
        return Programs.run(command, Map.of("MANWIDTH", width, "LC_ALL", "C.UTF-8"), folder);
    }

    @Nested
    class AsManShowsIt {

        @Test
        void rendersWithoutAWarning() throws Exception {
            Programs.Result shown = man();

            assertThat(shown.err()).isEmpty();
            assertThat(shown.exitCode()).isZero();
            assertThat(shown.out()).contains("NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "EXIT STATUS", "FILES",
                    "ENVIRONMENT", "EXAMPLES", "SEE ALSO");
        }

        @Test
        void showsEveryOptionWithItsValueHelpAndDetails() throws Exception {
            String shown = text();

            assertThat(shown).contains("-o, --output path", "save as this file; - for standard output",
                    "A name ending in / must be an existing folder.", "An existing file is kept unless --force.",
                    "--order how", "fast or slow servers first (default: fast)", "-h, --help", "-V, --version");
            for (Option option : SampleManual.OPTIONS) {
                assertThat(shown).contains(option.name());
            }
        }

        @Test
        void showsTextThatRoffTreatsSpeciallyAsItWasWritten() throws Exception {
            String shown = text();

            assertThat(shown).contains(".part files start with a dot here")
                    .contains("A backslash \\ stays one, -o - stays a minus, kept-open stays a hyphen, and 5 µs … stays Unicode.")
                    .contains("sample: data.bin: 412 MiB of 1.00 GiB kept in data.bin.part", ".not a request either")
                    .contains("'busy");
        }

        @Test
        void showsExitCodesFilesEnvironmentExamplesAndReferences() throws Exception {
            String shown = text();

            assertThat(shown).contains("130", "stopped by Ctrl-C", "name.part", "JAVA_OPTS", "sample servers.txt 8 big.iso",
                    "myserver(1), docs/PROTOCOL.md", "file-name...");
            // An example's lines stay lines, indented as they were written.
            assertThat(shown).containsPattern("\n( +)echo big.iso \\|\n\\1  sample -o - servers.txt 8 > copy.iso\n");
        }
    }

    @Nested
    class Source {

        @Test
        void marksTheTablesOptionsBoldAndMinusSignsAsMinus() {
            assertThat(PAGE).contains("\\fB\\-o\\fR, \\fB\\-\\-output\\fR \\fIpath\\fR")
                    .contains("kept unless \\fB\\-\\-force\\fR.")
                    .contains("kept-open")
                    // Every hyphen of an option's name is a minus, where no line may break.
                    .contains("\\fB\\-\\-no\\-fsync\\fR")
                    .doesNotContain("no-fsync");
        }

        @Test
        void guardsLinesThatWouldBeRequests() {
            assertThat(PAGE).contains("\n\\&.part files start", "\n\\&.not a request either", "\n\\&'busy");
        }

        @Test
        void escapesBackslashesAndWhatIsNotAscii() {
            assertThat(ManPage.escape("a\\b µ …")).isEqualTo("a\\eb \\[u00B5] \\[u2026]");
            assertThat(ManPage.escape("-o - x-y 5-6 --a")).isEqualTo("\\-o \\- x-y 5-6 \\-\\-a");
        }

        @Test
        void namesTheVersionAndDateInItsTitle() {
            assertThat(PAGE).contains(".TH SAMPLE 1 \"2026-12-01\" \"chunk 1.2.3\" \"User Commands\"");
        }
    }
}
