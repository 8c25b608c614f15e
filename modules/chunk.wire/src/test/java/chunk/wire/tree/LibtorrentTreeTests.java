package chunk.wire.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import chunk.wire.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tree against libtorrent itself, on files made here with random bytes: runs where the
 * Debian package {@code python3-libtorrent} is installed, and is skipped with that reason where
 * it is not (CI checks the committed vectors instead, in {@link DigestTreeTests}).
 */
class LibtorrentTreeTests {

    private static final Path SCRIPT = Path.of("src/test/python/libtorrent_tree.py");
    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;
    private static final List<Integer> SIZES = List.of(1, 16 * KIB - 1, 16 * KIB, 16 * KIB + 1, MIB + 7,
            2 * MIB + 3, 4 * MIB, 6 * MIB - 1);

    private static Optional<String> python = Optional.empty();

    @BeforeAll
    static void findPythonWithLibtorrent() throws Exception {
        // Debian's module is built for the system's python, which another python3 on the PATH may not be.
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (run(List.of(candidate, "-c", "import libtorrent"), 30).exitCode() == 0) {
                python = Optional.of(candidate);
                return;
            }
        }
    }

    @Test
    void rootsAndPieceLayersOfRandomFilesAreWhatLibtorrentComputes(@TempDir Path folder) throws Exception {
        assumeTrue(python.isPresent(), "python3-libtorrent is not installed (apt-get install python3-libtorrent): "
                + "only the committed vectors are checked");
        Random random = new Random(21);
        Map<String, byte[]> files = new LinkedHashMap<>();
        Map<String, Long> sizes = new LinkedHashMap<>();
        for (int size : SIZES) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            Path file = folder.resolve("random-" + size + ".bin");
            Files.write(file, data);
            files.put(file.toString(), data);
            sizes.put(file.toString(), (long) size);
        }
        List<String> command = new ArrayList<>(List.of(python.get(), SCRIPT.toString(), "files"));
        for (long length = DigestTree.MIN_PIECE_LENGTH; length <= 8 * MIB; length *= 2) {
            command.add(Long.toString(length));
        }
        command.add("--");
        command.addAll(files.keySet());

        Result result = run(command, 120);
        assertThat(result.exitCode()).as("libtorrent_tree.py: %s", result.output()).isZero();
        Map<String, TreeVectors> byLibtorrent = TreeVectors.parseByName(result.output().lines().toList(), sizes);

        assertThat(byLibtorrent.keySet()).as("libtorrent's answers, or the test tests nothing").isEqualTo(files.keySet());
        byLibtorrent.forEach((name, expected) -> {
            byte[] data = files.get(name);
            DigestTree tree = DigestTreeTests.hashInSlices(data, 100_000);
            assertThat(tree.root()).as("root of %s", name).isEqualTo(expected.root());
            expected.layers().forEach((length, layer) -> {
                List<Digest> pieces = layer.isEmpty() ? List.of(expected.root()) : layer;
                assertThat(DigestTreeTests.allPieces(tree, length)).as("%s at %d", name, length).isEqualTo(pieces);
                assertThat(DigestTreeTests.piecesFromBytes(data, length)).as("%s hashed at %d", name, length).isEqualTo(pieces);
            });
        });
    }

    private record Result(int exitCode, String output) {}

    private static Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(127, String.valueOf(e.getMessage())); // no such program
        }
        try {
            byte[] output = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
        } finally {
            process.destroyForcibly();
        }
    }
}
