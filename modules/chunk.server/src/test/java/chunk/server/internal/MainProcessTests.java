package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code myserver} as the real program, in its own JVM, as a user or a script would. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MainProcessTests {

    static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);
    static final Pattern STARTUP = Pattern.compile("myserver (\\S+) listening on 127\\.0\\.0\\.1:(\\d+), serving (.+)");

    @TempDir
    Path root;
    @TempDir
    Path logs;
    final List<Process> started = new ArrayList<>();
    /** The next process's {@code XDG_CACHE_HOME}, if not the default of these tests. */
    @Nullable Path cacheHomeForNext;

    @TempDir
    Path forNobody;

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    Process myserver(String... args) throws IOException {
        return start(List.of(), System.getProperty("jdk.module.path"), args);
    }

    /**
     * myserver as the user {@code nobody}, through {@code setpriv}: for tests that need a file the
     * server cannot read while they run as root. Its module path is a copy of the build's own
     * folders in a folder everyone may read: the checkout may lie in a folder only root can enter
     * (a fresh clone under {@code mktemp -d}), and the Maven repository may be root's alone.
     */
    Process myserverAsNobody(String... args) throws IOException {
        Files.setPosixFilePermissions(forNobody, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> copies = new ArrayList<>();
        for (String entry : System.getProperty("jdk.module.path").split(java.io.File.pathSeparator)) {
            if (entry.contains("/target/")) {
                Path copy = forNobody.resolve(copies.size() + "-" + Path.of(entry).getFileName());
                copyReadableByAll(Path.of(entry), copy);
                copies.add(copy.toString());
            }
        }
        return start(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"),
                String.join(java.io.File.pathSeparator, copies), args);
    }

    private static void copyReadableByAll(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path copy = to.resolve(from.relativize(path).toString());
                Files.copy(path, copy);
                Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString(
                        Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private Process start(List<String> prefix, String modulePath, String... args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-preview",
                "-p", modulePath, "-m", "chunk.server/chunk.server.internal.Main"));
        command.addAll(List.of(args));
        // To a file: a pipe of a process that has exited may already be closed when the test reads it.
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(logs.resolve("stderr-" + started.size()).toFile());
        // The default digest cache is under $XDG_CACHE_HOME: here, not in the home folder of whoever runs the tests.
        builder.environment().put("XDG_CACHE_HOME", (cacheHomeForNext != null ? cacheHomeForNext : logs.resolve("cache")).toString());
        cacheHomeForNext = null;
        Process process = builder.start();
        started.add(process);
        return process;
    }

    String stderrOf(Process process) throws IOException {
        return Files.readString(logs.resolve("stderr-" + started.indexOf(process)));
    }

    @Test
    void servesUntilSigtermThenExitsZero() throws Exception {
        Files.writeString(root.resolve("hello.txt"), "hello, chunked world!\n");
        Process server = myserver("0", "--bind", "127.0.0.1", "--root", root.toString());
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Matcher startup = STARTUP.matcher(String.valueOf(out.readLine()));
        assertThat(startup.matches()).as("the startup line").isTrue();
        assertThat(Path.of(startup.group(3))).isEqualTo(root.toRealPath());

        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(startup.group(2)));
        try (SocketChannel client = SocketChannel.open(address)) {
            FrameEncoder.write(new Frame.SizeRequest("hello.txt"), client);
            assertThat(FrameDecoder.readReply(client)).isEqualTo(new Frame.SizeReply(22));
        }
        assertThat(out.readLine()).matches("\\S+ 127\\.0\\.0\\.1:\\d+ SIZE hello\\.txt - ok 0 B \\d+\\.\\d ms");

        server.destroy(); // SIGTERM
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isZero();
        assertThat(stderrOf(server)).isEmpty();
    }

    @Test
    void verboseStopsOnSigintWithExitZeroAndOnlyLinesInItsOwnForm() throws Exception {
        Process server = myserver("0", "--bind", "127.0.0.1", "--root", root.toString(), "-v");
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        assertThat(STARTUP.matcher(String.valueOf(out.readLine())).matches()).as("the startup line").isTrue();

        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(server.pid())).start().waitFor()).isZero(); // Ctrl-C
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(server.exitValue()).isZero();
        assertThat(stderrOf(server)).doesNotContain("Runtime.exit").doesNotContain("Throwable");
        assertThat(stderrOf(server).lines()).allMatch(line -> line.startsWith("myserver: "));
    }

    @Test
    void verboseSaysAHeaderTimeoutInOneLineWithoutAnException() throws Exception {
        Process server = myserver("0", "--bind", "127.0.0.1", "--root", root.toString(), "--verbose",
                "--header-timeout", "0.2");
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Matcher startup = STARTUP.matcher(String.valueOf(out.readLine()));
        assertThat(startup.matches()).as("the startup line").isTrue();

        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(startup.group(2)));
        try (SocketChannel client = SocketChannel.open(address)) {
            client.write(java.nio.ByteBuffer.wrap(new byte[5])); // part of a header, and then nothing
            assertThat(client.read(java.nio.ByteBuffer.allocate(1))).isEqualTo(-1);
        }
        assertThat(out.readLine()).contains(" header-timeout ");
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(stderrOf(server).lines().filter(line -> line.contains(" connection "))).singleElement().asString()
                .matches("myserver: debug: connection \\d+ from 127\\.0\\.0\\.1:\\d+: header-timeout: .*")
                .doesNotContain("Exception");
    }

    @Test
    void aFileTheServerCannotReadIsAnsweredCannotReadFileAndVerboseSaysWhy() throws Exception {
        Path locked = Files.write(root.resolve("locked.txt"), HELLO);
        Process server;
        if ("root".equals(System.getProperty("user.name"))) {
            // Root reads every file: the server runs as nobody, and the file is root's alone.
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                    "running as root without /usr/bin/setpriv (util-linux): no user to run the server as");
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("rw-------"));
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            server = myserverAsNobody("0", "--bind", "127.0.0.1", "--root", root.toString(), "--verbose");
        } else {
            Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
            server = myserver("0", "--bind", "127.0.0.1", "--root", root.toString(), "--verbose");
        }
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        Matcher startup = STARTUP.matcher(String.valueOf(out.readLine()));
        assertThat(startup.matches()).as("the startup line; stderr: %s", stderrOf(server)).isTrue();

        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(startup.group(2)));
        try (SocketChannel client = SocketChannel.open(address)) {
            FrameEncoder.write(new Frame.SizeRequest("locked.txt"), client);
            assertThat(FrameDecoder.readReply(client)).isEqualTo(new Frame.ErrorReply("cannot read file"));
        }
        assertThat(out.readLine()).contains(" SIZE locked.txt - cannot-read ");
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(stderrOf(server)).contains("myserver: debug: connection ").contains(": cannot read ");
    }

    @Test
    void aBadPortIsOneLineOnStderrAndExitCode2() throws Exception {
        Process server = myserver("70000");
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(2);
        assertThat(stderrOf(server))
                .isEqualTo("myserver: bad port 70000: give a number from 0 to 65535; see myserver --help" + System.lineSeparator());
    }

    @Test
    void aMissingRootIsExitCode2() throws Exception {
        Process server = myserver("0", "--root", root.resolve("nope").toString());
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(server.exitValue()).isEqualTo(2);
        assertThat(stderrOf(server)).startsWith("myserver: no such folder: ");
    }

    @Test
    void aPortInUseIsExitCode3() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Process server = myserver(String.valueOf(taken.getLocalPort()), "--bind", "127.0.0.1", "--root", root.toString());
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(3);
            String stderr = stderrOf(server);
            assertThat(stderr).startsWith("myserver: cannot listen on 127.0.0.1:" + taken.getLocalPort()).doesNotContain("\tat ")
                    .contains("choose another port (is another server running?)");
            assertThat(stderr.lines()).hasSize(1);
        }
    }

    @Nested
    class Digests {

        /** 40000 bytes, byte i being i mod 251: the file of the vectors of digest-tree.txt. */
        static byte[] treeBin() {
            byte[] bytes = new byte[40_000];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (i % 251);
            }
            return bytes;
        }

        @Test
        void printRootPrintsBep52sPiecesRootOfEachFileAsSha256sumWould() throws Exception {
            Path hello = Files.write(root.resolve("hello.txt"), HELLO);
            Path tree = Files.write(root.resolve("tree.bin"), treeBin());

            Process printer = myserver("--print-root", hello.toString(), tree.toString());

            assertThat(printer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(printer.exitValue()).isZero();
            // libtorrent 2.0.8 wrote these roots for the two files (wire-vectors/digest-tree.txt).
            assertThat(new String(printer.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
                    "5dfb660b425d2414e18c39bc0ace60ce0e1499c152694e04afeebe39af01d5f6  " + hello + "\n"
                    + "ab671631a9fa97a1fdac651fff6c68773b9acf0735b9c7f6ecdd54cbf1bf5dc2  " + tree + "\n");
            assertThat(stderrOf(printer)).isEmpty();
        }

        @Test
        void aFileThatCannotBeReadIsOneLineAndExitCode1AndTheOthersAreStillPrinted() throws Exception {
            Path hello = Files.write(root.resolve("hello.txt"), HELLO);

            Process printer = myserver("--print-root", root.resolve("missing.bin").toString(), root.toString(), hello.toString());

            assertThat(printer.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(printer.exitValue()).isEqualTo(1);
            assertThat(stderrOf(printer).lines()).containsExactly(
                    "myserver: cannot read " + root.resolve("missing.bin") + ": no such file",
                    "myserver: cannot read " + root + ": a folder, not a file");
            assertThat(new String(printer.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).endsWith("  " + hello + "\n");
        }

        @Test
        void aDigestCacheInsideTheServedFolderIsOneLineAndExitCode2() throws Exception {
            Process server = myserver("0", "--bind", "127.0.0.1", "--root", root.toString(), "--digest-cache",
                    root.resolve("digests").toString());

            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(server.exitValue()).isEqualTo(2);
            assertThat(stderrOf(server).lines()).singleElement().asString()
                    .startsWith("myserver: the digest cache folder " + root.resolve("digests") + " is inside the served folder ")
                    .endsWith("; give another folder with --digest-cache, or none");
            assertThat(root.resolve("digests")).doesNotExist();
        }

        @Test
        void aDefaultCacheInsideTheServedFolderCostsAWarningAndMemoryOnly() throws Exception {
            Files.createDirectories(root.resolve(".cache"));
            Process server = myserverWithCacheHome(root.resolve(".cache"), "0", "--bind", "127.0.0.1", "--root", root.toString());
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));

            assertThat(STARTUP.matcher(String.valueOf(out.readLine())).matches()).as("the startup line").isTrue();
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(stderrOf(server).lines()).singleElement().asString().startsWith("myserver: the digest cache folder ")
                    .endsWith("; digests are kept in memory only (choose a folder with --digest-cache)");
            assertThat(root.resolve(".cache/chunk")).doesNotExist();
        }

        @Test
        void byDefaultTheFolderIsHashedInTheBackgroundIntoTheUsersCacheFolderAndOnlyAskedFilesWithout() throws Exception {
            Files.write(root.resolve("a.bin"), treeBin());
            Files.write(root.resolve("b.bin"), HELLO);
            Path cacheHome = Files.createDirectories(logs.resolve("home-cache"));

            Process withBackground = myserverWithCacheHome(cacheHome, "0", "--bind", "127.0.0.1", "--root", root.toString());
            Path entries = cacheHome.resolve("chunk/digests");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (countEntries(entries) < 2) {
                assertThat(System.nanoTime()).as("both files hashed within 30 s").isLessThan(deadline);
                Thread.sleep(20);
            }
            withBackground.destroy();
            assertThat(withBackground.waitFor(30, TimeUnit.SECONDS)).isTrue();

            Path otherHome = Files.createDirectories(logs.resolve("other-cache"));
            Process onDemand = myserverWithCacheHome(otherHome, "0", "--bind", "127.0.0.1", "--root", root.toString(),
                    "--no-background-hashing");
            BufferedReader out = new BufferedReader(new InputStreamReader(onDemand.getInputStream(), StandardCharsets.UTF_8));
            Matcher startup = STARTUP.matcher(String.valueOf(out.readLine()));
            assertThat(startup.matches()).isTrue();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(startup.group(2)));
            try (var session = new KeptOpenConnectionTests.Session(address)) {
                session.send(KeptOpenConnectionTests.bytes(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_TREE_VERSION)));
                session.in.readNBytes(Frame.HEADER_BYTES);
                Frame.Reply reply = session.ask(new Frame.DigestRequest("a.bin", 0, 16384));
                assertThat(((Frame.DigestReply) reply).root()).isEqualTo(
                        chunk.wire.Digest.fromHex("ab671631a9fa97a1fdac651fff6c68773b9acf0735b9c7f6ecdd54cbf1bf5dc2"));
            }
            onDemand.destroy();
            assertThat(onDemand.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(countEntries(otherHome.resolve("chunk/digests"))).as("a.bin only: nothing hashed unasked").isEqualTo(1);
        }

        static long countEntries(Path folder) throws IOException {
            if (!Files.isDirectory(folder)) {
                return 0;
            }
            try (var entries = Files.list(folder)) {
                return entries.filter(path -> path.getFileName().toString().endsWith(".tree")).count();
            }
        }
    }

    Process myserverWithCacheHome(Path cacheHome, String... args) throws IOException {
        cacheHomeForNext = cacheHome;
        return myserver(args);
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        Process help = myserver("--help");
        assertThat(help.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(help.exitValue()).isZero();
        assertThat(new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).startsWith("Usage: myserver <port>");
        Process version = myserver("--version");
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).matches("myserver \\S+\\R");
    }
}
