package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import chunk.wire.cli.UsageException;
import chunk.wire.cli.Verbosity;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTests {

    private static CommandLine.Download download(String... args) throws UsageException {
        return (CommandLine.Download) CommandLine.parse(args);
    }

    @Nested
    class TheOriginalArguments {

        @Test
        void areTheServersFileAndTheChunkCount() throws Exception {
            var command = download("servers.txt", "4");

            assertThat(command.serversFile()).isEqualTo(Path.of("servers.txt"));
            assertThat(command.options().chunks()).isEqualTo(4);
            assertThat(command.fileNames()).isEmpty();
            assertThat(command.options().fsync()).isTrue();
            assertThat(command.options().force()).isFalse();
            assertThat(command.options().connectTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(command.options().stallTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(command.verbosity()).isEqualTo(Verbosity.NORMAL);
        }

        @Test
        void allowUpToTenThousandChunks() throws Exception {
            assertThat(download("servers.txt", "10000").options().chunks()).isEqualTo(10_000);
            assertThat(download("servers.txt", "+1").options().chunks()).isEqualTo(1);
        }

        @Test
        void mayBeFollowedByFileNames() throws Exception {
            assertThat(download("servers.txt", "4", "a.txt", "b.txt").fileNames()).containsExactly("a.txt", "b.txt");
        }
    }

    @Nested
    class ServersOnTheCommandLine {

        @Test
        void areRepeatedDashSWithTheNamesAfterThem() throws Exception {
            var command = download("-s", "127.0.0.1:4000", "--server", "http://mirror.test/pub/", "-s", "[::1]:4001", "a.bin",
                    "b.bin");

            assertThat(command.serversFile()).isNull();
            assertThat(command.givenServers()).extracting(Object::toString)
                    .containsExactly("127.0.0.1:4000", "http://mirror.test/pub/", "[::1]:4001");
            assertThat(command.fileNames()).containsExactly("a.bin", "b.bin");
            assertThat(command.options().chunks()).isEqualTo(CommandLine.DEFAULT_CHUNKS);
        }

        @Test
        void areUrlsOfOneFileNamedAfterTheFirst() throws Exception {
            var command = download("https://a.test/x/big%20file.iso", "http://b.test:8080/other.iso", "-n", "12");

            assertThat(command.givenServers()).extracting(Object::toString)
                    .containsExactly("https://a.test/x/big%20file.iso", "http://b.test:8080/other.iso");
            assertThat(command.fileNames()).containsExactly("big file.iso");
            assertThat(command.options().chunks()).isEqualTo(12);
        }

        @Test
        void getOneChunkPerServerByDefaultAndAtLeastFour() throws Exception {
            assertThat(download("http://a.test/f").options().chunks()).isEqualTo(4);
            String[] six = {"http://a.test/f", "http://b.test/f", "http://c.test/f", "http://d.test/f", "http://e.test/f",
                    "http://f.test/f"};
            assertThat(download(six).options().chunks()).isEqualTo(6);
        }

        @ParameterizedTest
        @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {
            "-s|127.0.0.1:4000|4|x|with -s, give the chunks as -n 4; '4' would be taken as a file name",
            "http://a.test/f|4|-|-|with URLs, give the chunks as -n 4; every other argument is a URL of the file",
            "-s|http://a.test/f|x|-|'http://a.test/f' is the URL of a file: a server is a folder's URL, ending in / (a file's URLs go on the command line: myclient <url> <url>...)",
            "http://a.test/pub/|-|-|-|'http://a.test/pub/' is a folder's URL (it ends in /): give it with -s, and the files' names after it",
            "-s|localhost|x|-|'localhost' is not a server: write host:port ([::1]:4000 for IPv6) or the http:// or https:// URL of a folder",
            "-s|ftp://a.test/|x|-|'ftp://a.test/' is not a server: write host:port ([::1]:4000 for IPv6) or the http:// or https:// URL of a folder",
            "-n|4|servers.txt|4|-n/--chunks goes with servers on the command line; with a servers file, give <chunks> after it",
            "http://user:pw@a.test/f|-|-|-|'http://user:pw@a.test/f' cannot be used: user names and passwords in URLs are not supported",
        })
        void sayWhatToWriteInsteadOfAWrongGuess(String a, String b, String c, String d, String message) {
            String[] args = java.util.stream.Stream.of(a, b, c, d).filter(arg -> !arg.equals("-")).toArray(String[]::new);
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse(args)).withMessage(message);
        }
    }

    @Nested
    class VerificationOptions {

        @Test
        void areOffByDefaultButVerifying() throws Exception {
            var command = download("servers.txt", "4");

            assertThat(command.options().verify()).isTrue();
            assertThat(command.options().sha256()).isNull();
            assertThat(command.options().root()).isNull();
            assertThat(command.json()).isFalse();
        }

        @Test
        void takeAHexSha256AndRootAndTurnVerificationOff() throws Exception {
            var command = download("servers.txt", "4", "--sha256", "AB".repeat(32), "--root=" + "cd".repeat(32), "--no-verify",
                    "--json");

            assertThat(command.options().sha256()).isEqualTo("ab".repeat(32));
            assertThat(command.options().root()).isEqualTo("cd".repeat(32));
            assertThat(command.options().verify()).isFalse();
            assertThat(command.json()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"abc", "", "zz"})
        void refuseWhatIsNotASha256(String hex) {
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> download("servers.txt", "4", "--sha256", hex))
                    .withMessage("--sha256 needs a SHA-256 of 64 hex digits, not '" + hex + "'");
        }
    }

    @Nested
    class Options {

        @Test
        void mayStandBeforeBetweenOrAfterTheArguments() throws Exception {
            var command = download("--force", "servers.txt", "-o", "out.bin", "4", "--no-fsync", "--timeout", "2.5",
                    "--connect-timeout=1", "--quiet");

            assertThat(command.output()).isEqualTo("out.bin");
            assertThat(command.options().force()).isTrue();
            assertThat(command.options().fsync()).isFalse();
            assertThat(command.options().stallTimeout()).isEqualTo(Duration.ofMillis(2500));
            assertThat(command.options().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(command.verbosity()).isEqualTo(Verbosity.QUIET);
            assertThat(command.options().chunks()).isEqualTo(4);
        }

        @Test
        void endAtADoubleDash() throws Exception {
            assertThat(download("servers.txt", "2", "--", "--weird-name").fileNames()).containsExactly("--weird-name");
        }

        @Test
        void haveTheShortNamesOfTheServer() throws Exception {
            assertThat(CommandLine.parse("-V")).isInstanceOf(CommandLine.Version.class);
            assertThat(download("-q", "servers.txt", "4").verbosity()).isEqualTo(Verbosity.QUIET);
            assertThat(download("servers.txt", "-v", "4").verbosity()).isEqualTo(Verbosity.VERBOSE);
        }

        @Test
        void takeTheirDefaultsFromTheLibrary() throws Exception {
            var command = download("servers.txt", "4");

            assertThat(command.options().connectTimeout()).isEqualTo(chunk.client.DownloadOptions.DEFAULT_CONNECT_TIMEOUT);
            assertThat(command.options().stallTimeout()).isEqualTo(chunk.client.DownloadOptions.DEFAULT_STALL_TIMEOUT);
            assertThat(CommandLine.help()).contains("(default 5 s)").contains("(default 30 s)");
        }

        @Test
        void takeStandardOutputAsTheOutputDash() throws Exception {
            assertThat(download("servers.txt", "4", "-o", "-", "a.bin").toStandardOutput()).isTrue();
            assertThat(download("servers.txt", "4", "a.bin").toStandardOutput()).isFalse();
        }

        @Test
        void includeHelpAndVersion() throws Exception {
            assertThat(CommandLine.parse("--help")).isInstanceOf(CommandLine.Help.class);
            assertThat(CommandLine.parse("servers.txt", "x", "-h")).isInstanceOf(CommandLine.Help.class);
            assertThat(CommandLine.parse("--version")).isInstanceOf(CommandLine.Version.class);
        }
    }

    @Nested
    class Mistakes {

        @ParameterizedTest(name = "<chunks> = ''{0}''")
        @ValueSource(strings = {"0", "-1", "abc", "1.5", "", "0x10", " 4"})
        void inTheChunkCountSayItMustBeAPositiveInteger(String chunks) {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", chunks))
                    .withMessage("<chunks> must be a positive integer, not '" + chunks + "'");
        }

        @ParameterizedTest(name = "<chunks> = {0}")
        @ValueSource(strings = {"10001", "100000000", "99999999999", "99999999999999999999999"})
        void includeMoreChunksThanTheLimit(String chunks) {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", chunks))
                    .withMessage("<chunks> is at most 10000 (each chunk is a thread and a request of its own), not " + chunks);
        }

        @Test
        void includeMissingArguments() {
            assertThatExceptionOfType(UsageException.class).isThrownBy(CommandLine::parse)
                    .withMessage("missing <servers-file> and <chunks> (or -s <server>, or the file's URL)");
            assertThatExceptionOfType(UsageException.class).isThrownBy(() -> CommandLine.parse("servers.txt"))
                    .withMessage("missing <chunks> after the servers file");
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"--timeout", "--connect-timeout", "-o", "--output"})
        void includeAnOptionWithoutItsValue(String option) {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", "4", option))
                    .withMessage(option + " needs a value");
        }

        @ParameterizedTest(name = "--timeout {0}")
        @ValueSource(strings = {"0", "-3", "soon", "NaN"})
        void includeATimeoutThatIsNotAPositiveNumber(String seconds) {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", "4", "--timeout", seconds))
                    .withMessage("--timeout needs a positive number of seconds, not '" + seconds + "'");
        }

        @Test
        void includeUnknownOptionsAndValuesForFlags() {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", "4", "--fast"))
                    .withMessage("unknown option '--fast'");
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", "4", "--force=yes"))
                    .withMessage("--force takes no value");
        }

        @Test
        void includeQuietAndVerboseTogether() {
            assertThatExceptionOfType(UsageException.class)
                    .isThrownBy(() -> CommandLine.parse("servers.txt", "4", "--quiet", "--verbose"))
                    .withMessageContaining("cannot be used together");
        }
    }
}
