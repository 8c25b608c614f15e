package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.HttpTestMirror;
import chunk.client.testing.TestCertificates;
import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from HTTP(S) mirrors: Jetty serving a folder, and scripted mirrors that fail as bad ones do. */
@Timeout(60)
class HttpMirrorsTests {

    private static final int FILE_SIZE = (3 << 20) + 555;

    @TempDir
    Path served;
    @TempDir
    Path saved;
    @TempDir
    Path keys;

    private final TestServers servers = new TestServers();
    private byte[] bytes;
    private Path file;

    @BeforeEach
    void createTheServedFile() throws IOException {
        file = served.resolve("data.bin");
        bytes = TestServers.randomFile(file, FILE_SIZE, 11);
    }

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private DownloadOptions options(int chunks) {
        return DownloadOptions.defaults(chunks).withDirectory(saved).withFsync(false)
                .withConnectTimeout(Duration.ofSeconds(2)).withStallTimeout(Duration.ofSeconds(2));
    }

    private DownloadResult download(DownloadOptions options, ServerAddress... from) throws InterruptedException {
        return Downloader.create(List.of(from), options).download("data.bin");
    }

    private HttpTestMirror jetty() throws Exception {
        return servers.closedAtTheEnd(HttpTestMirror.serving(served));
    }

    private HttpTestMirror scripted(HttpTestMirror.Script script) throws Exception {
        return servers.closedAtTheEnd(HttpTestMirror.scripted(file, script));
    }

    private void assertSavedRight(DownloadResult result) throws IOException {
        assertThat(result).as("%s", result).isInstanceOf(DownloadResult.Completed.class);
        assertThat(Files.readAllBytes(saved.resolve("data.bin"))).isEqualTo(bytes);
    }

    private void assertNothingSaved() {
        assertThat(saved.resolve("data.bin")).doesNotExist();
    }

    private static ServerReport report(DownloadResult result, ServerAddress server) {
        List<ServerReport> reports = switch (result) {
            case DownloadResult.Completed done -> done.reports();
            case DownloadResult.Incomplete incomplete -> incomplete.reports();
            default -> List.of();
        };
        return reports.stream().filter(r -> r.server().equals(server)).findFirst().orElseThrow();
    }

    @Nested
    class FromARealServer {

        @Test
        void twoFolderUrlsGiveTheFileUnverifiedInRangesOnly() throws Exception {
            HttpTestMirror one = jetty();
            HttpTestMirror two = jetty();

            DownloadResult result = download(options(6), one.folder(), two.folder("localhost"));

            assertSavedRight(result);
            var done = (DownloadResult.Completed) result;
            assertThat(done.verification().status()).isEqualTo(Verification.Status.UNVERIFIED);
            assertThat(done.reports()).allSatisfy(r -> assertThat(r.bytes()).as("%s delivered", r.server()).isPositive());
            List<String> asked = new ArrayList<>(one.ranges());
            asked.addAll(two.ranges());
            assertThat(asked).as("every request asks for a range").allMatch(r -> r.matches("bytes=\\d+-\\d+"));
        }

        @Test
        void aFileUrlIsTheFileWhateverItIsCalledHere() throws Exception {
            HttpTestMirror mirror = jetty();

            DownloadResult result = download(options(3), mirror.file("data.bin"));

            assertSavedRight(result);
        }

