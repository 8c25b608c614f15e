package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTests {

    static final Option OUTPUT = Option.valued("--output", "-o", "<path>", "where");
    static final Option FORCE = Option.flag("--force", "replace");
    static final Option QUIET = Option.quiet("quiet");
    static final Option VERBOSE = Option.verbose("verbose");
    static final List<Option> TABLE = List.of(OUTPUT, FORCE, QUIET, VERBOSE, Option.HELP, Option.VERSION);

    static Tokenizer.Arguments tokenize(String... args) throws UsageException {
        return Tokenizer.tokenize(TABLE, List.of(args));
    }

    @Nested
    class Options {

        @Test
        void standAnywhereInEitherSpelling() throws Exception {
            var arguments = tokenize("a", "--output=x", "b", "--force", "-q");

            assertThat(arguments.positional()).containsExactly("a", "b");
            assertThat(arguments.value(OUTPUT)).contains("x");
            assertThat(arguments.has(FORCE)).isTrue();
            assertThat(arguments.verbosity()).isEqualTo(Verbosity.QUIET);
            assertThat(arguments.has(VERBOSE)).isFalse();
        }

        @Test
        void takeTheNextArgumentAsTheirValueWhateverItIs() throws Exception {
            assertThat(tokenize("-o", "-").value(OUTPUT)).contains("-");
            assertThat(tokenize("--output", "--force").value(OUTPUT)).contains("--force");
            assertThat(tokenize("--output=").value(OUTPUT)).contains("");
        }

        @Test
        void mayBeGivenOnlyOnce() {
            assertThatThrownBy(() -> tokenize("-o", "a", "--output", "b")).isInstanceOf(UsageException.class)
                    .hasMessage("--output given twice; give it once");
            assertThatThrownBy(() -> tokenize("--output=a", "x", "--output=a")).isInstanceOf(UsageException.class)
                    .hasMessage("--output given twice; give it once");
        }

        @Test
        void flagsGivenTwiceAreTheSameFlag() throws Exception {
            assertThat(tokenize("-v", "--verbose", "--force", "--force").has(VERBOSE)).isTrue();
        }

        @Test
        void endAtADoubleDashAndLeaveDashAndNegativeNumbersPositional() throws Exception {
            assertThat(tokenize("--", "--force", "-q").positional()).containsExactly("--force", "-q");
            assertThat(tokenize("-", "-1", "-2.5").positional()).containsExactly("-", "-1", "-2.5");
        }

        @Test
        void stopAtHelpOrVersionWithoutLookingFurther() throws Exception {
            assertThat(tokenize("a", "-h", "--nonsense").stoppedAt(Option.HELP)).isTrue();
            assertThat(tokenize("-V", "--quiet", "--verbose").stoppedAt(Option.VERSION)).isTrue();
            assertThat(tokenize("a").stoppedAt(Option.HELP)).isFalse();
        }
    }

    @Nested
    class Mistakes {

        @Test
        void includeUnknownOptions() {
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> tokenize("--fast"))
                    .withMessage("unknown option '--fast'");
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> tokenize("-x"))
                    .withMessage("unknown option '-x'");
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> tokenize("-ofile"))
                    .withMessage("unknown option '-ofile'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"--force=yes", "--quiet=no", "--help=1"})
        void includeAFlagWithAValue(String arg) {
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> tokenize(arg))
                    .withMessage(arg.substring(0, arg.indexOf('=')) + " takes no value");
        }

        @Test
        void includeAMissingValueNamedAsTyped() {
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> tokenize("a", "-o"))
                    .withMessage("-o needs a value");
        }

        @Test
        void includeQuietWithVerbose() throws Exception {
            var arguments = tokenize("-q", "--verbose");
            assertThatExceptionOfType(UsageException.class).isThrownBy(arguments::verbosity)
                    .withMessage("--quiet and --verbose cannot be used together; choose one");
        }
    }

    @Nested
    class TheHelp {

        @Test
        void linesUpEveryOptionOfTheTable() {
            assertThat(Usage.optionLines(List.of(OUTPUT, FORCE))).isEqualTo("""
                      -o, --output <path>         where
                          --force                 replace
                    """);
        }

        @Test
        void putsTheHelpOfAWideNameAndFurtherLinesAtTheColumn() {
            Option wide = Option.valued("--max-waiting-per-address", "<n>", "first line\nsecond line");

            assertThat(Usage.optionLines(List.of(wide))).isEqualTo("""
                          --max-waiting-per-address <n>
                    %sfirst line
                    %ssecond line
                    """.formatted(" ".repeat(Usage.HELP_COLUMN), " ".repeat(Usage.HELP_COLUMN)));
        }

        @Test
        void andTheErrorLinePointAtTheHelp() {
            assertThat(Usage.errorLine("myx", "unknown option '--y'")).isEqualTo("myx: unknown option '--y'; see myx --help");
        }
    }

    @Nested
    class Seconds {

        @Test
        void mayHaveDecimals() throws Exception {
            assertThat(Values.seconds("--timeout", "0.25")).isEqualTo(Duration.ofMillis(250));
            assertThat(Values.seconds("--timeout", "30")).isEqualTo(Duration.ofSeconds(30));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-1", "soon", "NaN", "0.0001", "99999999999"})
        void mustBePositiveAndReasonable(String text) {
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> Values.seconds("--timeout", text))
                    .withMessage("--timeout needs a positive number of seconds, not '" + text + "'");
        }
    }

    @Test
    void hostsAreBracketedWhenTheyAreIPv6() {
        assertThat(Hosts.host("::1")).isEqualTo("[::1]");
        assertThat(Hosts.host("fe80::1%eth0")).isEqualTo("[fe80::1]");
        assertThat(Hosts.host("example.org")).isEqualTo("example.org");
    }
}
