package chunk.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the image holds, and what it leaves out to stay small (docs/BENCHMARKS.md, "The size of the image"). */
class ImageContentsTests {

    /** Issue 22's target; the image of round 2 was 98 MiB. */
    static final long MAX_BYTES = 60L << 20;

    private final Path image = Path.of(System.getProperty("chunk.image", "target/image")).toAbsolutePath();

    @Test
    void isAtMostSixtyMebibytes() throws IOException {
        long bytes;
        try (Stream<Path> files = Files.walk(image)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(ImageContentsTests::size).sum();
        }
        assertThat(bytes).as("the image's bytes").isPositive().isLessThanOrEqualTo(MAX_BYTES);
    }

    @Test
    void holdsOnlyTheModulesChunkNeeds() throws IOException {
        String release = Files.readString(image.resolve("release"));

        assertThat(release).containsPattern("(?m)^MODULES=\"[^\"]*\"$");
        List<String> modules = List.of(release.replaceAll("(?s).*MODULES=\"([^\"]*)\".*", "$1").split(" "));
        assertThat(modules).containsExactlyInAnyOrder("java.base", "jdk.unsupported", "jdk.net", "chunk.wire", "chunk.server", "chunk.client",
                // HTTP(S) mirrors: Apache HttpClient 5 and the SLF4J API it logs through.
                "org.apache.httpcomponents.client5.httpclient5", "org.apache.httpcomponents.core5.httpcore5",
                "org.apache.httpcomponents.core5.httpcore5.h2", "org.slf4j");
    }

    @Test
    void keepsTheClientsAotCacheButNoCdsArchiveAndNoJdkTools() {
        assertThat(image.resolve("lib/myclient.aot")).isNotEmptyFile();
        assertThat(image.resolve("lib/server/classes.jsa")).doesNotExist();
        assertThat(image.resolve("lib/server/classes_nocoops.jsa")).doesNotExist();
        assertThat(image.resolve("bin/keytool")).doesNotExist();
        assertThat(image.resolve("lib/jrt-fs.jar")).doesNotExist();
        assertThat(image.resolve("bin")).isDirectoryContaining("glob:**/java").isDirectoryContaining("glob:**/myclient");
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
