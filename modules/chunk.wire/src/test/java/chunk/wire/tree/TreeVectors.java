package chunk.wire.tree;

import chunk.wire.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The BEP 52 trees that libtorrent computed for the files of {@code tree-vectors/bep52.txt}
 * (made by {@code src/test/python/libtorrent_tree.py vectors}), and the bytes of those files.
 *
 * @param size the file's length
 * @param root its pieces root, by libtorrent
 * @param layers each piece length libtorrent was asked for, in order, and its piece layer
 *     (empty where libtorrent wrote none: the file is one piece, whose digest is the root)
 */
record TreeVectors(long size, Digest root, Map<Long, List<Digest>> layers) {

    static final String RESOURCE = "/tree-vectors/bep52.txt";

    /** The bytes of a vector file: SHA-256("chunk tree vector " + i as 8 little-endian bytes) for i = 0, 1, ..., cut at size. */
    static byte[] content(int size) {
        MessageDigest sha256 = Digest.newSha256();
        byte[] out = new byte[size];
        byte[] prefix = "chunk tree vector ".getBytes(StandardCharsets.US_ASCII);
        ByteBuffer counter = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        for (int offset = 0, i = 0; offset < size; offset += Digest.BYTES, i++) {
            sha256.update(prefix);
            sha256.update(counter.clear().putLong(i).array());
            byte[] digest = sha256.digest();
            System.arraycopy(digest, 0, out, offset, Math.min(Digest.BYTES, size - offset));
        }
        return out;
    }

    static List<TreeVectors> loadAll() {
        try (InputStream in = TreeVectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("test resource " + RESOURCE + " is missing");
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the script's lines: 'layer <file> <length> <hex or ->' for each length, then 'root <file> <hex>'. */
    static List<TreeVectors> parse(BufferedReader lines) throws IOException {
        List<TreeVectors> files = new ArrayList<>();
        Map<Long, List<Digest>> layers = new LinkedHashMap<>();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "layer" -> layers.put(Long.parseLong(words[2]), words[3].equals("-") ? List.of() : digests(words[3]));
                case "root" -> {
                    files.add(new TreeVectors(Long.parseLong(words[1]), Digest.fromHex(words[2]), layers));
                    layers = new LinkedHashMap<>();
                }
                default -> { } // notes (##), 'file <size>' and blank lines
            }
        }
        return files;
    }

    /** The same lines with a file's path in place of its size: the script's 'files' mode. */
    static Map<String, TreeVectors> parseByName(List<String> lines, Map<String, Long> sizes) {
        Map<String, TreeVectors> files = new LinkedHashMap<>();
        Map<Long, List<Digest>> layers = new LinkedHashMap<>();
        for (String line : lines) {
            String[] words = line.strip().split(" ");
            switch (words[0]) {
                case "layer" -> layers.put(Long.parseLong(words[2]), words[3].equals("-") ? List.of() : digests(words[3]));
                case "root" -> {
                    files.put(words[1], new TreeVectors(sizes.get(words[1]), Digest.fromHex(words[2]), layers));
                    layers = new LinkedHashMap<>();
                }
                default -> throw new IllegalArgumentException("not a line of libtorrent_tree.py: " + line);
            }
        }
        return files;
    }

    private static List<Digest> digests(String hex) {
        byte[] bytes = HexFormat.of().parseHex(hex);
        List<Digest> digests = new ArrayList<>();
        for (int offset = 0; offset < bytes.length; offset += Digest.BYTES) {
            digests.add(new Digest(java.util.Arrays.copyOfRange(bytes, offset, offset + Digest.BYTES)));
        }
        return digests;
    }

    @Override
    public String toString() {
        return size + " bytes";
    }
}
