package chunk.wire;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One message captured from the original C programs, as listed in the test resource
 * {@code wire-vectors/original-c.txt}, or made by hand for chunk's extension in
 * {@code wire-vectors/digests.txt}, {@code wire-vectors/keep-open.txt} and {@code wire-vectors/digest-tree.txt}: a comment line
 * {@code # <name> <request|response>: <description>}, then the message in hex. Lines that
 * start with {@code ##} are notes on the file.
 */
record WireVector(String name, Direction direction, String description, byte[] bytes) {

    enum Direction { REQUEST, RESPONSE }

    static final String RESOURCE = "/wire-vectors/original-c.txt";
    static final String DIGESTS_RESOURCE = "/wire-vectors/digests.txt";
    static final String KEEP_OPEN_RESOURCE = "/wire-vectors/keep-open.txt";
    static final String DIGEST_TREE_RESOURCE = "/wire-vectors/digest-tree.txt";

    private static final Pattern COMMENT = Pattern.compile("#\\s*(\\S+)\\s+(request|response):\\s*(.*)");

    /** The vector's name and direction, unique in the file: {@code "size-ok request"}. */
    String key() {
        return name + " " + direction.name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String toString() {
        return key();
    }

    static List<WireVector> loadAll() {
        return loadAll(RESOURCE);
    }

    static List<WireVector> loadAll(String resource) {
        try (InputStream in = WireVector.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + resource + " is missing");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<WireVector> parse(BufferedReader lines) throws IOException {
        List<WireVector> vectors = new ArrayList<>();
        Matcher pending = null;
        int lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            lineNumber++;
            line = line.strip();
            if (line.isEmpty() || line.startsWith("##")) {
                continue;
            }
            if (line.startsWith("#")) {
                Matcher comment = COMMENT.matcher(line);
                if (!comment.matches()) {
                    throw new IllegalArgumentException("line " + lineNumber + ": not '# <name> <request|response>: <what>': " + line);
                }
                if (pending != null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": two comments without hex between them");
                }
                pending = comment;
            } else {
                if (pending == null) {
                    throw new IllegalArgumentException("line " + lineNumber + ": hex without a comment naming it");
                }
                Direction direction = Direction.valueOf(pending.group(2).toUpperCase(java.util.Locale.ROOT));
                vectors.add(new WireVector(pending.group(1), direction, pending.group(3), HexFormat.of().parseHex(line)));
                pending = null;
            }
        }
        if (pending != null) {
            throw new IllegalArgumentException("the last comment has no hex line after it");
        }
        return List.copyOf(vectors);
    }
}
