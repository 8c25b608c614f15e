package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import chunk.server.FileServer;
import chunk.server.LoopbackServer;
import chunk.server.ServerConfig;
import chunk.server.internal.digests.CacheFolderException;
import chunk.server.internal.digests.TreePass;
import chunk.wire.Digest;
import chunk.wire.Frame;
import chunk.wire.tree.DigestTree;
import chunk.wire.tree.TreeHasher;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DIGESTS from the digest tree on a real server on loopback: on a connection kept open at version
 * 2 only, byte for byte as the vectors of {@code digest-tree.txt}; flat, as in round 2, on one
 * kept open at version 1; and from the cache folder after a restart.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DigestTreeServingTests {

    static final byte[] HELLO = "hello, chunked world!\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path work;
    Path root;
    Path cache;
    final LoopbackServer myserver = new LoopbackServer();

    @BeforeEach
    void files() throws IOException {
        root = Files.createDirectories(work.resolve("served"));
        cache = work.resolve("cache");
        Files.write(root.resolve("hello.txt"), HELLO);
        byte[] tree = new byte[40_000];
        for (int i = 0; i < tree.length; i++) {
            tree[i] = (byte) (i % 251);
        }
        Files.write(root.resolve("tree.bin"), tree);
        Files.write(root.resolve("empty.txt"), new byte[0]);
    }

    @AfterEach
    void stop() {
        myserver.close();
    }

    InetSocketAddress start(ServerConfig.Builder config) throws IOException {
        return myserver.start(config.build()).address();
    }

    ServerConfig.Builder withCache() {
        return LoopbackServer.loopback(root).digestCache(cache);
    }

    static DigestTree treeOf(byte[] bytes) {
        TreeHasher hasher = new TreeHasher(bytes.length);
        hasher.update(bytes, 0, bytes.length);
        return hasher.finish();
    }

    /** chunk.wire's {@code wire-vectors/digest-tree.txt} (copied by the build), in the order of the session. */
    static Map<String, byte[]> vectors() throws IOException {
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        try (InputStream in = DigestTreeServingTests.class.getResourceAsStream("/wire-vectors/digest-tree.txt")) {
            if (in == null) {
                throw new IOException("wire-vectors/digest-tree.txt is missing from the test resources");
            }
            String name = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("# ")) {
                    name = line.substring(2, line.indexOf(':'));
                } else if (!line.isBlank() && !line.startsWith("##") && name != null) {
                    vectors.put(name, HexFormat.of().parseHex(line.strip()));
                }
            }
        }
        return vectors;
    }

    @Test
    void theServerAnswersTheVectorsOfAVersionTwoSessionByteForByteOnOneConnection() throws IOException {
        Map<String, byte[]> vectors = vectors();
        List<String> steps = vectors.keySet().stream().filter(key -> key.endsWith(" request"))
                .map(key -> key.substring(0, key.length() - " request".length())).toList();
        assertThat(steps).as("the session's steps, or the test tests nothing").hasSize(8).startsWith("tree-keep-open");

        try (var session = new KeptOpenConnectionTests.Session(start(withCache()))) {
            for (String step : steps) {
                byte[] expected = vectors.get(step + " response");
                session.send(vectors.get(step + " request"));
                assertThat(session.in.readNBytes(expected.length)).as(step).isEqualTo(expected);
            }
            // The refusal of a short piece left the connection open:
            assertThat(session.ask(new Frame.SizeRequest("hello.txt"))).isEqualTo(new Frame.SizeReply(HELLO.length));
        }
    }

    @Test
    void aRoundTwoClientThatKeepsItsConnectionOpenAtVersionOneGetsFlatDigestsThere() throws IOException {
        byte[] bytes = Files.readAllBytes(root.resolve("tree.bin"));
        try (var session = new KeptOpenConnectionTests.Session(start(withCache()))) {
            assertThat(session.keepOpen()).isEqualTo(new Frame.KeepOpenReply(5000, Frame.KEEP_OPEN_VERSION));

            Frame.Reply reply = session.ask(new Frame.DigestRequest("tree.bin", 0, 16384));

            List<Digest> flat = List.of(Digest.of(Arrays.copyOfRange(bytes, 0, 16384)),
                    Digest.of(Arrays.copyOfRange(bytes, 16384, 32768)), Digest.of(Arrays.copyOfRange(bytes, 32768, 40000)));
            assertThat(reply).isEqualTo(new Frame.DigestReply(0, 40_000, Digest.rootOf(flat), flat));
            assertThat(Digest.rootOf(flat)).isNotEqualTo(treeOf(bytes).root());
        }
    }

    @Test
    void aRestartedServerAnswersAnUnchangedFileFromItsCacheFolderWithoutAPass() throws Exception {
        byte[] bytes = new byte[3 << 20];
        new Random(21).nextBytes(bytes);
        Files.write(root.resolve("big.bin"), bytes);
        ServerConfig.Builder config = withCache().backgroundHashing(false);
        try (var session = new KeptOpenConnectionTests.Session(start(config))) {
            session.send(KeptOpenConnectionTests.bytes(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_TREE_VERSION)));
            session.in.readNBytes(Frame.HEADER_BYTES);
            assertThat(session.ask(new Frame.DigestRequest("big.bin", 0, 1 << 20))).isInstanceOf(Frame.DigestReply.class);
        }
        myserver.close();
        long before = TreePass.passesSoFar();

        try (var session = new KeptOpenConnectionTests.Session(start(config))) {
            session.send(KeptOpenConnectionTests.bytes(new Frame.KeepOpenRequest(Frame.KEEP_OPEN_TREE_VERSION)));
            session.in.readNBytes(Frame.HEADER_BYTES);
            Frame.Reply reply = session.ask(new Frame.DigestRequest("big.bin", 0, 256 << 10));

            DigestTree expected = treeOf(bytes);
            assertThat(reply).isEqualTo(new Frame.DigestReply(0, bytes.length, expected.root(), expected.pieces(256 << 10, 0, 12)));
        }
        assertThat(TreePass.passesSoFar() - before).isZero();
    }

    @Test
    void aCacheFolderInsideTheServedFolderIsRefusedBeforeThePortIsTaken() {
        ServerConfig config = LoopbackServer.loopback(root).digestCache(root.resolve("digests")).build();

        assertThatThrownBy(() -> FileServer.start(config)).isInstanceOf(CacheFolderException.class)
                .hasMessageContaining("is inside the served folder");
        assertThat(root.resolve("digests")).doesNotExist();
    }
}
