package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.wire.cli.ManPage;
import chunk.wire.cli.Option;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The help and the man page cannot disagree: both are made from one table, and this checks it. */
class ServerManualTests {

    static final String HELP = CommandLine.usage();
    static final String PAGE = ManPage.of(ServerManual.manual(), "chunk test", "2026-12-01");

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
    void everyAccessLogOutcomeIsExplained() {
        for (AccessLog.Outcome outcome : AccessLog.Outcome.values()) {
            assertThat(PAGE).contains(".TP\n" + outcome.word() + "\n");
        }
    }

    @Test
    void mainWritesTheManPageAndBothCompletions(@TempDir Path share) throws Exception {
        ServerManual.main(new String[] {share.toString(), "2026-12-01"});

        assertThat(Files.readString(share.resolve("man/man1/myserver.1"))).startsWith(".\\\" myserver(1)")
                .contains(".TH MYSERVER 1 \"2026-12-01\" \"chunk " + Main.version() + "\"");
        assertThat(Files.readString(share.resolve("bash-completion/completions/myserver"))).contains("complete -F _chunk_myserver myserver");
        assertThat(Files.readString(share.resolve("zsh/vendor-completions/_myserver"))).startsWith("#compdef myserver\n");
    }

    /** An option's name as the man page writes it: bold, every hyphen a minus sign. */
    private static String roff(String name) {
        return "\\fB" + name.replace("-", "\\-") + "\\fR";
    }
}
