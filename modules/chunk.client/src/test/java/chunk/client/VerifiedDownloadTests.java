package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class VerifiedDownloadTests {

    private static final int FILE_SIZE = (3 << 20) + 777;

    @TempDir
    Path served;
    @TempDir
    Path damagedCopy;
    @TempDir
    Path saved;

    private final TestServers servers = new TestServers();
    private byte[] bytes;

    @BeforeEach
    void createTheServedFileAndADamagedCopyOfTheSameSize() throws IOException {
        bytes = TestServers.randomFile(served.resolve("data.bin"), FILE_SIZE, 7);
        byte[] damaged = bytes.clone();
        damaged[FILE_SIZE / 3] ^= 1;
        Files.write(damagedCopy.resolve("data.bin"), damaged);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private TestServer start(Path root, TestServer.Fault fault) throws IOException {
        return servers.serving(root, fault);
    }

    /** A server of this round with the file: it gives the digest tree. */
    private TestServer good() throws IOException {
        return servers.closedAtTheEnd(TestServer.keepingOpen(served, TestServer.withTreeDigests()));
    }

    /** A server of this round with a damaged copy of the same size. */
    private TestServer damaged() throws IOException {
        return servers.closedAtTheEnd(TestServer.keepingOpen(damagedCopy, TestServer.withTreeDigests()));
    }

    private DownloadOptions options(int chunks) {
        return DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false)
                .withConnectTimeout(Duration.ofSeconds(2)).withStallTimeout(Duration.ofSeconds(1));
    }

    private DownloadResult download(DownloadOptions options, TestServer... from) throws InterruptedException {
        return Downloader.create(java.util.Arrays.stream(from).map(TestServer::address).toList(), options).download("data.bin");
    }

    private String sha256() {
        return HexFormat.of().formatHex(Digest.newSha256().digest(bytes));
    }

    /** The file's digest-tree root: what --root takes and the summary names. */
    private String root() {
        TreeHasher tree = new TreeHasher(bytes.length);
        tree.update(bytes, 0, bytes.length);
        return tree.finish().root().hex();
    }

    private void assertTheRightFile() throws IOException {
        assertThat(Files.readAllBytes(saved.resolve("data.bin"))).isEqualTo(bytes);
        assertThat(saved.resolve("data.bin.part")).doesNotExist();
    }

    @Nested
    class FromServersThatGiveDigests {

        @Test
        void isVerifiedAndSaysItsRoot() throws Exception {
            DownloadResult result = download(options(4), good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
                assertThat(done.verification().root()).isEqualTo(root());
            });
            assertTheRightFile();
        }

        @Test
        void leavesOutADamagedMirrorOfTheSameSizeAskedFirst() throws Exception {
            TestServer bad = damaged();

            DownloadResult result = download(options(4), bad, good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.servers()).doesNotContain(bad.address());
                assertThat(done.reports().getFirst().leftOut()).isNotNull();
            });
            assertThat(bad.chunkRequests()).isEmpty();
            assertTheRightFile();
        }

        @Test
        void stopsBeforeAnyDataWhenOneMirrorStandsAgainstOne() throws Exception {
            TestServer bad = damaged();
            TestServer fine = good();

            DownloadResult result = download(options(4), bad, fine);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Disputed.class, disputed -> {
                assertThat(disputed.claims()).hasSize(2);
                assertThat(disputed.claims().get(0)).startsWith(bad.address() + " says " + FILE_SIZE + " bytes, root ");
                assertThat(disputed.claims().get(1)).isEqualTo(fine.address() + " says " + FILE_SIZE + " bytes, root " + root());
            });
            assertThat(bad.chunkRequests()).isEmpty();
            assertThat(fine.chunkRequests()).isEmpty();
            assertThat(saved).isEmptyDirectory();
        }

        @Test
        void letsTheSha256BreakATieBetweenOneMirrorAndOne() throws Exception {
            DownloadResult result = download(options(4).withSha256(sha256()), damaged(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.verification().sha256()).isEqualTo(sha256());
                assertThat(done.reports().getFirst().leftOut()).startsWith("says " + FILE_SIZE + " bytes, root ")
                        .endsWith(", not the file --sha256 names");
            });
            assertTheRightFile();
        }

        @Test
        void usesOnlyTheServersWithThePinnedRoot() throws Exception {
            TestServer bad = damaged();

            DownloadResult result = download(options(4).withRoot(root()), bad, good());

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(bad.chunkRequests()).isEmpty();
            assertTheRightFile();
        }

        @Test
        void saysOfAServerLeftOutByThePinnedRootWhichRootItHas() throws Exception {
            TestServer bad = damaged();
            TestServer fine = good();
            TestServer alsoBad = damaged();

            DownloadResult result = download(options(4).withRoot(root()), bad, fine, alsoBad);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                String damagedRoot = done.reports().getFirst().leftOut();
                assertThat(damagedRoot).matches("has root [0-9a-f]{8}…, not the one given with --root")
                        .doesNotStartWith("has root " + root().substring(0, 8));
                assertThat(done.reports().get(2).leftOut()).isEqualTo(damagedRoot);
                assertThat(done.reports().get(1).leftOut()).isNull();
            });
            assertTheRightFile();
        }

        @Test
        void saysWhatEachGroupOfATieGaveWhenNoneMatchesTheSha256() throws Exception {
            TestServer bad = damaged();
            TestServer fine = good();

            DownloadResult result = download(options(4).withSha256("ab".repeat(32)), bad, fine);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.ChecksumMismatch.class, mismatch -> {
                assertThat(mismatch.tried()).extracting(DownloadResult.ChecksumMismatch.Attempt::servers)
                        .containsExactly(List.of(bad.address()), List.of(fine.address()));
                assertThat(mismatch.tried().get(1).actual()).isEqualTo(sha256());
                assertThat(mismatch.tried().get(0).actual()).isNotEqualTo(sha256());
            });
            assertThat(saved).isEmptyDirectory();
        }

        @Test
        void refusesWhenNoServerHasThePinnedRoot() throws Exception {
            DownloadResult result = download(options(4).withRoot("00".repeat(32)), good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Disputed.class,
                    disputed -> assertThat(disputed.problem()).isEqualTo("no server has the file with root " + "00".repeat(32) + " (--root)"));
            assertThat(saved).isEmptyDirectory();
        }

        @Test
        void fetchesAgainFromAnotherServerWhatAFlippedBitSpoiledAndLeavesTheSenderOut() throws Exception {
            TestServer flipper = start(served, TestServer.flipsABit(false));

            DownloadResult result = download(options(4), flipper, good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
                assertThat(done.reports().getFirst().leftOut()).contains("do not match their digest");
            });
            assertTheRightFile();
        }

        @Test
        void neverSavesAFileRewrittenOnTheServersDuringTheDownload() throws Exception {
            AtomicBoolean rewritten = new AtomicBoolean();
            TestServer.Fault rewriting = (request, client, server) -> {
                if (request instanceof Frame.ChunkRequest && rewritten.compareAndSet(false, true)) {
                    byte[] other = bytes.clone();
                    for (int i = 0; i < other.length; i += 4096) {
                        other[i] ^= (byte) 0xff;
                    }
                    // In place, as a writer that does not write a temporary file first.
                    try (var channel = java.nio.channels.FileChannel.open(served.resolve("data.bin"),
                            java.nio.file.StandardOpenOption.WRITE)) {
                        channel.write(java.nio.ByteBuffer.wrap(other), 0);
                    }
                }
                TestServer.withDigests().answer(request, client, server);
            };

            DownloadResult result = download(options(4), start(served, rewriting), start(served, rewriting));

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Incomplete.class, incomplete ->
                    assertThat(incomplete.reports()).allSatisfy(report -> assertThat(report.leftOut()).contains("do not match")));
            assertThat(saved.resolve("data.bin.part")).exists();
            assertThat(saved.resolve("data.bin")).doesNotExist();
        }
    }

    @Nested
    class AServerThatAnswersLate {

        private TestServer.Fault answeringAfter(long millis, TestServer.Fault then) {
            return (request, client, server) -> {
                if (request instanceof Frame.DigestRequest) {
                    java.util.concurrent.locks.LockSupport.parkNanos(millis * 1_000_000);
                }
                then.answer(request, client, server);
            };
        }

        @Test
        void joinsTheDownloadOnceItsAnswerAgrees() throws Exception {
            // 48 chunks of 64 KiB; the two that answer at once take 16 connections each, at
            // 64 KiB/s apiece, so that 16 chunks still wait for a connection when it joins.
            TestServer late = start(served, answeringAfter(200, TestServer.withDigests()));
            TestServer first = start(served, TestServer.paced(64 << 10));
            TestServer second = start(served, TestServer.paced(64 << 10));

            DownloadResult result = download(options(48), late, first, second);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.reports().getFirst().bytes()).isPositive());
            assertTheRightFile();
        }

        @Test
        void isLeftOutWhenItsAnswerDoesNot() throws Exception {
            TestServer late = start(damagedCopy, answeringAfter(200, TestServer.withDigests()));

            DownloadResult result = download(options(4), late, good(), good());

            assertThat(result).isInstanceOf(DownloadResult.Completed.class);
            assertThat(late.chunkRequests()).isEmpty();
            assertTheRightFile();
        }
    }

    @Nested
    class ASizeLargerThanTheFreeSpace {

        @Test
        void isRefusedBeforeThePartFileIsMade() throws Exception {
            TestServer.Fault huge = TestServer.liesAboutSize(1L << 60);

            DownloadResult result = download(options(4), start(served, huge), start(served, huge));

            assertThat(result).isInstanceOfSatisfying(DownloadResult.LocalFailure.class,
                    failure -> {
                        assertThat(failure.reason()).isEqualTo(DownloadResult.LocalFailure.Reason.NO_ROOM);
                        assertThat(failure.detail()).startsWith("it needs 1.00 EiB but only ");
                    });
            assertThat(saved).isEmptyDirectory();
        }
    }

    @Nested
    class TheWholeFilesSha256 {

        @Test
        void thatMatchesIsSaid() throws Exception {
            DownloadResult result = download(options(3).withSha256(sha256().toUpperCase()), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.verification().sha256()).isEqualTo(sha256()));
            assertTheRightFile();
        }

        @Test
        void thatDoesNotMatchLeavesNoFileAtAll() throws Exception {
            DownloadResult result = download(options(3).withSha256("ab".repeat(32)), good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.ChecksumMismatch.class, mismatch -> {
                assertThat(mismatch.expected()).isEqualTo("ab".repeat(32));
                assertThat(mismatch.actual()).isEqualTo(sha256());
            });
            assertThat(saved).isEmptyDirectory();
        }
    }

    @Nested
    class FromVersionOneServers {

        @Test
        void onlyWorksAsBeforeAndSaysUnverified() throws Exception {
            TestServer first = start(served, TestServer.honest());
            TestServer second = start(served, TestServer.honest());

            DownloadResult result = download(options(4), first, second);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.verification().status()).isEqualTo(Verification.Status.UNVERIFIED);
                assertThat(done.verification().root()).isNull();
            });
            assertThat(first.requests()).filteredOn(Frame.DigestRequest.class::isInstance).hasSize(1);
            assertTheRightFile();
        }

        @Test
        void checksTheirDataAgainstTheOthersDigestsAndLeavesOutOneThatIsDamaged() throws Exception {
            TestServer flipper = start(served, TestServer.flipsABit(true));

            DownloadResult result = download(options(4), flipper, good(), good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class, done -> {
                assertThat(done.verification().status()).isEqualTo(Verification.Status.VERIFIED);
                assertThat(done.reports().getFirst().leftOut()).contains("do not match their digest");
            });
            assertTheRightFile();
        }

        @Test
        void thatAgreeWithTheOthersOnTheSizeTakePart() throws Exception {
            TestServer old = start(served, TestServer.honest());

            DownloadResult result = download(options(4), old, good());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.servers()).contains(old.address()));
            assertTheRightFile();
        }
    }

    @Nested
    class WithoutVerification {

        @Test
        void asksNoDigestsAndSaysOff() throws Exception {
            TestServer server = good();

            DownloadResult result = download(options(2).withVerify(false), server);

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Completed.class,
                    done -> assertThat(done.verification().status()).isEqualTo(Verification.Status.OFF));
            assertThat(server.requests()).noneMatch(Frame.DigestRequest.class::isInstance);
            assertTheRightFile();
        }
    }
}
