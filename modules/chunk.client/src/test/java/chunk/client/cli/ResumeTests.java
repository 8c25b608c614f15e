package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chunk.client.cli.ExitCode;
import chunk.client.cli.Main;
import chunk.client.disk.ResumeFile;
import chunk.client.disk.ResumeRecord;
import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import chunk.client.text.HumanFormat;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameEncoder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Downloads that stop part-way and the runs that continue them, through {@link Main#run}. */
@Timeout(60)
class ResumeTests {

    /** 32 pieces of 128 KiB with 2 chunks (ChunkPlanner.pieceLength), the last one short. */
    private static final int SIZE = (4 << 20) - 1000;

    @TempDir
    Path served;
    @TempDir
    Path work;

    private final TestServers servers = new TestServers();
    private final List<TestServer> thisRun = new ArrayList<>();
    private ByteArrayOutputStream err = new ByteArrayOutputStream();
    private byte[] original;

    @BeforeEach
    void serveAFile() throws IOException {
        original = TestServers.randomFile(served.resolve("data.bin"), SIZE, 3);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private int run(TestServer.Fault fault, String... args) throws IOException {
        return run(List.of(fault), args);
    }

    /** One myclient run against fresh servers with these faults; its standard error in {@link #err}. */
    private int run(List<TestServer.Fault> faults, String... args) throws IOException {
        return run(faults, false, args);
    }

    /** As {@link #run(List, String...)}, with servers of this round (kept open, the digest tree) if {@code keptOpen}. */
    private int run(List<TestServer.Fault> faults, boolean keptOpen, String... args) throws IOException {
        thisRun.clear();
        StringBuilder lines = new StringBuilder();
        for (TestServer.Fault fault : faults) {
            TestServer server = keptOpen ? servers.closedAtTheEnd(TestServer.keepingOpen(served, fault))
                    : servers.serving(served, fault);
            thisRun.add(server);
            lines.append("127.0.0.1 ").append(server.address().port()).append('\n');
        }
        Files.writeString(work.resolve("servers.txt"), lines);
        err = new ByteArrayOutputStream();
        List<String> all = new ArrayList<>(List.of("servers.txt"));
        all.addAll(List.of(args));
        return Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8), work);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final int PIECE = 128 << 10;
    private static final int PIECES = (SIZE + PIECE - 1) / PIECE;

    /** The pieces this run's servers were asked for, in part or whole. */
    private java.util.BitSet requested() {
        java.util.BitSet pieces = new java.util.BitSet();
        thisRun.stream().flatMap(s -> s.chunkRequests().stream()).map(Frame.ChunkRequest::range)
                .filter(range -> range.length() > 0)
                .forEach(range -> pieces.set((int) (range.offset() / PIECE), (int) ((range.end() - 1) / PIECE) + 1));
        return pieces;
    }

    private static java.util.BitSet all() {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, PIECES);
        return all;
    }

    /** What this run fetched: every piece not in {@code kept}, and none of those. */
    private void assertFetchedExactlyAllBut(ResumeRecord kept) {
        java.util.BitSet expected = all();
        expected.andNot(kept.done());
        assertThat(requested()).isEqualTo(expected);
    }

    private Path record() {
        return work.resolve("data.bin.part.resume");
    }

    private void assertTheFileIsCompleteAndAlone() throws IOException {
        assertThat(Files.readAllBytes(work.resolve("data.bin"))).isEqualTo(original);
        assertThat(work.resolve("data.bin.part")).doesNotExist();
        assertThat(record()).doesNotExist();
        assertThat(work.resolve("data.bin.part.resume.new")).doesNotExist();
    }

    /** A first run that gets 60 % of each range it asks for, and records the whole pieces among them. */
    private ResumeRecord interruptedRun() throws IOException {
        assertThat(run(TestServer.closesMidChunk(0.6), "2", "data.bin")).as(err()).isEqualTo(ExitCode.INCOMPLETE.code());
        assertThat(err()).contains("the same command continues from them");
        assertThat(record()).exists();
        var found = new ResumeFile(work.resolve("data.bin.part")).read();
        assertThat(found).isInstanceOf(ResumeFile.Found.Intact.class);
        ResumeRecord kept = ((ResumeFile.Found.Intact) found).record();
        assertThat(kept.pieceLength()).isEqualTo(PIECE);
        assertThat(kept.done().cardinality()).isBetween(1, PIECES - 1);
        return kept;
    }

    @Nested
    class TheNextRun {

        @Test
        void fetchesOnlyWhatIsMissingAndSaysHowMuchWasResumed() throws Exception {
            ResumeRecord kept = interruptedRun();

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());

            assertFetchedExactlyAllBut(kept);
            assertThat(err()).contains("data.bin: 4.00 MiB in")
                    .contains(", " + HumanFormat.bytes(kept.doneBytes()) + " of it resumed from the part file");
            assertTheFileIsCompleteAndAlone();
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 3, 7, 64})
        void continuesWhateverChunksAndServersItIsGiven(int chunks) throws Exception {
            ResumeRecord kept = interruptedRun();

            int code = run(List.of(TestServer.honest(), TestServer.honest(), TestServer.honest()), String.valueOf(chunks), "data.bin");

            assertThat(code).as(err()).isEqualTo(ExitCode.OK.code());
            assertFetchedExactlyAllBut(kept);
            assertTheFileIsCompleteAndAlone();
        }

        @Test
        void withNoResumeStartsOverAndSaysSo() throws Exception {
            interruptedRun();

            assertThat(run(TestServer.honest(), "2", "data.bin", "--no-resume")).as(err()).isEqualTo(ExitCode.OK.code());

            assertThat(requested()).isEqualTo(all());
            assertThat(err()).startsWith("myclient: data.bin: --no-resume: data.bin.part is not continued; starting over\n");
            assertTheFileIsCompleteAndAlone();
        }

        @Test
        void ofAFileThatChangedSizeStartsOverAndSaysSo() throws Exception {
            interruptedRun();
            original = java.util.Arrays.copyOf(original, SIZE + 1);
            Files.write(served.resolve("data.bin"), original);

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());

            assertThat(requested()).isEqualTo(all());
            assertThat(err()).startsWith("myclient: data.bin: the file on the servers changed: it has " + (SIZE + 1)
                    + " bytes, data.bin.part.resume was made for " + SIZE + "; starting over\n");
            assertTheFileIsCompleteAndAlone();
        }

        @Test
        void withoutItsPartFileStartsOver() throws Exception {
            interruptedRun();
            Files.delete(work.resolve("data.bin.part"));

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());

            assertThat(requested()).isEqualTo(all());
            assertThat(err()).startsWith("myclient: data.bin: data.bin.part is missing or empty");
            assertTheFileIsCompleteAndAlone();
        }
    }

    @Nested
    class WhereServersOfferDigests {

        private final TestServer.Fault digestsButClosesMidChunk = (request, client, server) -> {
            if (request instanceof Frame.ChunkRequest) {
                TestServer.closesMidChunk(0.6).answer(request, client, server);
            } else {
                TestServer.withTreeDigests().answer(request, client, server);
            }
        };

        /** A run against a server of this round, which gives the digest tree. */
        private int runWithDigests(TestServer.Fault fault) throws IOException {
            return run(List.of(fault), true, "2", "data.bin");
        }

        private ResumeRecord interruptedRunWithDigests() throws IOException {
            assertThat(runWithDigests(digestsButClosesMidChunk)).as(err()).isEqualTo(ExitCode.INCOMPLETE.code());
            ResumeRecord kept = ((ResumeFile.Found.Intact) new ResumeFile(work.resolve("data.bin.part")).read()).record();
            assertThat(kept.root()).as("the root the servers gave").isNotNull();
            assertThat(kept.done().cardinality()).isBetween(1, PIECES - 1);
            return kept;
        }

        @Test
        void aRecordOfAnotherVersionOfTheFileIsDiscardedWithOneLine() throws Exception {
            interruptedRunWithDigests();
            new Random(4).nextBytes(original); // same size, other bytes
            Files.write(served.resolve("data.bin"), original);

            assertThat(runWithDigests(TestServer.withTreeDigests())).as(err()).isEqualTo(ExitCode.OK.code());

            assertThat(err()).startsWith("myclient: data.bin: the file on the servers changed: its root is not the one in"
                    + " data.bin.part.resume; starting over\n");
            assertThat(requested()).isEqualTo(all());
            assertTheFileIsCompleteAndAlone();
        }

        @Test
        void donePiecesDamagedOnDiskAreFetchedAgain() throws Exception {
            ResumeRecord kept = interruptedRunWithDigests();
            int damaged = kept.done().nextSetBit(0);
            flipAByteOf(damaged);

            assertThat(runWithDigests(TestServer.withTreeDigests())).as(err()).isEqualTo(ExitCode.OK.code());

            java.util.BitSet expected = all();
            expected.andNot(kept.done());
            expected.set(damaged);
            assertThat(requested()).isEqualTo(expected);
            assertTheFileIsCompleteAndAlone();
        }

        /** What myclient(1) says: without digests a record is trusted, so damage after the fact goes unnoticed. */
        @Test
        void withoutThemADonePieceDamagedOnDiskIsTrusted() throws Exception {
            ResumeRecord kept = interruptedRun();
            int damaged = kept.done().nextSetBit(0);
            flipAByteOf(damaged);

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());

            assertFetchedExactlyAllBut(kept);
            byte[] saved = Files.readAllBytes(work.resolve("data.bin"));
            assertThat(saved[damaged * PIECE + 7]).isEqualTo((byte) (original[damaged * PIECE + 7] ^ 1));
        }

        private void flipAByteOf(int piece) throws IOException {
            try (FileChannel part = FileChannel.open(work.resolve("data.bin.part"), StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
                part.read(one, (long) piece * PIECE + 7);
                one.put(0, (byte) (one.get(0) ^ 1)).rewind();
                part.write(one, (long) piece * PIECE + 7);
            }
        }
    }

    @Nested
    class ADamagedRecord {

        @ParameterizedTest
        @ValueSource(strings = {"truncated", "zeroed", "random", "empty"})
        void isDiscardedWithOneLineAndTheDownloadStartsOver(String damage) throws Exception {
            interruptedRun();
            byte[] bytes = Files.readAllBytes(record());
            byte[] damaged = switch (damage) {
                case "truncated" -> java.util.Arrays.copyOf(bytes, bytes.length - 3);
                case "zeroed" -> new byte[bytes.length];
                case "random" -> {
                    byte[] noise = new byte[bytes.length];
                    new Random(11).nextBytes(noise);
                    yield noise;
                }
                default -> new byte[0];
            };
            Files.write(record(), damaged);

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());

            assertThat(requested()).isEqualTo(all());
            assertThat(err().lines().filter(line -> line.startsWith("myclient: ")).toList()).singleElement().asString()
                    .startsWith("myclient: data.bin: data.bin.part.resume cannot be used: ").endsWith("; starting over");
            assertTheFileIsCompleteAndAlone();
        }
    }

    @Nested
    class AnInterruption {

        @Test
        void savesTheRecordSaysWhatWasKeptAndEndsWith130() throws Exception {
            CountDownLatch halfSent = new CountDownLatch(2);
            TestServer.Fault halfThenHang = (request, client, server) -> {
                if (request instanceof Frame.ChunkRequest chunk) {
                    FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                    ByteRange half = new ByteRange(chunk.range().offset(), chunk.range().length() / 2);
                    try (FileChannel data = FileChannel.open(served.resolve("data.bin"), StandardOpenOption.READ)) {
                        long sent = 0;
                        while (sent < half.length()) {
                            sent += data.transferTo(half.offset() + sent, half.length() - sent, client);
                        }
                    }
                    halfSent.countDown();
                    server.awaitClose();
                } else {
                    TestServer.honest().answer(request, client, server);
                }
            };
            AtomicInteger code = new AtomicInteger(-1);
            Thread client = Thread.ofPlatform().start(() -> {
                try {
                    code.set(run(halfThenHang, "2", "data.bin"));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(halfSent.await(30, TimeUnit.SECONDS)).isTrue();
            client.interrupt();
            client.join();

            assertThat(code.get()).as(err()).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(err()).matches("myclient: interrupted; [0-9.]+ (MiB|KiB|B) of 4\\.00 MiB kept in data\\.bin\\.part;"
                    + " the same command continues it\n");
            assertThat(record()).exists();
            assertThat(work.resolve("data.bin")).doesNotExist();

            assertThat(run(TestServer.honest(), "2", "data.bin")).as(err()).isEqualTo(ExitCode.OK.code());
            assertTheFileIsCompleteAndAlone();
        }
    }

    @Nested
    class AFullDisk {

        private Path disk;

        @BeforeEach
        void mountASmallTmpfs() throws Exception {
            disk = Files.createDirectories(work.resolve("disk"));
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", disk.toString())
                    .redirectErrorStream(true).start();
            String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            boolean mounted = mount.waitFor() == 0;
            if (!mounted) {
                System.out.println("AFullDisk skipped: cannot mount a tmpfs here (" + said + ")");
            }
            assumeTrue(mounted, "cannot mount a tmpfs: " + said);
        }

        @AfterEach
        void unmount() throws Exception {
            // A server thread of the first run may still be closing its file there: then detach
            // the tmpfs now (lazily), and the kernel frees it once the last file is closed.
            if (new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start().waitFor() != 0) {
                assertThat(new ProcessBuilder("umount", "-l", disk.toString()).inheritIO().start().waitFor()).isZero();
            }
        }

        /**
         * Sends half of each chunk; the first server connection to get there fills the disk (as
         * another program would) but for 1 MiB, then the rest follows.
         */
        private TestServer.Fault fillsTheDiskHalfway(Path filler) {
            java.util.concurrent.atomic.AtomicBoolean filled = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch full = new CountDownLatch(1);
            return (request, client, server) -> {
                if (!(request instanceof Frame.ChunkRequest chunk)) {
                    TestServer.honest().answer(request, client, server);
                    return;
                }
                FrameEncoder.write(new Frame.ChunkReply(chunk.range()), client);
                long half = chunk.range().length() / 2;
                send(chunk.range().offset(), half, client);
                if (filled.compareAndSet(false, true)) {
                    try {
                        fill(filler, 1 << 20);
                    } finally {
                        full.countDown();
                    }
                }
                try {
                    full.await();
                } catch (InterruptedException e) {
                    return;
                }
                send(chunk.range().offset() + half, chunk.range().length() - half, client);
            };
        }

        private void send(long offset, long length, java.nio.channels.SocketChannel client) throws IOException {
            try (FileChannel data = FileChannel.open(served.resolve("data.bin"), StandardOpenOption.READ)) {
                long sent = 0;
                while (sent < length) {
                    sent += data.transferTo(offset + sent, length - sent, client);
                }
            }
        }

        private static void fill(Path filler, long leave) throws IOException {
            java.nio.ByteBuffer zeros = java.nio.ByteBuffer.allocate(64 << 10);
            var store = Files.getFileStore(filler.getParent());
            try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                for (long room = store.getUsableSpace() - leave; room > 0; room = store.getUsableSpace() - leave) {
                    out.write(zeros.clear().limit((int) Math.min(zeros.capacity(), room)));
                }
            } catch (IOException e) {
                // The client's writes took the last of the room first: the disk is full all the same.
            }
        }

        @Test
        void keepsWhatWasWrittenSaysHowMuchRoomIsNeededAndTheRerunWithRoomContinues() throws Exception {
            Path target = disk.resolve("data.bin");
            Path filler = disk.resolve("filler");

            int code = run(fillsTheDiskHalfway(filler), "2", "data.bin", "-o", target.toString());

            assertThat(code).as(err()).isEqualTo(ExitCode.LOCAL_IO.code());
            assertThat(err()).containsPattern("^myclient: cannot write .*data\\.bin\\.part: no space left on device"
                            + " \\([0-9.]+ (MiB|KiB) of 4\\.00 MiB received; it needs [0-9.]+ (MiB|KiB) more room\\);"
                            + " the bytes received are kept in .*data\\.bin\\.part, and the same command continues from them"
                            + " once there is room\n");
            assertThat(target).doesNotExist();
            ResumeRecord kept = ((ResumeFile.Found.Intact) new ResumeFile(disk.resolve("data.bin.part")).read()).record();
            assertThat(kept.doneBytes()).isPositive();

            Files.delete(filler);
            assertThat(run(TestServer.honest(), "2", "data.bin", "-o", target.toString())).as(err()).isEqualTo(ExitCode.OK.code());

            assertFetchedExactlyAllBut(kept);
            assertThat(Files.readAllBytes(target)).isEqualTo(original);
            assertThat(disk.resolve("data.bin.part")).doesNotExist();
            assertThat(disk.resolve("data.bin.part.resume")).doesNotExist();
        }
    }
}
