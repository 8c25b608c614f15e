package chunk.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes captured from the original C programs, by their comment's first word and kind. The
 * file is chunk.wire's {@code wire-vectors/original-c.txt} (the build copies it here), whose
 * format chunk.wire's {@code WireVector} parses strictly and tests; this only reads it. A test
 * class cannot be shared between the two modules' tests, which are patched into each module.
 */
final class WireVectors {

    private WireVectors() {}

    /** Keys like {@code "size-ok request"}: the comment up to its colon. */
    static Map<String, byte[]> load() throws IOException {
        Map<String, byte[]> vectors = new LinkedHashMap<>();
        try (InputStream in = WireVectors.class.getResourceAsStream("/wire-vectors/original-c.txt")) {
            if (in == null) {
                throw new IOException("wire-vectors/original-c.txt is missing from the test resources");
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
