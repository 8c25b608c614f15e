package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of the client import one way, from the command line down, as
 * docs/ARCHITECTURE.md draws them: each may import only the packages its {@code package-info}
 * names. Read from the sources, so that a new arrow fails the build where it is written.
 */
class ArchitectureTests {

    private static final Path SOURCES = Path.of("src/main/java/chunk/client");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?(chunk\\.client(?:\\.[a-z]+)*)\\.[A-Z]", Pattern.MULTILINE);

    /** What each package may import of the module. The API ({@code chunk.client}) is the vocabulary every package speaks. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "cli", Set.of("api", "download", "disk", "text"),
            "download", Set.of("api", "fetch", "verify", "plan", "disk", "net", "net.wire", "net.http", "text"),
            "fetch", Set.of("api", "plan", "disk", "net", "text"),
            "verify", Set.of("api", "plan", "net", "text"),
            "plan", Set.of("api"),
            "disk", Set.of("api", "text"),
            "net.wire", Set.of("api", "net", "text"),
            "net.http", Set.of("api", "net", "text"),
            "net", Set.of("api"),
            "text", Set.of());

    @Test
    void eachPackageImportsOnlyThePackagesBelowIt() throws IOException {
        Map<String, Set<String>> imports = imports();
        assertThat(imports.keySet()).as("every package has a rule").containsAll(ALLOWED.keySet())
                .isSubsetOf(union(ALLOWED.keySet(), Set.of("api")));
        for (var entry : ALLOWED.entrySet()) {
            assertThat(imports.get(entry.getKey())).as("what %s imports", entry.getKey()).isSubsetOf(entry.getValue());
        }
    }

    @Test
    void theApiReachesDownOnlyThroughItsOneFactory() throws IOException {
        // As java.net.http's HttpClient.newBuilder() does: the interface's static factory makes
        // the implementation. Every other type of the API is a value the packages below use.
        List<String> reaching = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    reaching.add(file.getFileName() + " -> " + imported.group(1));
                }
            }
        }
        assertThat(reaching).containsExactly("Downloader.java -> chunk.client.download");
    }

    /** Each package (by its name below chunk.client; "api" for chunk.client itself) and the packages of the module it imports. */
    private static Map<String, Set<String>> imports() throws IOException {
        Map<String, Set<String>> imports = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = packageOf(SOURCES.relativize(file.getParent()).toString().replace('/', '.'));
                Set<String> to = imports.computeIfAbsent(from, _ -> new TreeSet<>());
                Matcher imported = IMPORT.matcher(Files.readString(file));
                while (imported.find()) {
                    String target = packageOf(imported.group(1).substring("chunk.client".length()).replaceFirst("^\\.", ""));
                    if (!target.equals(from)) {
                        to.add(target);
                    }
                }
            }
        }
        assertThat(imports).as("the sources were found (run from the module's folder)").isNotEmpty();
        return imports;
    }

    private static String packageOf(String below) {
        return below.isEmpty() ? "api" : below;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> all = new TreeSet<>(a);
        all.addAll(b);
        return all;
    }
}
