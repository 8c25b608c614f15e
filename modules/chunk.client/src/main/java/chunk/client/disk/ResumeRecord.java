package chunk.client.disk;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * What a download had on disk when it was last recorded: the remote file's identity (size,
 * root where servers offered digests, the name the servers were asked for), the piece length,
 * and which pieces were written and flushed. Saved beside the part file as
 * {@code <name>.part.resume} by {@link ResumeFile}.
 *
 * <p>The encoding, little-endian like the wire protocol, is checked whole before any of it
 * is believed: an 8-byte magic, a version, the fields, and a CRC32C of everything before it.
 * A record that fails any check is foreign or damaged and is never mixed in.
 *
 * <pre>
 *   magic "chunkres" | version u32 = 3 | size i64 | pieceLength u32 | flags u32 (bit 0: root)
 *   | root 32 bytes (zero without one) | nameLength u16 | name UTF-8
 *   | validatorCount u16 | validatorCount times: originLength u16, origin UTF-8, validatorLength u16, validator UTF-8
 *   | pieceCount u32
 *   | done bitmap, ceil(pieceCount / 8) bytes, piece i in bit (i % 8) of byte i / 8 | crc32c u32
 * </pre>
 *
 * <p>Version 2 is the same, but its root was round 2's flat root; version 1 is that without the
 * validators. Both are read, and believed only without a root: a flat root cannot be compared
 * with a digest-tree root, so such a record is of no use (the download starts over, saying why).
 *
 * @param size the remote file's length in bytes
 * @param pieceLength the length of every piece but the last, a power of two
 * @param root the file's digest-tree root (BEP 52's pieces root), if servers gave it (32 bytes)
 * @param name the file name the servers were asked for
 * @param done the pieces that are written and flushed
 * @param validators the version of the file at each origin of its HTTP mirrors (origin to strong
 *     validator, as {@code Verdict.Agreed} has them), empty for chunk servers alone
 */
