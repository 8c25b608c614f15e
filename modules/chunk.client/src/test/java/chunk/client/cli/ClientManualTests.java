package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.wire.cli.ManPage;
import chunk.wire.cli.Option;
import chunk.wire.cli.Versions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The help and the man page cannot disagree: both are made from one table, and this checks it. */
class ClientManualTests {

    static final String HELP = CommandLine.help();
    static final String PAGE = ManPage.of(ClientManual.manual(), "chunk test", "2026-12-01");

    @Test
    void everyOptionOfTheTableIsInTheHelpAndTheManPage() {
        assertThat(CommandLine.OPTIONS).hasSizeGreaterThan(10);
        for (Option option : CommandLine.OPTIONS) {
            assertThat(HELP).contains("  " + (option.shortName() == null ? "    " : option.shortName() + ", ") + option.name());
            assertThat(PAGE).contains(".TP\n" + (option.shortName() == null ? "" : roff(option.shortName()) + ", ")
                    + roff(option.name()));
        }
    }

    @Test
    void everyExitCodeIsInTheHelpAndTheManPage() {
        for (ExitCode code : ExitCode.values()) {
            assertThat(HELP.replaceAll("\\s+", " ")).contains(" " + code.code() + " " + code.meaning());
            assertThat(PAGE).contains(".TP\n.B " + code.code() + "\n");
        }
    }

    @Test
    void everyArgumentIsInTheHelpAndTheManPage() {
        assertThat(HELP).contains("      <servers-file>", "      <chunks>", "      [file-name...]");
        assertThat(PAGE).contains(".TP\n\\fIservers-file\\fR\n", ".TP\n\\fIchunks\\fR\n", ".TP\n\\fIfile-name\\fR.\\|.\\|.\n");
    }

    @Test
    void mainWritesTheManPageAndBothCompletions(@TempDir Path share) throws Exception {
        ClientManual.main(new String[] {share.toString(), "2026-12-01"});

        assertThat(Files.readString(share.resolve("man/man1/myclient.1"))).startsWith(".\\\" myclient(1)")
                .contains(".TH MYCLIENT 1 \"2026-12-01\" \"chunk " + Versions.of(Main.class) + "\"");
        assertThat(Files.readString(share.resolve("bash-completion/completions/myclient"))).contains("complete -F _chunk_myclient myclient");
        assertThat(Files.readString(share.resolve("zsh/vendor-completions/_myclient"))).startsWith("#compdef myclient\n");
    }

    /** An option's name as the man page writes it: bold, every hyphen a minus sign. */
    private static String roff(String name) {
        return "\\fB" + name.replace("-", "\\-") + "\\fR";
    }
}
