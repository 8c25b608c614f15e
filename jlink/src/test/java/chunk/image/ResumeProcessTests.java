package chunk.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Interrupted downloads as users meet them: the image's {@code bin/myclient} against
 * rate-limited {@code bin/myserver}s on loopback, stopped by Ctrl-C, SIGTERM or SIGKILL, and
 * the same command run again.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ResumeProcessTests {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+),");
    private static final Pattern SENT = Pattern.compile(" CHUNK .* (\\d+) B [0-9.]+ ms$");
    /** 4 chunks from 2 servers at 1 MiB/s per connection: about 2 s for the whole file. */
    private static final int SIZE = 8 * 1024 * 1024 + 4321;
    /** ChunkPlanner's piece for SIZE in 4 chunks (an eighth of a chunk, rounded down to a power of two). */
    private static final int PIECE = 256 * 1024;

    private final Path image = Path.of(System.getProperty("chunk.image", "target/image")).toAbsolutePath();
    private final List<Process> servers = new ArrayList<>();
    private final List<Path> serverLogs = new ArrayList<>();

    @TempDir
    Path work;

    private byte[] original;
    private Path downloads;
    private Path serversFile;

    @BeforeEach
    void serveAFileFromTwoRateLimitedServers() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        original = new byte[SIZE];
        new Random(5).nextBytes(original);
        Files.write(served.resolve("data.bin"), original);
        int first = startServer(served, "first");
        int second = startServer(served, "second");
        serversFile = Files.writeString(work.resolve("servers.txt"), "127.0.0.1 " + first + "\n127.0.0.1 " + second + "\n");
        downloads = Files.createDirectories(work.resolve("downloads"));
    }

    @AfterEach
    void stopTheServers() throws InterruptedException {
        for (Process server : servers) {
            server.destroyForcibly().waitFor();
        }
    }

    @ParameterizedTest(name = "SIG{0} -> exit {1}")
    @CsvSource({"INT, 130", "TERM, 143", "HUP, 129"})
    void aSignalSavesTheRecordSaysWhatWasKeptAndTheSameCommandFinishesTheFile(String signal, int exitCode) throws Exception {
        Process client = client("first");
        awaitAFirstSave();

        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(client.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();

        assertThat(client.waitFor(30, TimeUnit.SECONDS)).as("the client stopped").isTrue();
        String said = Files.readString(work.resolve("first.err"));
        assertThat(client.exitValue()).as("exit code; stderr: %s", said).isEqualTo(exitCode);
        assertThat(said).matches("myclient: interrupted; [0-9.]+ (KiB|MiB) of 8\\.00 MiB kept in data\\.bin\\.part;"
                + " the same command continues it\n");
        assertThat(downloads.resolve("data.bin")).doesNotExist();
        assertThat(downloads.resolve("data.bin.part.resume")).exists();

        Process again = client("again");
        assertThat(again.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String summary = Files.readString(work.resolve("again.err"));
        assertThat(again.exitValue()).as("exit code; stderr: %s", summary).isZero();
        assertThat(summary).contains(" of it resumed from the part file");
        assertTheFileIsCompleteAndAlone();
    }

    /**
     * SIGKILL leaves no chance to save anything: what the record says must already be on disk.
     * Killed at seeded random moments, the client never leaves a final file early, always ends
     * with the right one, and fetches again little more than the pieces in flight at each kill.
     */
    @Test
    void killedAtRandomMomentsItNeverLeavesAWrongFileAndFetchesLittleTwice() throws Exception {
        Random moments = new Random(20261201);
        int kills = 0;
        for (int run = 0; run < 4; run++) {
            Process client = client("run" + run);
            boolean ended = client.waitFor(150 + moments.nextInt(900), TimeUnit.MILLISECONDS);
            if (ended) {
                break;
            }
            client.destroyForcibly().waitFor();
            kills++;
            assertThat(downloads.resolve("data.bin")).as("no final file after kill %d", kills).doesNotExist();
        }
        Process last = client("last");
        assertThat(last.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(last.exitValue()).as("exit code; stderr: %s", Files.readString(work.resolve("last.err"))).isZero();
        assertTheFileIsCompleteAndAlone();

        long sent = bytesTheServersSent();
        // Per kill: each of the 4 connections' piece in flight, what was written since the last
        // save (25 ms), and what the socket buffers held (the servers send a tenth of a second's
        // worth at once).
        long allowance = kills * (4L * PIECE + 1024 * 1024);
        System.out.printf("%d kills; the servers sent %d bytes for a file of %d (%d more per kill)%n", kills, sent, SIZE,
                kills == 0 ? 0 : (sent - SIZE) / kills);
        assertThat(kills).as("kills").isPositive();
        assertThat(sent).as("bytes the servers sent over %d kills", kills).isBetween((long) SIZE, SIZE + allowance);
    }

    private void assertTheFileIsCompleteAndAlone() throws IOException {
        assertThat(Arrays.equals(Files.readAllBytes(downloads.resolve("data.bin")), original)).as("the file is intact").isTrue();
        assertThat(downloads.resolve("data.bin.part")).doesNotExist();
        assertThat(downloads.resolve("data.bin.part.resume")).doesNotExist();
    }

    /** Waits until the record beside the part file has changed since it was made: a save happened. */
    private void awaitAFirstSave() throws Exception {
        Path record = downloads.resolve("data.bin.part.resume");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        byte[] first = null;
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(record)) {
                byte[] now = Files.readAllBytes(record);
                if (first == null) {
                    first = now;
                } else if (!Arrays.equals(first, now)) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the record was not saved within 30 s");
    }

    /** Stops the servers gracefully, so that every connection has its access log line, and adds up their bytes. */
    private long bytesTheServersSent() throws Exception {
        for (Process server : servers) {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        long sent = 0;
        for (Path log : serverLogs) {
            for (String line : Files.readAllLines(log)) {
                Matcher matcher = SENT.matcher(line);
                if (matcher.find()) {
                    sent += Long.parseLong(matcher.group(1));
                }
            }
        }
        return sent;
    }

    private Process client(String name) throws IOException {
        return new ProcessBuilder(image.resolve("bin/myclient").toString(), serversFile.toString(), "4", "data.bin")
                .directory(downloads.toFile())
                .redirectOutput(work.resolve(name + ".out").toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start();
    }

    private int startServer(Path root, String name) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".out");
        ProcessBuilder builder = new ProcessBuilder(image.resolve("bin/myserver").toString(), "0", "--bind", "127.0.0.1",
                "--root", root.toString(), "--rate-limit", "1M");
        // myserver keeps its digest trees under $XDG_CACHE_HOME: in the test's folder, not the tester's home.
        builder.environment().put("XDG_CACHE_HOME", work.resolve("xdg-cache").toString());
        Process server = builder
                .redirectOutput(log.toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start();
        servers.add(server);
        serverLogs.add(log);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(2));
            }
            assertThat(server.isAlive()).as("server %s is running", name).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("server " + name + " printed no 'listening on' line within 30 s");
    }
}
