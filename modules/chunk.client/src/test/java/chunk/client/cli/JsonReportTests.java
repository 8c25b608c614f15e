package chunk.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --json} prints what myclient(1) says ("JSON output"), one valid JSON object per file. */
class JsonReportTests {

    @TempDir
    Path served;
    @TempDir
    Path work;

    private final List<TestServer> servers = new ArrayList<>();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @AfterEach
    void stopTheServers() throws IOException {
        for (TestServer server : servers) {
            server.close();
        }
    }

    private int run(String... args) throws IOException {
        StringBuilder lines = new StringBuilder();
        // A server of this round (the digest tree) and a version-1 one.
        for (TestServer server : List.of(TestServer.keepingOpen(served, TestServer.withTreeDigests()),
                TestServer.serving(served, TestServer.honest()))) {
            servers.add(server);
            lines.append("127.0.0.1 ").append(server.address().port()).append('\n');
        }
        Files.writeString(work.resolve("servers.txt"), lines);
        return Main.run(args, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), work);
    }

    @Test
    void printsOneObjectPerFileWithTheSchemasFields() throws Exception {
        byte[] bytes = new byte[300_000];
        new Random(3).nextBytes(bytes);
        Files.write(served.resolve("a.bin"), bytes);

        int code = run("--json", "servers.txt", "3", "a.bin", "missing.bin");

        assertThat(code).isEqualTo(4);
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(2);
        Map<?, ?> done = (Map<?, ?>) new Parser(lines.get(0)).value();
        assertThat(keys(done)).containsExactly("name", "outcome", "file", "size", "seconds", "resumed", "verification", "servers",
                "chunks", "exitCode");
        assertThat(done.get("name")).isEqualTo("a.bin");
        assertThat(done.get("outcome")).isEqualTo("completed");
        assertThat(done.get("size")).isEqualTo(300_000L);
        assertThat(done.get("exitCode")).isEqualTo(0L);
        assertThat(done.get("resumed")).as("nothing was resumed").isEqualTo(0L);
        Map<?, ?> verification = (Map<?, ?>) done.get("verification");
        assertThat(verification.get("status")).isEqualTo("verified");
        assertThat((String) verification.get("root")).hasSize(64);
        List<?> reports = (List<?>) done.get("servers");
        assertThat(reports).hasSize(2).allSatisfy(report -> assertThat(keys(report))
                .containsExactly("server", "bytes", "bytesPerSecond", "connectionBytesPerSecond", "failures", "leftOut"));
        long delivered = reports.stream().mapToLong(r -> (Long) ((Map<?, ?>) r).get("bytes")).sum();
        assertThat(delivered).isEqualTo(300_000L);
        List<?> chunks = (List<?>) done.get("chunks");
        assertThat(chunks).isNotEmpty().allSatisfy(chunk -> assertThat(keys(chunk))
                .containsExactly("index", "offset", "length", "complete", "servers", "failures"));

        Map<?, ?> missing = (Map<?, ?>) new Parser(lines.get(1)).value();
        assertThat(missing.get("outcome")).isEqualTo("unavailable");
        assertThat(missing.get("exitCode")).isEqualTo(4L);
        assertThat((List<?>) missing.get("failures")).hasSize(2);
    }

    private static List<Object> keys(Object object) {
        return new ArrayList<>(((Map<?, ?>) object).keySet());
    }

    /** Just enough of a JSON parser to prove the output is JSON: objects keep their order. */
    private static final class Parser {
        private final String text;
        private int at;

        Parser(String text) {
            this.text = text;
        }

        Object value() {
            Object value = next();
            skipSpace();
            assertThat(at).as("the whole line is one value").isEqualTo(text.length());
            return value;
        }

        private Object next() {
            skipSpace();
            char c = text.charAt(at);
            switch (c) {
                case '{' -> {
                    at++;
                    Map<String, Object> object = new LinkedHashMap<>();
                    skipSpace();
                    if (text.charAt(at) == '}') {
                        at++;
                        return object;
                    }
                    while (true) {
                        String key = (String) next();
                        skipSpace();
                        expect(':');
                        object.put(key, next());
                        skipSpace();
                        if (text.charAt(at) == '}') {
                            at++;
                            return object;
                        }
                        expect(',');
                    }
                }
                case '[' -> {
                    at++;
                    List<Object> list = new ArrayList<>();
                    skipSpace();
                    if (text.charAt(at) == ']') {
                        at++;
                        return list;
                    }
                    while (true) {
                        list.add(next());
                        skipSpace();
                        if (text.charAt(at) == ']') {
                            at++;
                            return list;
                        }
                        expect(',');
                    }
                }
                case '"' -> {
                    StringBuilder string = new StringBuilder();
                    at++;
                    while (text.charAt(at) != '"') {
                        char d = text.charAt(at++);
                        if (d == '\\') {
                            char e = text.charAt(at++);
                            string.append(switch (e) {
                                case 'n' -> '\n';
                                case 't' -> '\t';
                                case 'r' -> '\r';
                                case 'u' -> {
                                    char u = (char) Integer.parseInt(text.substring(at, at + 4), 16);
                                    at += 4;
                                    yield u;
                                }
                                default -> e;
                            });
                        } else {
                            string.append(d);
                        }
                    }
                    at++;
                    return string.toString();
                }
                default -> {
                    int start = at;
                    while (at < text.length() && ",]} ".indexOf(text.charAt(at)) < 0) {
                        at++;
                    }
                    String word = text.substring(start, at);
                    return switch (word) {
                        case "null" -> "null";
                        case "true" -> Boolean.TRUE;
                        case "false" -> Boolean.FALSE;
                        default -> word.contains(".") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
                    };
                }
            }
        }

        private void expect(char c) {
            assertThat(text.charAt(at)).as("at %d of %s", at, text).isEqualTo(c);
            at++;
        }

        private void skipSpace() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }
    }
}
