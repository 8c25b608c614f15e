package chunk.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The bytes captured from the original C programs: {@code original-c.txt}, by their comment's first word and kind. */
final class WireVectors {

    private WireVectors() {}

    /** Keys like {@code "size-ok request"}: the comment up to its colon. */
    static Map<String, byte[]> load() throws IOException {
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        try (InputStream in = WireVectors.class.getResourceAsStream("/original-c.txt")) {
            if (in == null) {
                throw new IOException("original-c.txt is missing from the test resources");
            }
            String name = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.startsWith("# ")) {
                    name = line.substring(2, line.indexOf(':'));
                } else if (!line.isBlank() && name != null) {
                    vectors.put(name, HexFormat.of().parseHex(line.strip()));
                }
            }
        }
        return vectors;
    }
}
