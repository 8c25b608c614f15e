package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import chunk.client.testing.TestServers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(60)
class MainTests {

    @TempDir
    Path served;
    @TempDir
    Path work;

    private final TestServers servers = new TestServers();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private boolean stdinRead;

    @AfterEach
    void stopTheServers() throws Exception {
        servers.close();
    }

    private int run(String stdin, String... args) {
        InputStream in = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                stdinRead = true;
                return super.read(b, off, len);
            }
        };
        return Main.run(args, in, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), work);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private Path serversFile(TestServer.Fault... faults) throws IOException {
        StringBuilder lines = new StringBuilder("# test servers\n\n");
        for (TestServer.Fault fault : faults) {
            TestServer server = servers.serving(served, fault);
            lines.append(server.address().host()).append(' ').append(server.address().port()).append('\n');
        }
        return Files.writeString(work.resolve("servers.txt"), lines);
    }

    private Path servedFile(String name, int size) throws IOException {
        Path file = served.resolve(name);
        TestServers.randomFile(file, size, size);
        return file;
    }

    @Nested
    class ADownload {

        @Test
        void readsTheNameFromAPipeAndSaysWhatItDid() throws Exception {
            Path original = servedFile("readme.txt", 100_000);
            serversFile(TestServer.honest(), TestServer.honest());

            int code = run("readme.txt\n", "servers.txt", "4", "--no-fsync");

            assertThat(code).isZero();
            assertThat(work.resolve("readme.txt")).hasSameBinaryContentAs(original);
            assertThat(err()).matches("readme\\.txt: 97\\.7 KiB in [0-9.]+ s, 4 chunks from 2 servers,"
                    + " unverified \\(no server gives digests\\)\n"
                    + "  127\\.0\\.0\\.1:\\d+ [0-9.]+ KiB; 127\\.0\\.0\\.1:\\d+ [0-9.]+ KiB\n");
            assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        }

        @Test
        void downloadsEveryNameReadInOneRun() throws Exception {
            Path first = servedFile("a.bin", 5_000);
            Path second = servedFile("b.bin", 7_000);
            serversFile(TestServer.honest());

            int code = run("a.bin\n\nb.bin\n", "servers.txt", "3", "--quiet");

            assertThat(code).isZero();
            assertThat(work.resolve("a.bin")).hasSameBinaryContentAs(first);
            assertThat(work.resolve("b.bin")).hasSameBinaryContentAs(second);
            assertThat(err()).isEmpty();
        }

        @Test
        void takesNamesFromTheCommandLineWithoutReadingStandardInput() throws Exception {
            Path original = servedFile("a.bin", 5_000);
            serversFile(TestServer.honest());

            int code = run("", "--quiet", "servers.txt", "2", "a.bin", "-o", "copy.bin");

            assertThat(code).isZero();
            assertThat(work.resolve("copy.bin")).hasSameBinaryContentAs(original);
            assertThat(stdinRead).isFalse();
        }

        @Test
        void triesEveryNameAndExitsWithTheFirstFailure() throws Exception {
            Path good = servedFile("good.bin", 1_000);
            serversFile(TestServer.honest());

            int code = run("missing.bin\ngood.bin\n", "servers.txt", "2");

            assertThat(code).isEqualTo(4);
            assertThat(work.resolve("good.bin")).hasSameBinaryContentAs(good);
        }

        @Test
        void showsEachConnectionWhenVerbose() throws Exception {
            servedFile("a.bin", 10_000);
            serversFile(TestServer.honest());

            run("a.bin\n", "servers.txt", "2", "--verbose");

            assertThat(err()).contains("unverified (no server gives digests)\n");
            assertThat(err()).contains("myclient: connecting to 127.0.0.1:", "for the size of a.bin", "for bytes [0, 4096) of a.bin");
        }
    }

    @Nested
    class TheOutput {

        @Test
        void dashIsStandardOutputAndTheSummaryStaysOnStandardError() throws Exception {
            Path original = servedFile("a.bin", 5_000);
            serversFile(TestServer.honest());

            int code = run("", "servers.txt", "2", "-o", "-", "a.bin");

            assertThat(code).isZero();
            assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(original));
            assertThat(err()).startsWith("a.bin saved as standard output: 4.88 KiB in ");
            assertThat(work.resolve("-")).doesNotExist();
        }

        @Test
        void dashWritesNothingForADownloadThatFails() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.closesMidChunk(0.5));

            int code = run("", "servers.txt", "2", "-o", "-", "a.bin");

            assertThat(code).isEqualTo(5);
            assertThat(out.toByteArray()).isEmpty();
            // Only whole pieces count as received: the half that arrived is not kept.
            assertThat(err()).endsWith("  1000 of 1000 bytes are missing; nothing is kept to continue from\n");
        }

        @Test
        void dashStreamsAFileOfManyPiecesInOrderAsTheyAreVerified() throws Exception {
            Path original = servedFile("a.bin", 3 << 20);
            serversFile(TestServer.withDigests(), TestServer.withDigests(), TestServer.closesMidChunk(0.3));

            int code = run("", "servers.txt", "8", "-o", "-", "a.bin");

            assertThat(code).as(err()).isZero();
            assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(original));
            assertThat(err()).startsWith("a.bin saved as standard output: 3.00 MiB in ").contains(", verified\n");
            try (var left = Files.list(work)) {
                assertThat(left.map(p -> p.getFileName().toString())).containsExactly("servers.txt");
            }
        }

        @Test
        void dashWithSha256WritesTheFileOnlyOnceItMatches() throws Exception {
            Path original = servedFile("a.bin", 200_000);
            serversFile(TestServer.honest(), TestServer.honest());
            String sha256 = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(original)));

            assertThat(run("", "servers.txt", "4", "-o", "-", "--sha256", "00".repeat(32), "a.bin")).isEqualTo(9);
            assertThat(out.toByteArray()).as("nothing of a file that does not match").isEmpty();

            assertThat(run("", "servers.txt", "4", "-o", "-", "--sha256", sha256, "a.bin")).as(err()).isZero();
            assertThat(out.toByteArray()).isEqualTo(Files.readAllBytes(original));
        }

        @Test
        void aCharacterDeviceIsWrittenThroughAndStaysADevice() throws Exception {
            servedFile("a.bin", 100_000);
            serversFile(TestServer.honest());
            Path devNull = Path.of("/dev/null");

            int code = run("", "servers.txt", "2", "-o", devNull.toString(), "a.bin");

            assertThat(code).as(err()).isZero();
            assertThat(err()).startsWith("a.bin saved as /dev/null: ");
            assertThat(Files.isRegularFile(devNull)).isFalse();
            assertThat(Files.exists(Path.of("/dev/null.part"))).isFalse();
        }

        @Test
        void endingInASlashIsAFolderThatMustExist() throws Exception {
            Path original = servedFile("a.bin", 1_000);
            serversFile(TestServer.honest());

            assertThat(run("", "servers.txt", "2", "-o", "nosuchdir/", "a.bin")).isEqualTo(6);
            assertThat(err()).isEqualTo("myclient: no such folder: nosuchdir/; create it first (a name ending in / is a folder)\n");
            assertThat(work.resolve("nosuchdir")).doesNotExist();

            Files.createDirectory(work.resolve("there"));
            assertThat(run("", "servers.txt", "2", "-o", "there/", "a.bin")).isZero();
            assertThat(work.resolve("there/a.bin")).hasSameBinaryContentAs(original);
        }

        @Test
        void thatIsALinkIsNeverReplacedEvenWithForce() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.honest());
            Path elsewhere = Files.writeString(work.resolve("elsewhere.txt"), "kept");
            Files.createSymbolicLink(work.resolve("link.bin"), elsewhere);

            int code = run("", "servers.txt", "2", "--force", "-o", "link.bin", "a.bin");

            assertThat(code).isEqualTo(6);
            assertThat(err()).startsWith("myclient: link.bin is not a regular file");
            assertThat(Files.isSymbolicLink(work.resolve("link.bin"))).isTrue();
            assertThat(elsewhere).hasContent("kept");
        }

        @Test
        void thatIsAFifoIsNeverReplacedEvenWithForce() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.honest());
            Path fifo = work.resolve("fifo");
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
            assertThat(mkfifo.waitFor()).isZero();

            int code = run("", "servers.txt", "2", "--force", "-o", "fifo", "a.bin");

            assertThat(code).isEqualTo(6);
            assertThat(err()).startsWith("myclient: fifo is not a regular file");
            assertThat(Files.isRegularFile(fifo)).isFalse();
        }

        @Test
        void ofAnEmptyFileSaysSoWithoutARateOrChunks() throws Exception {
            servedFile("empty.bin", 0);
            serversFile(TestServer.honest());

            assertThat(run("", "servers.txt", "4", "empty.bin")).isZero();

            assertThat(err()).isEqualTo("empty.bin: an empty file (0 B)\n");
        }

        @Test
        void namesAServerThatFailedWhenAnotherTookOver() throws Exception {
            Path original = servedFile("a.bin", 2_000);
            serversFile(TestServer.closesMidChunk(0.5), TestServer.honest());

            assertThat(run("", "servers.txt", "2", "a.bin")).isZero();

            assertThat(work.resolve("a.bin")).hasSameBinaryContentAs(original);
            // The line of what each server did names the one that failed before the other took over.
            assertThat(err()).containsPattern("\n  127\\.0\\.0\\.1:\\d+ nothing, 1 failure; 127\\.0\\.0\\.1:\\d+ 1\\.95 KiB\n");
        }

        @Test
        void nameThatIsVeryLongIsShortenedInMessages() throws Exception {
            serversFile(TestServer.honest());

            int code = run("", "servers.txt", "2", "d".repeat(3000) + ".bin");

            assertThat(code).isEqualTo(4);
            assertThat(err().lines().findFirst().orElseThrow()).hasSizeLessThan(200).contains("…");
        }
    }

    @Nested
    class AFailedDownload {

        @Test
        void thatNoServerCanProvideSaysCannotTransferThisFileWithEachReason() throws Exception {
            serversFile(TestServer.honest(), TestServer.error("fopen error"));

            int code = run("nothing.bin\n", "servers.txt", "2");

            assertThat(code).isEqualTo(4);
            assertThat(err()).startsWith("Cannot transfer this file: nothing.bin\n")
                    .containsPattern("  127\\.0\\.0\\.1:\\d+: server says \"stat error\"\n")
                    .containsPattern("  127\\.0\\.0\\.1:\\d+: server says \"fopen error\"\n");
        }

        @Test
        void thatMissesChunksSaysNotAllChunksAreDownloadedAndKeepsThePartFile() throws Exception {
            // Two chunks of five 4 KiB pieces; the server sends two and a half pieces of each.
            servedFile("a.bin", 40_960);
            serversFile(TestServer.closesMidChunk(0.5));

            int code = run("a.bin\n", "servers.txt", "2");

            assertThat(code).isEqualTo(5);
            assertThat(err()).startsWith("not all chunks are downloaded: a.bin (2 chunks missing)\n")
                    .containsPattern("  chunks 0-1 \\(16384 bytes received\\):\n"
                            + "    127\\.0\\.0\\.1:\\d+: connection closed after 10240 of 20480 bytes\n")
                    .endsWith("  24576 of 40960 bytes are missing; the bytes received are kept in a.bin.part,"
                            + " and the same command continues from them\n");
            assertThat(work.resolve("a.bin")).doesNotExist();
            assertThat(work.resolve("a.bin.part")).exists();
        }

        @Test
        void ofManyChunksIsGroupedInAFewLinesAndListedWholeWhenVerbose() throws Exception {
            servedFile("a.bin", 200 * 32_768);
            serversFile(TestServer.closesMidChunk(0.5), TestServer.error("fopen error"));

            int code = run("a.bin\n", "servers.txt", "200");

            assertThat(code).isEqualTo(5);
            assertThat(err()).startsWith("not all chunks are downloaded: a.bin (200 chunks missing)\n")
                    .containsPattern("\n  chunks 0-\\d+.* \\(\\d+ bytes received\\):\n"
                            + "    127\\.0\\.0\\.1:\\d+: (connection closed after \\d+ of \\d+ bytes"
                            + "|closed the connection before its reply was complete)\n")
                    .containsPattern("\n  \\d+ of 6553600 bytes are missing; the bytes received are kept in a.bin.part,"
                            + " and the same command continues from them\n");
            assertThat(err().lines()).hasSizeLessThanOrEqualTo(Summary.MAX_GROUP_LINES + 3);

            err.reset();
            Files.delete(work.resolve("a.bin.part"));
            run("a.bin\n", "servers.txt", "200", "--verbose");

            assertThat(err()).contains("  chunk 199, bytes [6520832, 6553600)");
        }

        @Test
        void thatTheServersDisagreeOnNamesEachServerAndExitsWith8() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.honest(), TestServer.liesAboutSize(5));

            int code = run("a.bin\n", "servers.txt", "2");

            assertThat(code).isEqualTo(8);
            assertThat(err()).startsWith("myclient: the servers disagree on a.bin and no group of them is larger than the others;"
                            + " nothing was downloaded\n")
                    .containsPattern("  127\\.0\\.0\\.1:\\d+ says 1000 bytes \\(it gives no digests\\)\n")
                    .containsPattern("  127\\.0\\.0\\.1:\\d+ says 1005 bytes \\(it gives no digests\\)\n")
                    .endsWith("  pin the file with --sha256 <hex> (as its publisher gives it) or --root <hex>\n");
            assertThat(work.resolve("a.bin")).doesNotExist();
            assertThat(work.resolve("a.bin.part")).doesNotExist();
        }

        @Test
        void thatDoesNotMatchTheSha256SavesNothingAndExitsWith9() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.withDigests());

            int code = run("", "servers.txt", "2", "a.bin", "--sha256", "12".repeat(32));

            assertThat(code).isEqualTo(9);
            assertThat(err()).startsWith("myclient: a.bin does not match --sha256: its SHA-256 is ")
                    .endsWith(", not " + "12".repeat(32) + "; nothing was saved as a.bin\n");
            assertThat(work.resolve("a.bin")).doesNotExist();
            assertThat(work.resolve("a.bin.part")).doesNotExist();
        }

        @Test
        void thatWouldReplaceAFileIsRefused() throws Exception {
            servedFile("a.bin", 1_000);
            Files.writeString(work.resolve("a.bin"), "mine");
            serversFile(TestServer.honest());

            int code = run("a.bin\n", "servers.txt", "2");

            assertThat(code).isEqualTo(6);
            assertThat(err()).isEqualTo("myclient: a.bin already exists; use --force to replace it\n");
            assertThat(work.resolve("a.bin")).hasContent("mine");
        }

        @Test
        void intoAFolderThatDoesNotExistSaysSo() throws Exception {
            servedFile("a.bin", 1_000);
            serversFile(TestServer.honest());

            int code = run("a.bin\n", "servers.txt", "2", "-o", "nodir/a.bin");

            assertThat(code).isEqualTo(6);
            assertThat(err()).isEqualTo("myclient: cannot create nodir/a.bin.part: no such file or folder\n");
            assertThat(work.resolve("nodir")).doesNotExist();
        }
    }

    @Nested
    class BadInput {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
            "servers.txt 0|myclient: <chunks> must be a positive integer, not '0'",
            "servers.txt -4|myclient: <chunks> must be a positive integer, not '-4'",
            "servers.txt four|myclient: <chunks> must be a positive integer, not 'four'",
            "servers.txt 100000000|myclient: <chunks> is at most 10000 (each chunk is a thread and a request of its own), not 100000000",
            "servers.txt|myclient: missing <chunks> after the servers file",
            "servers.txt 4 --bogus|myclient: unknown option '--bogus'",
            "servers.txt 4 --quiet=no|myclient: --quiet takes no value",
            "servers.txt 4 --timeout|myclient: --timeout needs a value",
            "servers.txt 4 --timeout 5 a.bin --timeout=9|myclient: --timeout given twice; give it once",
        })
        void isAUsageErrorInOneLineThatPointsAtTheHelp(String args, String message) throws Exception {
            serversFile(TestServer.honest());

            int code = run("a.bin\n", args.split(" "));

            assertThat(code).isEqualTo(2);
            assertThat(err()).isEqualTo(message + "; see myclient --help\n");
            assertThat(stdinRead).as("standard input read").isFalse();
        }

        @Test
        void isABadServersFileLineReportedAsFileLine() throws Exception {
            Files.writeString(work.resolve("servers.txt"), "localhost 4000\n\nlocalhost\n");

            int code = run("a.bin\n", "servers.txt", "4");

            assertThat(code).isEqualTo(3);
            assertThat(err()).isEqualTo("myclient: servers.txt:3: expected 'host port' or a folder's URL, found 'localhost'\n");
            assertThat(stdinRead).isFalse();
        }

        @Test
        void isNoFileNameAtAll() throws Exception {
            serversFile(TestServer.honest());

            int code = run("\n  \n", "servers.txt", "2");

            assertThat(code).isEqualTo(2);
            assertThat(err()).isEqualTo("myclient: no file name given; name the file after <chunks>, or on standard input; see myclient --help\n");
        }

        @Test
        void isAMissingServersFile() {
            int code = run("a.bin\n", "nowhere.txt", "4");

            assertThat(code).isEqualTo(3);
            assertThat(err()).isEqualTo("myclient: cannot read servers file nowhere.txt: no such file\n");
        }

        @Test
        void isAFileNameTooLongForTheProtocol() throws Exception {
            serversFile(TestServer.honest());

            int code = run("x".repeat(5000) + "\n", "servers.txt", "4");

            assertThat(code).isEqualTo(2);
            assertThat(err()).contains("a file name is limited to 4095 bytes");
        }
    }

    @Nested
    class ServersOnTheCommandLine {

        private chunk.client.testing.HttpTestMirror jetty() throws Exception {
            return servers.closedAtTheEnd(chunk.client.testing.HttpTestMirror.serving(served));
        }

        @Test
        void areTheUrlsOfOneFileOnSeveralMirrors() throws Exception {
            Path file = servedFile("data.bin", 700_000);

            int code = run("", jetty().file("data.bin").toString(), jetty().folder() + "data.bin");

            assertThat(code).as(err()).isEqualTo(0);
            assertThat(work.resolve("data.bin")).hasSameBinaryContentAs(file);
            assertThat(err()).contains("data.bin: ", "unverified");
        }

        @Test
        void mixMyserversAndHttpFoldersWithS() throws Exception {
            Path file = servedFile("data.bin", 3_000_000);
            TestServer withDigests = servers.serving(served, TestServer.withDigests());

            int code = run("", "-s", withDigests.address().toString(), "-s", jetty().folder().toString(), "-n", "3", "data.bin",
                    "--verbose");

            assertThat(code).as(err()).isEqualTo(0);
            assertThat(work.resolve("data.bin")).hasSameBinaryContentAs(file);
            assertThat(err()).contains(", verified");
        }

        @Test
        void aServerWhereTheServersFileGoesSaysWhatToWriteInstead() {
            int code = run("", "127.0.0.11:4000", "4", "one.bin");

            assertThat(code).isEqualTo(3);
            assertThat(err()).isEqualTo("myclient: cannot read servers file 127.0.0.11:4000: no such file; to give a server on"
                    + " the command line, write: myclient -s 127.0.0.11:4000 -n 4 one.bin\n");
        }

        @Test
        void aCaCertThatIsNoCertificateIsAUsageError() throws Exception {
            Files.writeString(work.resolve("ca.pem"), "not a certificate\n");

            int code = run("", "--ca-cert", "ca.pem", "http://127.0.0.1:1/data.bin");

            assertThat(code).isEqualTo(2);
            assertThat(err()).startsWith("myclient: --ca-cert ca.pem: ").endsWith("; see myclient --help\n");
        }
    }

    @Nested
    class HelpAndVersion {

        @Test
        void printTheUsageAndExitCodesOnStandardOutput() {
            assertThat(run("", "--help")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Usage: myclient " + CommandLine.SYNOPSES.getFirst()).contains("Exit codes:");
        }

        @Test
        void listEveryExitCodeWithItsMeaning() {
            assertThat(run("", "--help")).isZero();
            String help = out.toString(StandardCharsets.UTF_8).replaceAll("\\s+", " ");
            for (ExitCode exit : ExitCode.values()) {
                assertThat(help).contains(exit.code() + " " + exit.meaning());
            }
        }

        @Test
        void printTheVersion() {
            assertThat(run("", "--version")).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("myclient ");
        }
    }
}
