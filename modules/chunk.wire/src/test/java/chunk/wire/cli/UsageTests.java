package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsageTests {

    static final String HELP = Usage.help(SampleManual.MANUAL);

    @Test
    void theHelpStartsWithTheSynopsisAndTheAboutTextWrappedForATerminal() {
        assertThat(HELP).startsWith("""
                Usage: sample [options] <servers-file> <chunks> [file-name...]

                Downloads files from several servers at once, in <chunks> parallel byte ranges.

                """);
        assertThat(HELP.lines()).allMatch(line -> line.length() <= Usage.WIDTH);
    }

    @Test
    void listsTheArgumentsAndEveryOptionInTheHelpColumnButNotTheirDetails() {
        assertThat(HELP).contains("""
                      <servers-file>          'host port' lines
                      <chunks>                how many ranges to download in parallel
                      [file-name...]          the files to download
                  -o, --output <path>         save as this file; - for standard output
                      --spool <dir>           a folder [for] the: parts
                      --order <how>           fast or slow servers first
                                              (default: fast)
                """);
        for (Option option : SampleManual.OPTIONS) {
            assertThat(HELP).contains(option.name() + (option.takesValue() ? " " + option.valueName() : ""));
        }
        assertThat(HELP).doesNotContain("must be an existing folder");
    }

    @Test
    void endsWithTheGrammarAndTheExitCodesOneALine() {
        assertThat(HELP).endsWith("""

                Options may stand anywhere, also as --option=value; -- ends them.

                Exit codes:
                  0    every file is complete
                  2    usage error: a bad option or argument, said in one line that points at
                       --help and is long enough to wrap
                  130  stopped by Ctrl-C
                """);
    }

    @Test
    void aUsageErrorIsOneLineThatPointsAtTheHelp() {
        assertThat(Usage.errorLine("sample", "unknown option '--x'")).isEqualTo("sample: unknown option '--x'; see sample --help");
    }
}