        @Test
        void aNameThatIsNotThereIsNotFound() throws Exception {
            HttpTestMirror mirror = jetty();

            DownloadResult result = Downloader.create(List.of(mirror.folder()), options(2)).download("missing.bin");

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).singleElement().satisfies(f -> {
                        assertThat(f.kind()).isEqualTo(ServerFailure.Kind.NOT_FOUND);
                        assertThat(f.reason()).contains("404");
                    }));
        }

        @Test
        void anEmptyFileIsSavedEmpty() throws Exception {
            Files.write(file, new byte[0]);
            bytes = new byte[0];
            HttpTestMirror mirror = jetty();

            assertSavedRight(download(options(2), mirror.folder()));
        }
    }

    @Nested
    class BesideAChunkServerWithDigests {

        @Test
        void anHttpMirrorThatFlipsABitIsLeftOutAndTheFileIsRight() throws Exception {
            TestServer digests = servers.serving(served, TestServer.withDigests());
            HttpTestMirror flips = scripted((n, data, first, last, request, response, callback) -> {
                byte[] damaged = data.clone();
                damaged[(int) first] ^= 1;
                HttpTestMirror.partial(damaged, first, last, "\"v1\"", response, callback);
                return true;
            });

            DownloadResult result = download(options(8), digests.address(), flips.file("data.bin"));

            assertSavedRight(result);
            assertThat(((DownloadResult.Completed) result).verification().status()).isEqualTo(Verification.Status.VERIFIED);
            ServerReport http = report(result, flips.file("data.bin"));
            assertThat(http.leftOut()).isNotNull();
            assertThat(http.failures()).extracting(ServerFailure::kind).contains(ServerFailure.Kind.BAD_DATA);
        }
    }

    @Nested
    class BadMirrors {

        /** Answers every data request (not the census's first byte) as {@code bad} does. */
        private HttpTestMirror badAfterTheCensus(HttpTestMirror.Script bad) throws Exception {
            return scripted((n, data, first, last, request, response, callback) ->
                    n > 0 && bad.answer(n, data, first, last, request, response, callback));
        }

        @Test
        void oneThatAnswersARangeWithTheWholeFileIsLeftOutAtOnce() throws Exception {
            HttpTestMirror whole = scripted((n, data, first, last, request, response, callback) -> {
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, data.length);
                response.write(true, ByteBuffer.wrap(data), callback);
                return true;
            });

            DownloadResult alone = download(options(4), whole.file("data.bin"));

            assertThat(alone).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).singleElement()
                            .satisfies(f -> assertThat(f.kind()).isEqualTo(ServerFailure.Kind.NO_RANGES)));
            assertNothingSaved();

            DownloadResult beside = download(options(4), whole.file("data.bin"), jetty().folder());

            assertSavedRight(beside);
        }

        @Test
        void oneThatSendsAnotherRangeIsNotWrittenAnywhere() throws Exception {
            HttpTestMirror shifted = badAfterTheCensus((n, data, first, last, request, response, callback) -> {
                long from = first == 0 ? 1 : first - 1;
                HttpTestMirror.partial(data, from, from + (last - first), "\"v1\"", response, callback);
                return true;
            });

            DownloadResult alone = download(options(2), shifted.file("data.bin"));

            assertThat(alone).isInstanceOfSatisfying(DownloadResult.Incomplete.class, incomplete ->
                    assertThat(incomplete.failed()).flatExtracting(ChunkOutcome.Failed::failures)
                            .extracting(ServerFailure::kind).containsOnly(ServerFailure.Kind.BAD_REPLY));
            assertNothingSaved();

            assertSavedRight(download(options(4), shifted.file("data.bin"), jetty().folder()));
        }

        @Test
        void oneWhoseBodyIsShorterThanItsContentRangeIsCutShort() throws Exception {
            HttpTestMirror shortBody = badAfterTheCensus((n, data, first, last, request, response, callback) -> {
                response.setStatus(206);
                response.getHeaders().put(HttpHeader.CONTENT_RANGE, "bytes " + first + "-" + last + "/" + data.length);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, last - first + 1);
                // Half the body, then the connection ends: Jetty aborts a response shorter than its length.
                response.write(true, ByteBuffer.wrap(data, (int) first, (int) ((last - first + 1) / 2)), callback);
                return true;
            });

            DownloadResult alone = download(options(2), shortBody.file("data.bin"));

            assertThat(alone).isInstanceOf(DownloadResult.Incomplete.class);
            assertNothingSaved();
            assertSavedRight(download(options(4), shortBody.file("data.bin"), jetty().folder()));
        }

        @Test
        void oneWhoseFileChangesMidDownloadIsLeftOutAndNothingOfTheNewFileIsWritten() throws Exception {
            HttpTestMirror changing = badAfterTheCensus((n, data, first, last, request, response, callback) -> {
                if (n < 3) {
                    return false;
                }
                // If-Range names "v1", which is gone: the whole new version, as RFC 9110 has it.
                byte[] newer = data.clone();
                Arrays.fill(newer, (byte) 7);
                response.setStatus(200);
                response.getHeaders().put(HttpHeader.ETAG, "\"v2\"");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, newer.length);
                response.write(true, ByteBuffer.wrap(newer), callback);
                return true;
            });

            DownloadResult alone = download(options(8), changing.file("data.bin"));

            assertThat(alone).isInstanceOfSatisfying(DownloadResult.Incomplete.class, incomplete ->
                    assertThat(incomplete.failed()).flatExtracting(ChunkOutcome.Failed::failures)
                            .extracting(ServerFailure::kind).contains(ServerFailure.Kind.CHANGED));
            assertNothingSaved();
            byte[] part = Files.readAllBytes(saved.resolve("data.bin.part"));
            for (int i = 0; i < part.length; i++) {
                if (part[i] != 0 && part[i] != bytes[i]) {
                    throw new AssertionError("byte " + i + " of the part file is neither the old file's nor unwritten");
                }
            }
        }

        @Test
        void aRedirectLoopIsGivenUpOn() throws Exception {
            HttpTestMirror loop = scripted((n, data, first, last, request, response, callback) -> {
                response.setStatus(302);
                response.getHeaders().put(HttpHeader.LOCATION, "/data.bin");
                callback.succeeded();
                return true;
            });

            DownloadResult result = download(options(2), loop.file("data.bin"));

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).singleElement().satisfies(f ->
                            assertThat(f.reason()).contains("redirected more than 10 times")));
            assertThat(loop.ranges()).hasSize(11);
        }

        @Test
        void oneThatIsBusyForASecondIsAskedAgainAfterItsRetryAfter() throws Exception {
            HttpTestMirror busy = scripted((n, data, first, last, request, response, callback) -> {
                if (n >= 2) {
                    return false;
                }
                response.setStatus(503);
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                callback.succeeded();
                return true;
            });

            long start = System.nanoTime();
            DownloadResult result = download(options(2), busy.file("data.bin"));

            assertSavedRight(result);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("it waited as asked").isGreaterThan(Duration.ofSeconds(1));
        }
    }

    @Nested
    class Resumed {

        @Test
        void fromAnotherVersionOfTheSameOriginStartsOverWithOneLine() throws Exception {
            var version = new java.util.concurrent.atomic.AtomicReference<>("\"v1\"");
            var firstRun = new java.util.concurrent.atomic.AtomicBoolean(true);
            HttpTestMirror mirror = scripted((n, data, from, last, request, response, callback) -> {
                if (firstRun.get() && n >= 2) {
                    Response.writeError(request, response, callback, 500);
                } else {
                    HttpTestMirror.partial(data, from, last, version.get(), response, callback);
                }
                return true;
            });
            DownloadResult first = download(options(2), mirror.file("data.bin"));
            assertThat(first).isInstanceOf(DownloadResult.Incomplete.class);
            assertThat(saved.resolve("data.bin.part.resume")).exists();
            firstRun.set(false);
            version.set("\"v2\"");
            HttpTestMirror newer = mirror;
            List<String> why = new java.util.concurrent.CopyOnWriteArrayList<>();
            DownloadResult second = Downloader.create(List.of(newer.file("data.bin")), options(2), new DownloadListener() {
                @Override
                public void startedOver(String fileName, String reason) {
                    why.add(reason);
                }
            }).download("data.bin");

            assertSavedRight(second);
            assertThat(why).singleElement().asString().contains("changed", "\"v2\"", "\"v1\"");
            assertThat(((DownloadResult.Completed) second).resumedBytes()).isZero();
        }
    }

    @Nested
    class OverHttps {

        @Test
        void aMirrorWithAPrivateCertificateIsTrustedWithCaCert() throws Exception {
            TestCertificates.Made certificate = TestCertificates.make(keys, "dns:localhost,ip:127.0.0.1");
            HttpTestMirror mirror = servers.closedAtTheEnd(HttpTestMirror.serving(served, certificate.keyStore()));

            DownloadResult untrusted = download(options(2), mirror.folder());

            assertThat(untrusted).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).singleElement().satisfies(f -> {
                        assertThat(f.kind()).isEqualTo(ServerFailure.Kind.TLS);
                        assertThat(f.reason()).contains("--ca-cert");
                    }));

            var trusted = options(4).toBuilder().trustedCertificates(
                    List.copyOf(chunk.client.testing.TestCertificates.read(certificate.pem()))).build();
            assertSavedRight(download(trusted, mirror.folder()));
        }

        @Test
        void aCertificateForAnotherHostIsRefusedEvenWhenTrusted() throws Exception {
            TestCertificates.Made certificate = TestCertificates.make(keys, "dns:elsewhere.test");
            HttpTestMirror mirror = servers.closedAtTheEnd(HttpTestMirror.serving(served, certificate.keyStore()));
            var trusted = options(2).toBuilder().trustedCertificates(
                    List.copyOf(chunk.client.testing.TestCertificates.read(certificate.pem()))).build();

            DownloadResult result = download(trusted, mirror.folder());

            assertThat(result).isInstanceOfSatisfying(DownloadResult.Unavailable.class, unavailable ->
                    assertThat(unavailable.failures()).singleElement()
                            .satisfies(f -> assertThat(f.kind()).isEqualTo(ServerFailure.Kind.TLS)));
            assertNothingSaved();
        }
    }
}
