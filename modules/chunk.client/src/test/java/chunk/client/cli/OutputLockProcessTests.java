package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real {@code myclient} processes for one output file. The first one's chunks are held by
 * the server until the test lets them go, so the second always starts while the first is
 * mid-download: no timing decides the outcome.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OutputLockProcessTests {

    @TempDir
    Path served;
    @TempDir
    Path work;
    @TempDir
    Path logs;

    private final CountDownLatch bigChunkAsked = new CountDownLatch(1);
    private final CountDownLatch releaseBigChunks = new CountDownLatch(1);
    private final List<Process> started = new ArrayList<>();
    private TestServer server;
    private byte[] big;

    @BeforeEach
    void serveABigFileWhoseChunksWaitAndASmallOne() throws IOException {
        big = new byte[1 << 20];
        new Random(10).nextBytes(big);
        Files.write(served.resolve("big.bin"), big);
        Files.writeString(served.resolve("small.txt"), "twelve bytes");
        server = TestServer.serving(served, (request, client, self) -> {
            if (request instanceof Frame.ChunkRequest chunk && chunk.fileName().equals("big.bin")) {
                bigChunkAsked.countDown();
                try {
                    releaseBigChunks.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            TestServer.honest().answer(request, client, self);
        });
        Files.writeString(work.resolve("servers.txt"), server.address().host() + " " + server.address().port() + "\n");
    }

    @AfterEach
    void stop() throws IOException {
        releaseBigChunks.countDown();
        started.forEach(Process::destroyForcibly);
        server.close();
    }

    private Process myclient(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElseThrow(), "--enable-preview",
                "-p", System.getProperty("jdk.module.path"), "-m", "chunk.client/chunk.client.cli.Main"));
        command.addAll(List.of(args));
        // To a file: a pipe of a process that has exited may already be closed when the test reads it.
        Process process = new ProcessBuilder(command).directory(work.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(logs.resolve("stderr-" + started.size()).toFile()).start();
        started.add(process);
        return process;
    }

    private String stderrOf(Process process) throws IOException {
        return Files.readString(logs.resolve("stderr-" + started.indexOf(process)));
    }

    private static int exitCodeOf(Process process) throws InterruptedException {
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("the client ended").isTrue();
        return process.exitValue();
    }

    @Test
    void aSecondClientForTheSameOutputStopsAtOnceAndTheFirstFinishesIntact() throws Exception {
        Process first = myclient("servers.txt", "4", "big.bin", "-o", "dup.bin");
        assertThat(bigChunkAsked.await(30, TimeUnit.SECONDS)).as("the first client is downloading").isTrue();

        Process second = myclient("servers.txt", "1", "small.txt", "-o", "dup.bin");

        assertThat(exitCodeOf(second)).isEqualTo(ExitCode.OUTPUT_IN_USE.code());
        // Linux names the lock's holder in /proc/locks; elsewhere the message goes without it.
        String holder = Files.isReadable(Path.of("/proc/locks")) ? " (process " + first.pid() + ")" : "";
        assertThat(stderrOf(second)).isEqualTo("myclient: dup.bin is being written by another download" + holder
                + "; wait for it to end, or choose another --output" + System.lineSeparator());
        assertThat(work.resolve("dup.bin")).doesNotExist();
        assertThat(work.resolve("dup.bin.part")).as("the first one's part file, untouched").hasSize(big.length);

        releaseBigChunks.countDown();
        assertThat(exitCodeOf(first)).as(() -> stderrOfQuietly(first)).isZero();
        assertThat(work.resolve("dup.bin")).hasBinaryContent(big);
        assertThat(work.resolve("dup.bin.part")).doesNotExist();
    }

    @Test
    void forceDoesNotLetASecondClientIn() throws Exception {
        Process first = myclient("--force", "servers.txt", "4", "big.bin", "-o", "dup.bin");
        assertThat(bigChunkAsked.await(30, TimeUnit.SECONDS)).isTrue();

        Process second = myclient("--force", "servers.txt", "1", "small.txt", "-o", "dup.bin");

        assertThat(exitCodeOf(second)).isEqualTo(ExitCode.OUTPUT_IN_USE.code());
        releaseBigChunks.countDown();
        assertThat(exitCodeOf(first)).isZero();
        assertThat(work.resolve("dup.bin")).hasBinaryContent(big);
    }

    @Test
    void aKilledClientLeavesNoLockBehind() throws Exception {
        Process first = myclient("servers.txt", "4", "big.bin", "-o", "dup.bin");
        assertThat(bigChunkAsked.await(30, TimeUnit.SECONDS)).isTrue();
        first.destroyForcibly(); // SIGKILL: no code of the client runs
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Process second = myclient("servers.txt", "1", "small.txt", "-o", "dup.bin");

        assertThat(exitCodeOf(second)).as(() -> stderrOfQuietly(second)).isZero();
        assertThat(work.resolve("dup.bin")).hasContent("twelve bytes");
        assertThat(work.resolve("dup.bin.part")).doesNotExist();
    }

    private String stderrOfQuietly(Process process) {
        try {
            return stderrOf(process);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
