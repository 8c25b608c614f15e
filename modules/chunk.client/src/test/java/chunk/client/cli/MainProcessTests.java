package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code myclient} as the real program, in its own JVM: how it starts and how it ends. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainProcessTests {

    @TempDir
    Path logs;
    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private Process java(List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-p", System.getProperty("jdk.module.path"), "-m", "chunk.client/chunk.client.cli.Main"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(logs.resolve("stderr-" + started.size()).toFile()).start();
        started.add(process);
        return process;
    }

    private String stdoutOf(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private String stderrOf(Process process) throws IOException {
        return Files.readString(logs.resolve("stderr-" + started.indexOf(process)));
    }

    private static int exitCodeOf(Process process) throws InterruptedException {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }

    @Test
    void withoutEnablePreviewSaysWhatToAddAndExits2() throws Exception {
        Process client = java(List.of(), "servers.txt", "4", "a.bin");

        assertThat(exitCodeOf(client)).isEqualTo(ExitCode.USAGE.code());
        assertThat(stderrOf(client)).isEqualTo(Main.WITHOUT_PREVIEW + System.lineSeparator());
    }

    @Test
    void endsThroughTheCLibraryWithEverythingPrintedWhenNativeAccessIsAllowed() throws Exception {
        Process version = java(List.of("--enable-preview", "--enable-native-access=chunk.client"), "--version");
        String printed = stdoutOf(version);

        assertThat(exitCodeOf(version)).isZero();
        assertThat(printed).matches("myclient \\S+\\R");

        Process usage = java(List.of("--enable-preview", "--enable-native-access=chunk.client"), "servers.txt", "0");
        assertThat(exitCodeOf(usage)).as("the status reaches _exit").isEqualTo(ExitCode.USAGE.code());
        assertThat(stderrOf(usage)).as("flushed before _exit")
                .isEqualTo("myclient: <chunks> must be a positive integer, not '0'; see myclient --help" + System.lineSeparator());
    }

    @Test
    void endsTheOrdinaryWayWithoutNativeAccess() throws Exception {
        Process usage = java(List.of("--enable-preview"), "servers.txt", "0");

        assertThat(exitCodeOf(usage)).isEqualTo(ExitCode.USAGE.code());
        assertThat(stderrOf(usage)).startsWith("myclient: <chunks> must be").doesNotContain("WARNING");
    }

    @Test
    void aReaderOfStandardOutputThatGoesAwayStopsTheDownloadAtOnce() throws Exception {
        try (TestServers servers = new TestServers()) {
            Path served = Files.createDirectories(logs.resolve("served"));
            int size = 16 << 20;
            TestServers.randomFile(served.resolve("a.bin"), size, 5);
            // Slow enough that the whole file would take several seconds.
            TestServer one = servers.serving(served, TestServer.paced(1 << 20));
            TestServer two = servers.serving(served, TestServer.paced(1 << 20));
            Path serversFile = Files.writeString(logs.resolve("servers.txt"), one.address().host() + " "
                    + one.address().port() + "\n" + two.address().host() + " " + two.address().port() + "\n");
            Process client = java(List.of("--enable-preview"), serversFile.toString(), "4", "-o", "-", "a.bin");

            byte[] first = client.getInputStream().readNBytes(10);
            client.getInputStream().close();

            assertThat(first).hasSize(10);
            assertThat(exitCodeOf(client)).as(stderrOf(client)).isEqualTo(ExitCode.LOCAL_IO.code());
            assertThat(stderrOf(client)).contains("the reader went away");
            assertThat(one.dataSent() + two.dataSent()).as("bytes the servers sent").isLessThan(size);
        }
    }
}
