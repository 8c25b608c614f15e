package chunk.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The end-to-end check of what users run: the image's own {@code bin/myserver} and
 * {@code bin/myclient}, as processes, with no JDK on the {@code PATH} and no
 * {@code JAVA_HOME}, over loopback.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ImageSmokeTests {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+),");

    private final Path image = Path.of(System.getProperty("chunk.image", "target/image")).toAbsolutePath();
    private final List<Process> servers = new ArrayList<>();

    @TempDir
    Path work;

    private Path toolsOnly;

    @BeforeEach
    void pathWithoutAnyJdk() throws IOException {
        // The launchers need only sh and (for a symlink) readlink; a PATH with just that proves
        // that nothing outside the image provides Java.
        toolsOnly = Files.createDirectories(work.resolve("tools"));
        for (String tool : List.of("readlink")) {
            Files.createSymbolicLink(toolsOnly.resolve(tool), Path.of("/usr/bin", tool));
        }
    }

    @AfterEach
    void stopServersAndRemoveTools() throws InterruptedException, IOException {
        for (Process server : servers) {
            server.destroyForcibly().waitFor();
        }
        // Removed here, so that JUnit does not warn about links that lead out of its temporary folder.
        for (String tool : List.of("readlink")) {
            Files.deleteIfExists(toolsOnly.resolve(tool));
        }
    }

    @Test
    void twoServersAndTheClientMoveAFileIntact() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        byte[] data = new byte[5 * 1024 * 1024 + 17];
        new Random(42).nextBytes(data);
        Files.write(served.resolve("data.bin"), data);

        int first = startServer(served, "first");
        int second = startServer(served, "second");
        Path serversFile = Files.writeString(work.resolve("servers.txt"),
                "127.0.0.1 " + first + "\n127.0.0.1 " + second + "\n");
        Path downloads = Files.createDirectories(work.resolve("downloads"));

        Process client = launcher("myclient", serversFile.toString(), "4")
                .directory(downloads.toFile())
                .redirectOutput(work.resolve("client.out").toFile())
                .redirectError(work.resolve("client.err").toFile())
                .start();
        client.getOutputStream().write("data.bin\n".getBytes());
        client.getOutputStream().close();

        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
        assertThat(client.exitValue())
                .as("client exit code; stderr: %s", Files.readString(work.resolve("client.err")))
                .isZero();
        assertThat(sha256(downloads.resolve("data.bin"))).isEqualTo(sha256(data));
        assertThat(downloads.resolve("data.bin.part")).doesNotExist();
        assertThat(Files.readString(work.resolve("client.err"))).as("the summary line").contains("data.bin");

        for (Process server : servers) {
            server.destroy(); // SIGTERM: a graceful stop
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).as("server stopped").isTrue();
            assertThat(server.exitValue()).as("server exit code after SIGTERM").isZero();
        }
    }

    /**
     * With {@code -o -} the file is standard output, so nothing else may reach it: not the
     * client's own lines, and not the JVM's, such as the launcher's {@code -XX:CompileCommand}s
     * would print without {@code CompileCommand=quiet}.
     */
    @Test
    void toStandardOutputTheLauncherWritesTheFileAndNothingElse() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        Files.write(served.resolve("out.bin"), data);
        int port = startServer(served, "only");
        Path serversFile = Files.writeString(work.resolve("servers.txt"), "127.0.0.1 " + port + "\n");

        Process client = launcher("myclient", serversFile.toString(), "4", "out.bin", "-o", "-")
                .directory(work.toFile())
                .redirectError(work.resolve("client.err").toFile())
                .start();
        byte[] written = client.getInputStream().readAllBytes();

        assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("client finished").isTrue();
        assertThat(client.exitValue()).as("exit code; stderr: %s", Files.readString(work.resolve("client.err"))).isZero();
        assertThat(written.length).as("bytes on standard output").isEqualTo(data.length);
        assertThat(sha256(written)).isEqualTo(sha256(data));
    }

    /**
     * myclient ends its process through the C library's {@code _exit} (ProcessExit): its exit
     * code and its last words must survive that.
     */
    @Test
    void theClientsExitCodeAndLastMessageSurviveItsQuickExit() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        int port = startServer(served, "only");
        Path serversFile = Files.writeString(work.resolve("servers.txt"), "127.0.0.1 " + port + "\n");

        Process client = launcher("myclient", serversFile.toString(), "4", "missing.bin")
                .directory(work.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(client.getInputStream().readAllBytes());

        assertThat(client.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(client.exitValue()).as("exit code for a file no server has; output: %s", output).isEqualTo(4);
        assertThat(output).contains("Cannot transfer this file");
        assertThat(work.resolve("missing.bin")).doesNotExist();
    }

    @Test
    void theClientLauncherUsesTheAotCacheMadeWhenTheImageWasBuilt() throws Exception {
        ProcessBuilder builder = launcher("myclient", "--version").redirectErrorStream(true);
        builder.environment().put("JAVA_OPTS", "-Xlog:aot");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes());

        assertThat(process.waitFor()).as("exit code; output: %s", output).isZero();
        assertThat(output).contains("Opened AOT cache").doesNotContain("[error");
    }

    @Test
    void bothLaunchersReportTheirVersion() throws Exception {
        for (String launcher : List.of("myserver", "myclient")) {
            Process process = launcher(launcher, "--version").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as("%s --version exit code", launcher).isZero();
            assertThat(output).as("%s --version", launcher).contains(launcher).containsPattern("\\d+\\.\\d+");
        }
    }

    @Test
    void theLaunchersRunThroughASymlinkAndFromTheirOwnFolder() throws Exception {
        Path links = Files.createDirectories(work.resolve("links"));
        Path viaLink = Files.createSymbolicLink(links.resolve("dl"), image.resolve("bin/myclient"));
        Path linkToLink = Files.createSymbolicLink(links.resolve("dl2"), Path.of("dl"));
        try {
            checkVersionThrough(viaLink, linkToLink);
        } finally {
            // Removed here, so that JUnit does not warn about links that lead out of its temporary folder.
            Files.delete(linkToLink);
            Files.delete(viaLink);
        }
    }

    private void checkVersionThrough(Path viaLink, Path linkToLink) throws IOException, InterruptedException {
        for (List<String> command : List.of(List.of(viaLink.toString(), "--version"),
                List.of(linkToLink.toString(), "--version"), List.of("/bin/sh", "myclient", "--version"))) {
            Process process = launcher("myclient").command(command).redirectErrorStream(true)
                    .directory(image.resolve("bin").toFile()).start();
            String output = new String(process.getInputStream().readAllBytes());
            assertThat(process.waitFor()).as("%s exit code; output: %s", command, output).isZero();
            assertThat(output).as("%s", command).contains("myclient").containsPattern("\\d+\\.\\d+");
        }
    }

    private int startServer(Path root, String name) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".out");
        Process server = launcher("myserver", "0", "--bind", "127.0.0.1", "--root", root.toString())
                .redirectOutput(log.toFile())
                .redirectError(work.resolve(name + ".err").toFile())
                .start();
        servers.add(server);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Matcher listening = LISTENING.matcher(Files.readString(log));
            if (listening.find()) {
                return Integer.parseInt(listening.group(2));
            }
            assertThat(server.isAlive()).as("server %s is running; stderr: %s", name,
                    Files.readString(work.resolve(name + ".err"))).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("server " + name + " printed no 'listening on' line within 30 s");
    }

    @Test
    void theClientDownloadsFromTwoHttpMirrorsAndAMyserverWithNothingButItsSummaryOnStandardError() throws Exception {
        Path served = Files.createDirectories(work.resolve("served"));
        byte[] data = new byte[3 * 1024 * 1024 + 5];
        new Random(7).nextBytes(data);
        Files.write(served.resolve("data.bin"), data);
        List<Server> mirrors = List.of(httpMirror(served), httpMirror(served));
        try {
            int myserver = startServer(served, "myserver");
            Path downloads = Files.createDirectories(work.resolve("downloads"));
            Process client = launcher("myclient", "-s", "127.0.0.1:" + myserver,
                    url(mirrors.get(0)) + "data.bin", url(mirrors.get(1)) + "data.bin", "-o", "copy.bin")
                    .directory(downloads.toFile())
                    .redirectOutput(work.resolve("http.out").toFile())
                    .redirectError(work.resolve("http.err").toFile())
                    .start();

            assertThat(client.waitFor(60, TimeUnit.SECONDS)).as("the client finished").isTrue();
            String said = Files.readString(work.resolve("http.err"));
            assertThat(client.exitValue()).as("exit code; stderr: %s", said).isZero();
            assertThat(sha256(downloads.resolve("copy.bin"))).isEqualTo(sha256(data));
            // Every line is myclient's own: no SLF4J warning, no stack trace from a missing class.
            assertThat(said.lines()).first().asString().startsWith("data.bin saved as copy.bin: 3.00 MiB in ")
                    .endsWith(", verified");
            assertThat(said).doesNotContain("SLF4J", "Exception", "WARNING");
            assertThat(Files.readString(work.resolve("http.out"))).isEmpty();
        } finally {
            for (Server mirror : mirrors) {
                mirror.stop();
            }
        }
    }

    /** Jetty's resource handler serving {@code root} on a loopback port: ranges and ETags as a production server gives them. */
    private static Server httpMirror(Path root) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(files).newResource(root));
        files.setDirAllowed(false);
        files.setEtags(true);
        server.setHandler(files);
        server.start();
        return server;
    }

    private static String url(Server mirror) {
        return "http://127.0.0.1:" + ((ServerConnector) mirror.getConnectors()[0]).getLocalPort() + "/";
    }

    private ProcessBuilder launcher(String name, String... args) {
        List<String> command = new ArrayList<>();
        command.add(image.resolve("bin").resolve(name).toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> environment = builder.environment();
        environment.remove("JAVA_HOME");
        environment.remove("JAVA_TOOL_OPTIONS");
        environment.remove("JDK_JAVA_OPTIONS");
        environment.put("PATH", toolsOnly.toString());
        // myserver keeps its digest trees under $XDG_CACHE_HOME: in the test's folder, not the tester's home.
        environment.put("XDG_CACHE_HOME", work.resolve("xdg-cache").toString());
        return builder;
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        return sha256(Files.readAllBytes(file));
    }

    private static String sha256(byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
