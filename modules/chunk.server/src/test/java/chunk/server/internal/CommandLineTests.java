package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.ServerConfig;
import chunk.server.internal.CommandLine.Command;
import chunk.server.internal.CommandLine.Invalid;
import chunk.server.internal.CommandLine.Serve;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTests {

    @TempDir
    Path cwd;

    Command parse(String... args) {
        return CommandLine.parse(List.of(args), cwd);
    }

    ServerConfig configOf(String... args) {
        assertThat(parse(args)).isInstanceOf(Serve.class);
        return ((Serve) parse(args)).config();
    }

    String errorOf(String... args) {
        assertThat(parse(args)).isInstanceOf(Invalid.class);
        return ((Invalid) parse(args)).message();
    }

    @Nested
    class Defaults {

        @Test
        void aPortAloneServesTheCurrentDirectoryOnAllInterfacesLikeTheOriginal() {
            ServerConfig config = configOf("4000");
            assertThat(config.port()).isEqualTo(4000);
            assertThat(config.root()).isEqualTo(cwd);
            assertThat(config.bindAddress()).isNull();
            assertThat(config.backlog()).isEqualTo(ServerConfig.defaultBacklog()).isGreaterThanOrEqualTo(1024);
            assertThat(config.maxClients()).isEqualTo(256);
            assertThat(config.maxConnections()).isEqualTo(10_000);
            assertThat(config.maxWaitingPerAddress()).isEqualTo(256);
            assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
            assertThat(config.rateLimit()).isZero();
            assertThat(config.totalRateLimit()).isZero();
            assertThat((Serve) parse("4000")).extracting(Serve::quiet, Serve::verbose).containsExactly(false, false);
        }
    }

    @Nested
    class Options {

        @Test
        void everyOptionIsReadInBothSpellings() throws Exception {
            Path served = Files.createDirectory(cwd.resolve("served"));
            ServerConfig config = configOf("--root", "served", "--bind=127.0.0.1", "--backlog", "5", "--max-clients=1",
                    "--idle-timeout", "0.5", "--rate-limit", "10M", "--max-connections", "3000",
                    "--max-waiting-per-address=8", "--header-timeout", "1.5", "--total-rate-limit=20M", "0");
            assertThat(config.root()).isEqualTo(served);
            assertThat(config.bindAddress()).isEqualTo(InetAddress.getByName("127.0.0.1"));
            assertThat(config.backlog()).isEqualTo(5);
            assertThat(config.maxClients()).isEqualTo(1);
            assertThat(config.idleTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(config.rateLimit()).isEqualTo(10L << 20);
            assertThat(config.maxConnections()).isEqualTo(3000);
            assertThat(config.maxWaitingPerAddress()).isEqualTo(8);
            assertThat(config.headerTimeout()).isEqualTo(Duration.ofMillis(1500));
            assertThat(config.totalRateLimit()).isEqualTo(20L << 20);
            assertThat(config.port()).isZero();
        }

        @Test
        void rateSuffixesArePowersOf1024InEitherCase() {
            assertThat(configOf("1", "--rate-limit", "500").rateLimit()).isEqualTo(500);
            assertThat(configOf("1", "--rate-limit", "2k").rateLimit()).isEqualTo(2048);
            assertThat(configOf("1", "--rate-limit", "1.5K").rateLimit()).isEqualTo(1536);
            assertThat(configOf("1", "--rate-limit", "1G").rateLimit()).isEqualTo(1L << 30);
        }

        @Test
        void anIPv6AddressMayBeInBrackets() throws Exception {
            assertThat(configOf("1", "--bind", "[::1]").bindAddress()).isEqualTo(InetAddress.getByName("::1"));
        }

        @Test
        void quietVerboseHelpAndVersionAreFlagsWithShortNames() {
            assertThat((Serve) parse("1", "--quiet")).extracting(Serve::quiet, Serve::verbose).containsExactly(true, false);
            assertThat((Serve) parse("1", "-v")).extracting(Serve::quiet, Serve::verbose).containsExactly(false, true);
            assertThat((Serve) parse("-q", "1")).extracting(Serve::quiet, Serve::verbose).containsExactly(true, false);
            assertThat(parse("--help")).isInstanceOf(CommandLine.ShowHelp.class);
            assertThat(parse("-h")).isInstanceOf(CommandLine.ShowHelp.class);
            assertThat(parse("abc", "--version")).isInstanceOf(CommandLine.ShowVersion.class);
            assertThat(parse("-V")).isInstanceOf(CommandLine.ShowVersion.class);
        }

        @Test
        void theHelpStatesTheDefaultsOfTheConfig() {
            assertThat(CommandLine.usage()).startsWith("Usage: myserver <port> [options]")
                    .contains("at least " + ServerConfig.MIN_DEFAULT_BACKLOG + ")")
                    .contains("(default: " + ServerConfig.DEFAULT_MAX_CLIENTS + ";")
                    .contains("(default: " + ServerConfig.DEFAULT_MAX_CONNECTIONS + ",")
                    .contains("(default: " + ServerConfig.DEFAULT_MAX_WAITING_PER_ADDRESS + ");")
                    .contains("(default: " + ServerConfig.DEFAULT_HEADER_TIMEOUT.toSeconds() + ")")
                    .contains("(default: " + ServerConfig.DEFAULT_IDLE_TIMEOUT.toSeconds() + ")")
                    .contains("--total-rate-limit");
        }
    }

    @Nested
    class Digests {

        final Path defaultCache = Path.of("/home/someone/.cache/chunk/digests");

        Command parseWithDefaultCache(String... args) {
            return CommandLine.parse(List.of(args), cwd, defaultCache);
        }

        @Test
        void byDefaultTreesAreKeptInTheUsersCacheFolderAndTheFolderIsHashedInTheBackground() {
            Serve serve = (Serve) parseWithDefaultCache("4000");

            assertThat(serve.config().digestCache()).isEqualTo(defaultCache);
            assertThat(serve.digestCacheGiven()).isFalse();
            assertThat(serve.config().digestCacheBytes()).isEqualTo(1L << 30);
            assertThat(serve.config().backgroundHashing()).isTrue();
        }

        @Test
        void aFolderNoneASizeAndNoBackgroundHashingAreRead() {
            Serve serve = (Serve) parseWithDefaultCache("4000", "--digest-cache", "trees", "--digest-cache-size", "200M",
                    "--no-background-hashing");

            assertThat(serve.config().digestCache()).isEqualTo(cwd.resolve("trees"));
            assertThat(serve.digestCacheGiven()).isTrue();
            assertThat(serve.config().digestCacheBytes()).isEqualTo(200L << 20);
            assertThat(serve.config().backgroundHashing()).isFalse();
            assertThat(((Serve) parseWithDefaultCache("4000", "--digest-cache=none")).config().digestCache()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-5", "lots", ""})
        void aCacheSizeThatIsNotABytesCountIsAnError(String size) {
            assertThat(errorOf("4000", "--digest-cache-size", size)).isEqualTo("bad --digest-cache-size '" + size
                    + "': give a size in bytes, like 500M or 4G");
        }

        @Test
        void printRootTakesTheFilesInPlaceOfThePort() {
            assertThat(parse("--print-root", "a.bin", "/tmp/b.bin"))
                    .isEqualTo(new CommandLine.PrintRoot(List.of(cwd.resolve("a.bin"), Path.of("/tmp/b.bin")), false));
            assertThat(errorOf("--print-root")).isEqualTo("--print-root needs at least one file");
        }
    }

    @Nested
    class BadArguments {

        @ParameterizedTest
        @ValueSource(strings = {"abc", "-1", "65536", "99999999999", "4000x", ""})
        void aBadPortIsNamed(String port) {
            assertThat(errorOf(port)).contains("bad port").contains("0 to 65535");
        }

        @Test
        void noPortIsAnError() {
            assertThat(errorOf()).isEqualTo("no port given");
        }

        @Test
        void aMissingFolderIsAnError() throws Exception {
            assertThat(errorOf("1", "--root", "nope")).isEqualTo("no such folder: nope");
            Files.createFile(cwd.resolve("file"));
            assertThat(errorOf("1", "--root", "file")).isEqualTo("not a folder: file");
        }

        @Test
        void unknownOptionsExtraArgumentsAndMissingValuesAreErrors() {
            assertThat(errorOf("1", "--frobnicate")).contains("unknown option '--frobnicate'");
            assertThat(errorOf("1", "2")).contains("unexpected argument '2'");
            assertThat(errorOf("1", "--root")).isEqualTo("--root needs a value");
        }

        @Test
        void anOptionGivenTwiceIsAnErrorAsOnTheClient() {
            assertThat(errorOf("1", "--idle-timeout", "2", "--idle-timeout", "3")).isEqualTo("--idle-timeout given twice; give it once");
        }

        @Test
        void aFlagWithAValueAndQuietWithVerboseAreErrorsAsOnTheClient() {
            assertThat(errorOf("1", "--quiet=no")).isEqualTo("--quiet takes no value");
            assertThat(errorOf("1", "--quiet", "--verbose")).isEqualTo("--quiet and --verbose cannot be used together; choose one");
        }

        @Test
        void outOfRangeNumbersAreErrors() {
            assertThat(errorOf("1", "--backlog", "0")).contains("--backlog");
            assertThat(errorOf("1", "--max-clients", "x")).contains("--max-clients");
            assertThat(errorOf("1", "--idle-timeout", "0")).contains("--idle-timeout");
            assertThat(errorOf("1", "--idle-timeout", "-3")).contains("--idle-timeout");
            assertThat(errorOf("1", "--rate-limit", "-1")).contains("--rate-limit");
            assertThat(errorOf("1", "--rate-limit", "fast")).contains("--rate-limit");
            assertThat(errorOf("1", "--max-connections", "0")).contains("--max-connections");
            assertThat(errorOf("1", "--max-waiting-per-address", "-2")).contains("--max-waiting-per-address");
            assertThat(errorOf("1", "--header-timeout", "0")).contains("--header-timeout");
            assertThat(errorOf("1", "--total-rate-limit", "lots")).contains("--total-rate-limit");
        }
    }
}