public record ResumeRecord(long size, int pieceLength, byte @Nullable [] root, String name, BitSet done,
        Map<String, String> validators) {

    static final int VERSION = 3;
    /** The version whose root was a flat root (round 2's), with validators: read, but its root is not believed. */
    static final int VERSION_WITH_FLAT_ROOT = 2;
    /** The version before HTTP mirrors: no validators. */
    static final int VERSION_WITHOUT_VALIDATORS = 1;
    private static final byte[] MAGIC = "chunkres".getBytes(StandardCharsets.US_ASCII);
    private static final int ROOT_LENGTH = 32;
    private static final int FIXED_LENGTH = MAGIC.length + 4 + 8 + 4 + 4 + ROOT_LENGTH + 2 + 4 + 4;
    /** The smallest piece the digest extension allows (4 KiB) and the largest (1 GiB). */
    static final int MIN_PIECE_LENGTH = 1 << 12;
    static final int MAX_PIECE_LENGTH = 1 << 30;

    /** A record that cannot be believed, with a few words saying why. */
    static final class DamagedException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        DamagedException(String reason) {
            super(reason);
        }
    }

    public ResumeRecord {
        if (size < 0) {
            throw new IllegalArgumentException("negative size " + size);
        }
        if (Integer.bitCount(pieceLength) != 1 || pieceLength < MIN_PIECE_LENGTH || pieceLength > MAX_PIECE_LENGTH) {
            throw new IllegalArgumentException("piece length " + pieceLength + " is not a power of two from 4 KiB to 1 GiB");
        }
        if (root != null && root.length != ROOT_LENGTH) {
            throw new IllegalArgumentException("a root has 32 bytes, not " + root.length);
        }
        root = root == null ? null : root.clone();
        done = (BitSet) done.clone();
        validators = Map.copyOf(validators);
        if (done.length() > pieceCount(size, pieceLength)) {
            throw new IllegalArgumentException("piece " + (done.length() - 1) + " is past the last piece");
        }
    }

    /** A record of a file on chunk servers alone: no HTTP validators. */
    public ResumeRecord(long size, int pieceLength, byte @Nullable [] root, String name, BitSet done) {
        this(size, pieceLength, root, name, done, Map.of());
    }

    static long pieceCount(long size, int pieceLength) {
        return Math.ceilDiv(size, pieceLength);
    }

    long pieceCount() {
        return pieceCount(size, pieceLength);
    }

    /** This record with {@code done} as the pieces done. */
    public ResumeRecord withDone(BitSet done) {
        return new ResumeRecord(size, pieceLength, root, name, done, validators);
    }

    @Override
    public byte @Nullable [] root() {
        return root == null ? null : root.clone();
    }

    @Override
    public BitSet done() {
        return (BitSet) done.clone();
    }

    Optional<String> rootHex() {
        return root == null ? Optional.empty() : Optional.of(HexFormat.of().formatHex(root));
    }

    /** The bytes of the pieces recorded as done (the last piece may be short). */
    public long doneBytes() {
        long bytes = (long) done.cardinality() * pieceLength;
        long last = pieceCount() - 1;
        if (last >= 0 && done.get((int) last)) {
            bytes -= (long) pieceLength * (last + 1) - size;
        }
        return bytes;
    }

    byte[] encode() {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        int count = (int) pieceCount();
        byte[] bitmap = Arrays.copyOf(done.toByteArray(), (count + 7) / 8);
        List<byte[]> texts = new ArrayList<>();
        for (var entry : new TreeMap<>(validators).entrySet()) {
            texts.add(entry.getKey().getBytes(StandardCharsets.UTF_8));
            texts.add(entry.getValue().getBytes(StandardCharsets.UTF_8));
        }
        int textBytes = 2;
        for (byte[] text : texts) {
            textBytes += 2 + text.length;
        }
        ByteBuffer out = ByteBuffer.allocate(FIXED_LENGTH + nameBytes.length + textBytes + bitmap.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putLong(size).putInt(pieceLength).putInt(root == null ? 0 : 1);
        out.put(root == null ? new byte[ROOT_LENGTH] : root);
        out.putShort((short) nameBytes.length).put(nameBytes);
        out.putShort((short) validators.size());
        for (byte[] text : texts) {
            out.putShort((short) text.length).put(text);
        }
        out.putInt(count).put(bitmap);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Reads a record, checking everything.
     *
     * @throws DamagedException if it is not a whole, intact record of this version
     */
    static ResumeRecord decode(byte[] bytes) throws DamagedException {
        if (bytes.length < FIXED_LENGTH) {
            throw new DamagedException(bytes.length == 0 ? "it is empty" : "it is cut short (" + bytes.length + " bytes)");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DamagedException("it is not a resume record of myclient");
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 4);
        int stored = ByteBuffer.wrap(bytes, bytes.length - 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (stored != (int) crc.getValue()) {
            throw new DamagedException("its checksum does not match (damaged or cut short)");
        }
        int version = in.getInt();
        if (version != VERSION && version != VERSION_WITH_FLAT_ROOT && version != VERSION_WITHOUT_VALIDATORS) {
            throw new DamagedException("it is of version " + Integer.toUnsignedString(version) + ", this myclient reads " + VERSION);
        }
        long size = in.getLong();
        int pieceLength = in.getInt();
        int flags = in.getInt();
        byte[] root = new byte[ROOT_LENGTH];
        in.get(root);
        int nameLength = Short.toUnsignedInt(in.getShort());
        if (nameLength > in.remaining() - 8) {
            throw new DamagedException("its name runs past its end");
        }
        byte[] name = new byte[nameLength];
        in.get(name);
        Map<String, String> validators = new TreeMap<>();
        if (version != VERSION_WITHOUT_VALIDATORS) {
            int pairs = Short.toUnsignedInt(in.getShort());
            for (int i = 0; i < pairs; i++) {
                String origin = text(in);
                validators.put(origin, text(in));
            }
            if (in.remaining() < 8) {
                throw new DamagedException("its validators run past its end");
            }
        }
        long count = Integer.toUnsignedLong(in.getInt());
        if (size < 0 || Integer.bitCount(pieceLength) != 1 || pieceLength < MIN_PIECE_LENGTH || pieceLength > MAX_PIECE_LENGTH
                || (flags & ~1) != 0 || count != pieceCount(size, pieceLength) || in.remaining() != (count + 7) / 8 + 4) {
            throw new DamagedException("its fields do not agree with each other");
        }
        if (version != VERSION && (flags & 1) != 0) {
            // Its root is the flat root of round 2's myclient, which changes with the piece length;
            // roots are digest-tree roots now, and the two cannot be compared.
            throw new DamagedException("it was made by an older myclient, which named the file by another kind of root");
        }
        byte[] bitmap = new byte[(int) ((count + 7) / 8)];
        in.get(bitmap);
        BitSet done = BitSet.valueOf(bitmap);
        if (done.length() > count) {
            throw new DamagedException("it marks pieces past the end of the file");
        }
        return new ResumeRecord(size, pieceLength, (flags & 1) != 0 ? root : null, new String(name, StandardCharsets.UTF_8), done,
                validators);
    }

    /** One length-prefixed UTF-8 text of the validators, checked against what is left. */
    private static String text(ByteBuffer in) throws DamagedException {
        if (in.remaining() < 2 + 8) {
            throw new DamagedException("its validators run past its end");
        }
        int length = Short.toUnsignedInt(in.getShort());
        if (length > in.remaining() - 8) {
            throw new DamagedException("its validators run past its end");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ResumeRecord that && size == that.size && pieceLength == that.pieceLength
                && Arrays.equals(root, that.root) && name.equals(that.name) && done.equals(that.done)
                && validators.equals(that.validators);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(size) * 31 + pieceLength * 17 + Arrays.hashCode(root) + name.hashCode() + done.hashCode();
    }

    @Override
    public String toString() {
        return "ResumeRecord[size=" + size + ", pieceLength=" + pieceLength + ", root=" + rootHex().orElse("none")
                + ", name=" + name + ", done=" + done.cardinality() + "/" + pieceCount() + ", validators=" + validators + "]";
    }
}
