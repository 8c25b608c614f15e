package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class DownloaderTests {

    private static final int FILE_SIZE = (1 << 20) + 12_345;
    /** Where chunk 1 of 2 starts: 17 pieces of 64 KiB, 8 in the first chunk. */
    private static final int HALF = 8 * 64 << 10;
    /** Where the chunks of 4 start: 33 pieces of 32 KiB, 8, 8, 8 and 9 of them. */
    private static final int QUARTER = 8 * 32 << 10;

    @TempDir
    Path served;
    @TempDir
    Path saved;

    private final TestServers servers = new TestServers();
    private Path original;

    @BeforeEach
    void createTheServedFile() throws IOException {
        original = randomFile("data.bin", FILE_SIZE);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private Path randomFile(String name, int size) throws IOException {
        Path file = served.resolve(name);
        TestServers.randomFile(file, size, size);
        return file;
    }

    private TestServer start(TestServer.Fault fault) throws IOException {
        return servers.serving(served, fault);
    }

    private TestServer start() throws IOException {
        return start(TestServer.honest());
    }

    private DownloadOptions options(int chunks) {
        return DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false)
                .withConnectTimeout(Duration.ofSeconds(2)).withStallTimeout(Duration.ofSeconds(1));
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<ServerAddress> addresses(TestServer... servers) {
        return java.util.Arrays.stream(servers).<ServerAddress>map(TestServer::address).toList();
    }

    @Nested
    class TheHappyPath {

        @ParameterizedTest(name = "{0} chunks from {1} servers")
        @CsvSource({"1,1", "2,1", "4,1", "64,1", "1,3", "2,3", "4,3", "64,3", "1,20", "2,20", "4,20", "64,20"})
        void givesTheSameBytesAsTheServedFile(int chunks, int serverCount) throws Exception {
            List<ServerAddress> addresses = new ArrayList<>();
            for (int i = 0; i < serverCount; i++) {
                addresses.add(start().address());
            }

            DownloadResult result = Downloader.create(addresses, options(chunks)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.file()).isEqualTo(saved.resolve("data.bin"));
                assertThat(done.size()).isEqualTo(FILE_SIZE);
                // Chunk i starts on server i (PieceMapTests); which servers deliver in the end also
                // depends on their speed, as a connection that is done takes over a slower one's work.
                assertThat(done.servers()).isNotEmpty().isSubsetOf(addresses);
            });
            assertThat(sha256(saved.resolve("data.bin"))).isEqualTo(sha256(original));
            assertThat(saved.resolve("data.bin.part")).doesNotExist();
        }

        @Test
        void spreadsTheChunksOverTheServersRoundRobin() throws Exception {
            TestServer first = start();
            TestServer second = start();

            Downloader.create(addresses(first, second), options(4)).download("data.bin");

            // Chunks that finish early may take over the back half of another: only the chunks' starts are fixed.
            assertThat(first.chunkRequests()).extracting(r -> r.range().offset()).contains(0L, 2L * QUARTER)
                    .doesNotContain(1L * QUARTER, 3L * QUARTER);
            assertThat(second.chunkRequests()).extracting(r -> r.range().offset()).contains(1L * QUARTER, 3L * QUARTER)
                    .doesNotContain(0L, 2L * QUARTER);
        }

        @Test
        void createsAnEmptyFileForAnEmptyOne() throws Exception {
            Files.write(served.resolve("empty.txt"), new byte[0]);

            DownloadResult result = Downloader.create(addresses(start()), options(4)).download("empty.txt");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("empty.txt")).exists().isEmptyFile();
        }

        @Test
        void usesOneChunkPerPieceWhenThereAreMoreChunksThanPieces() throws Exception {
            Path small = randomFile("small.txt", 10);
            Path three = randomFile("three.bin", 3 * 4096);
            TestServer server = start();

            DownloadResult result = Downloader.create(addresses(server), options(64)).download("small.txt");
            DownloadResult threeResult = Downloader.create(addresses(server), options(64)).download("three.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(threeResult).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("small.txt")).hasSameBinaryContentAs(small);
            assertThat(saved.resolve("three.bin")).hasSameBinaryContentAs(three);
            assertThat(server.chunkRequests()).extracting(Frame.ChunkRequest::range).containsExactlyInAnyOrder(
                    new ByteRange(0, 10), new ByteRange(0, 4096), new ByteRange(4096, 4096), new ByteRange(8192, 4096));
        }

        @Test
        void savesAPathUnderItsBaseNameInTheWorkingFolder() throws Exception {
            Files.createDirectories(served.resolve("sub"));
            Files.copy(original, served.resolve("sub/inner.bin"));

            DownloadResult result = Downloader.create(addresses(start()), options(2)).download("sub/inner.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("inner.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void savesWhereTheOutputOptionSays() throws Exception {
            Path folder = Files.createDirectories(saved.resolve("downloads"));
            Downloader.create(addresses(start()), options(2).withOutput(Path.of("downloads"))).download("data.bin");
            Downloader.create(addresses(start()), options(2).withOutput(Path.of("copy.bin"))).download("data.bin");

            assertThat(folder.resolve("data.bin")).hasSameBinaryContentAs(original);
            assertThat(saved.resolve("copy.bin")).hasSameBinaryContentAs(original);
        }
    }

    @Nested
    class AServerThat {

        @Test
        void isDownIsSkipped() throws Exception {
            TestServer good = start();

            DownloadResult result = Downloader.create(List.of(TestServer.down(), good.address()), options(4)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    // Left out for what happened to it, not as a server that was merely late.
                    done -> assertThat(done.reports().getFirst().leftOut()).isEqualTo("connection refused"));
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void hasAnUnknownHostIsSkipped() throws Exception {
            // Resolved from the build's hosts file, never from a DNS server off the machine.
            assertThat(System.getProperty("jdk.net.hosts.file")).as("the tests' hosts file").endsWith("test-hosts");
            TestServer good = start();
            var unknown = ServerAddress.of("no-such-host.invalid", 4000);

            DownloadResult result = Downloader.create(List.of(unknown, good.address()), options(2)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
        }

        @Test
        void answersErrorIsSkipped() throws Exception {
            TestServer failing = start(TestServer.error("fopen error"));
            TestServer good = start();

            DownloadResult result = Downloader.create(addresses(failing, good), options(4)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.servers()).containsExactly(good.address()));
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void closesMidChunkIsFollowedByAnotherAskedOnlyForTheRest() throws Exception {
            TestServer breaking = start(TestServer.closesMidChunk(0.5));
            TestServer good = start();

            DownloadResult result = Downloader.create(addresses(breaking, good), options(2)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
            // Half of chunk 0's eight pieces arrive: the next server is asked for the other four only.
            ByteRange firstChunk = new ByteRange(0, HALF);
            assertThat(breaking.chunkRequests()).extracting(Frame.ChunkRequest::range).first().isEqualTo(firstChunk);
            assertThat(good.chunkRequests()).extracting(Frame.ChunkRequest::range)
                    .contains(firstChunk.remainderAfter(HALF / 2))
                    .doesNotContain(firstChunk);
            // Nobody is asked again for the pieces that arrived (under load the end-game may hand
            // the breaking server a later part again, but never what it already delivered).
            assertThat(breaking.chunkRequests().subList(1, breaking.chunkRequests().size()))
                    .extracting(Frame.ChunkRequest::range)
                    .allSatisfy(range -> assertThat(range.offset()).isGreaterThanOrEqualTo(HALF / 2));
        }

        @Test
        void closesConnectionsWithoutReplyingIsAskedAgainAsABusyOneIs() throws Exception {
            TestServer crowded = start(TestServer.dropsFirst(2));

            DownloadResult result = Downloader.create(addresses(crowded), options(2)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void hangsIsGivenUpAfterTheStallTimeout() throws Exception {
            TestServer hanging = start(TestServer.hangsOnChunks());
            TestServer good = start();

            DownloadResult result = Downloader.create(addresses(hanging, good), options(2)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void sendsNothingIsReportedWithTheStallTimeout() throws Exception {
            TestServer hanging = start(TestServer.hangsOnEverything());

            DownloadResult result = Downloader.create(addresses(hanging), options(1)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).containsExactly(
                            new ServerFailure(hanging.address(), ServerFailure.Kind.STALLED, "no data for 1 s (stall timeout)")));
        }

        @Test
        void hangsOnTheSizeRequestIsGivenUpAfterTheStallTimeout() throws Exception {
            TestServer hanging = start(TestServer.hangsOnEverything());
            TestServer good = start();

            DownloadResult result = Downloader.create(addresses(hanging, good), options(1)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
        }

        @Test
        void sendsAHeaderForTheWrongRangeIsNotWrittenFrom() throws Exception {
            TestServer wrong = start(TestServer.wrongRange());
            TestServer good = start();

            DownloadResult result = Downloader.create(addresses(wrong, good), options(4)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.servers()).containsExactly(good.address()));
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void isTheOnlyOneAndSendsTheWrongRangeLeavesNoFile() throws Exception {
            TestServer wrong = start(TestServer.wrongRange());

            DownloadResult result = Downloader.create(addresses(wrong), options(2)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Incomplete.class, incomplete -> {
                assertThat(incomplete.failed()).hasSize(2);
                assertThat(incomplete.failed().getFirst().failures().getFirst().reason())
                        .isEqualTo("sent a header for bytes [1, " + (HALF + 1) + ") instead of [0, " + HALF + ")");
            });
            assertThat(saved.resolve("data.bin")).doesNotExist();
        }

        @Test
        void isTheOnlyOneAndSendsShortChunksLeavesOnlyAPartFile() throws Exception {
            TestServer breaking = start(TestServer.closesMidChunk(0.25));

            DownloadResult result = Downloader.create(addresses(breaking), options(2)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Incomplete.class, incomplete -> {
                assertThat(incomplete.partFile()).isEqualTo(saved.resolve("data.bin.part")).exists();
                assertThat(incomplete.failed()).extracting(ChunkOutcome.Failed::index).containsExactly(0, 1);
                // A quarter of eight pieces: the two whole ones count, the bytes of the third do not.
                assertThat(incomplete.failed().getFirst().received()).isEqualTo(HALF / 4);
                assertThat(incomplete.failed().getFirst().failures().getFirst().reason()).startsWith("connection closed after");
            });
            assertThat(saved.resolve("data.bin")).doesNotExist();
        }

        @Test
        void liesAboutTheSizeAgainstOneHonestServerStopsTheDownloadBeforeAnyData() throws Exception {
            TestServer liar = start(TestServer.liesAboutSize(1000));
            TestServer honest = start();

            DownloadResult result = Downloader.create(addresses(liar, honest), options(4)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Disputed.class, disputed -> assertThat(disputed.claims())
                    .containsExactly(liar.address() + " says " + (FILE_SIZE + 1000) + " bytes (it gives no digests)",
                            honest.address() + " says " + FILE_SIZE + " bytes (it gives no digests)"));
            assertThat(liar.chunkRequests()).isEmpty();
            assertThat(honest.chunkRequests()).isEmpty();
            assertThat(saved).isEmptyDirectory();
        }

        @Test
        void liesAboutTheSizeIsLeftOutWhenTwoOthersAgree() throws Exception {
            TestServer liar = start(TestServer.liesAboutSize(1000));
            TestServer honest = start();
            TestServer other = start();

            DownloadResult result = Downloader.create(addresses(liar, honest, other), options(4)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
            assertThat(liar.chunkRequests()).isEmpty();
        }
    }

    @Nested
    class NoServer {

        @Test
        void thatHasTheFileMeansUnavailableWithEachServersReason() throws Exception {
            TestServer first = start();
            TestServer second = start(TestServer.error("stat error"));
            ServerAddress down = TestServer.down();

            DownloadResult result = Downloader.create(List.of(first.address(), second.address(), down), options(2))
                    .download("missing.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).containsExactly(
                            new ServerFailure(first.address(), ServerFailure.Kind.SERVER_ERROR, "server says \"stat error\""),
                            new ServerFailure(second.address(), ServerFailure.Kind.SERVER_ERROR, "server says \"stat error\""),
                            new ServerFailure(down, ServerFailure.Kind.REFUSED, "connection refused")));
            assertThat(saved).isEmptyDirectory();
        }
    }

    @Nested
    class TheLocalFile {

        @Test
        void isNotReplacedWithoutForce() throws Exception {
            Path existing = Files.writeString(saved.resolve("data.bin"), "precious");

            DownloadResult result = Downloader.create(addresses(start()), options(2)).download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.LocalFailure.class,
                    failure -> assertThat(failure.reason()).isEqualTo(DownloadResult.LocalFailure.Reason.EXISTS));
            assertThat(existing).hasContent("precious");
        }

        @Test
        void isReplacedWithForce() throws Exception {
            Files.writeString(saved.resolve("data.bin"), "old");

            DownloadResult result = Downloader.create(addresses(start()), options(2).withForce(true)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("data.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void isNotReplacedWhenTheDownloadFailsEvenWithForce() throws Exception {
            Path existing = Files.writeString(saved.resolve("data.bin"), "precious");

            DownloadResult result = Downloader.create(addresses(start(TestServer.closesMidChunk(0.5))),
                    options(2).withForce(true)).download("data.bin");

            assertThat(result).isInstanceOf(DownloadResult.Incomplete.class);
            assertThat(existing).hasContent("precious");
        }

        @Test
        void isNeverOutsideTheWorkingFolder() throws Exception {
            Path inServed = Files.copy(original, served.resolve("x.bin"));
            String sha256 = sha256(inServed);

            // Both folders are in the same temporary folder: "../<served>/x.bin" from the working folder is the served file itself.
            DownloadResult result = Downloader.create(addresses(start()), options(1)).download("../" + served.getFileName() + "/x.bin");

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(saved.resolve("x.bin")).hasSameBinaryContentAs(inServed);
            assertThat(sha256(inServed)).as("the file outside the working folder").isEqualTo(sha256);
            assertThat(served.resolve("x.bin.part")).doesNotExist();
        }

        @Test
        void cannotBeNamedAfterADotDotName() throws Exception {
            DownloadResult result = Downloader.create(addresses(start()), options(1)).download("sub/..");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.LocalFailure.class,
                    failure -> assertThat(failure.reason()).isEqualTo(DownloadResult.LocalFailure.Reason.NO_FILE_NAME));
        }

        @Test
        void thatCannotBeCreatedIsALocalFailure() throws Exception {
            DownloadResult result = Downloader.create(addresses(start()), options(1).withOutput(Path.of("no/such/folder/x")))
                    .download("data.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.LocalFailure.class,
                    failure -> assertThat(failure.reason()).isEqualTo(DownloadResult.LocalFailure.Reason.CANNOT_CREATE));
        }
    }
}
