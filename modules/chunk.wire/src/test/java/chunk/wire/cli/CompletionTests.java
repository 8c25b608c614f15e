package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completions of {@link SampleManual}, as bash and zsh really complete them. */
class CompletionTests {

    @TempDir
    Path folder;

    @BeforeEach
    void filesToComplete() throws IOException {
        Files.createDirectories(folder.resolve("spool.d"));
        Files.createDirectories(folder.resolve("tools"));
        Files.writeString(folder.resolve("servers.txt"), "localhost 4000\n");
        Files.writeString(folder.resolve("sample"), "# the completion scripts live beside the files to complete\n");
    }

    private Path resource(String name) throws IOException {
        Path copy = folder.resolve("tools").resolve(name);
        Files.createDirectories(copy.getParent());
        try (InputStream in = CompletionTests.class.getResourceAsStream(name)) {
            Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return copy;
    }

    @Nested
    class Bash {

        /** What bash completes the last word to, after {@code sample}. */
        List<String> complete(String... words) throws Exception {
            assumeThat(Programs.installed("bash")).as("bash is not installed").isTrue();
            Path script = Files.writeString(folder.resolve("tools/sample.bash"), BashCompletion.of(SampleManual.MANUAL));
            List<String> command = new ArrayList<>(List.of("bash", "--norc", "--noprofile", resource("complete.bash").toString(),
                    script.toString(), "sample"));
            command.addAll(List.of(words));
            Programs.Result result = Programs.run(command, Map.of(), folder);
            assertThat(result.err()).isEmpty();
            assertThat(result.exitCode()).isZero();
            return result.out().lines().filter(line -> !line.isEmpty()).sorted().toList();
        }

        @Test
        void completesAPrefixToTheOptionsThatStartWithIt() throws Exception {
            assertThat(complete("--vers")).containsExactly("--version");
            assertThat(complete("--ver")).containsExactly("--verbose", "--version");
            assertThat(complete("-")).contains("-o", "--output", "--spool", "-h", "--help").hasSize(15);
        }

        @Test
        void completesAnOptionsValueByItsKind() throws Exception {
            assertThat(complete("--output", "serv")).containsExactly("servers.txt");
            assertThat(complete("-o", "")).containsExactly("sample", "servers.txt", "spool.d", "tools");
            assertThat(complete("--spool", "")).containsExactly("spool.d", "tools");
            assertThat(complete("--order", "")).containsExactly("fast", "slow");
            assertThat(complete("--order", "s")).containsExactly("slow");
            assertThat(complete("--timeout", "")).isEmpty();
        }

        @Test
        void completesAValueAfterAnEqualsSignAsBashSplitsIt() throws Exception {
            assertThat(complete("--order", "=")).containsExactly("fast", "slow");
            assertThat(complete("--order", "=", "f")).containsExactly("fast");
            assertThat(complete("--output", "=", "serv")).containsExactly("servers.txt");
        }

        @Test
        void completesPositionalArgumentsByTheirPlaceNotCountingOptionValues() throws Exception {
            assertThat(complete("serv")).containsExactly("servers.txt");
            assertThat(complete("-o", "x", "--order", "=", "fast", "-q", "serv")).containsExactly("servers.txt");
            assertThat(complete("servers.txt", "")).isEmpty();
            assertThat(complete("servers.txt", "8", "big.iso", "")).isEmpty();
        }

        @Test
        void offersNoOptionsAfterTheEndOfOptions() throws Exception {
            assertThat(complete("--", "-")).isEmpty();
            assertThat(complete("--", "--ver")).isEmpty();
        }
    }

    @Nested
    class Zsh {

        /** What zsh offers at the end of {@code line}. */
        List<String> complete(String line) throws Exception {
            assumeThat(Programs.installed("zsh")).as("zsh is not installed (Debian package zsh)").isTrue();
            Files.writeString(folder.resolve("tools/_sample"), ZshCompletion.of(SampleManual.MANUAL));
            Programs.Result result = Programs.run(List.of("zsh", "-f", resource("complete.zsh").toString(),
                    folder.resolve("tools").toString(), line), Map.of(), folder);
            assertThat(result.exitCode()).as(result.err()).isZero();
            return result.out().lines().toList();
        }

        @Test
        void theFunctionIsValidZsh() throws Exception {
            assumeThat(Programs.installed("zsh")).as("zsh is not installed (Debian package zsh)").isTrue();
            Path function = Files.writeString(folder.resolve("_sample"), ZshCompletion.of(SampleManual.MANUAL));

            Programs.Result check = Programs.run(List.of("zsh", "-n", function.toString()), Map.of(), folder);

            assertThat(check.err()).isEmpty();
            assertThat(check.exitCode()).isZero();
        }

        @Test
        void completesAPrefixToTheOptionsThatStartWithIt() throws Exception {
            assertThat(complete("sample --vers")).containsExactly("--version");
            assertThat(complete("sample --ver")).contains("--verbose", "--version").doesNotContain("--output");
        }

        @Test
        void completesAnOptionsValueByItsKind() throws Exception {
            assertThat(complete("sample --order ")).contains("fast", "slow");
            assertThat(complete("sample --output serv")).contains("servers.txt");
            assertThat(complete("sample --spool ")).contains("spool.d", "tools").doesNotContain("servers.txt");
        }

        @Test
        void completesTheServersFileFirst() throws Exception {
            assertThat(complete("sample serv")).contains("servers.txt");
        }
    }
}
