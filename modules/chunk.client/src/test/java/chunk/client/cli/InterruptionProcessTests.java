package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A signal to a download that will not stop: the process ends at the grace, and says so. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InterruptionProcessTests {

    @TempDir
    Path logs;
    private Process process;

    @AfterEach
    void killLeftovers() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void aDownloadThatDoesNotStopEndsAtTheGraceWithOneLineAndTheSignalsExitCode() throws Exception {
        // This module's test classes, patched into it as surefire runs them here.
        Path testClasses = Path.of(StopsLate.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> command = List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-preview",
                "-p", System.getProperty("jdk.module.path"), "--patch-module", "chunk.client=" + testClasses,
                "-m", "chunk.client/chunk.client.cli.StopsLate", "300");
        Path stderr = logs.resolve("stderr");
        process = new ProcessBuilder(command).redirectError(stderr.toFile()).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).as("started; stderr: %s", stderrOf(stderr)).isEqualTo("downloading");

        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(ExitCode.TERMINATED.code());
        assertThat(stderrOf(stderr).lines().filter(line -> !line.isEmpty()).toList()).containsExactly(
                "myclient: interrupted; stopping took longer than 0.30 s, so the last save was skipped: the record keeps"
                        + " what was saved before it, and the same command continues it");
    }

    private static String stderrOf(Path stderr) throws IOException {
        return Files.readString(stderr);
    }
}
