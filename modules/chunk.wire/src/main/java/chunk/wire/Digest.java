package chunk.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A SHA-256 digest: of one piece of a file, or a file's root, flat (the SHA-256 of the
 * concatenation of all its piece digests at one piece length, {@link #rootOf}) or of its
 * digest tree ({@link chunk.wire.tree.DigestTree}). A value: the 32 bytes are copied in and
 * out, and two digests are equal when their bytes are.
 *
 * @param bytes exactly {@value #BYTES} bytes; the record keeps its own copy
 */
public record Digest(byte[] bytes) {

    /** Bytes in a SHA-256 digest. */
    public static final int BYTES = 32;

    /** The name of the algorithm for {@link MessageDigest#getInstance(String)}. */
    public static final String ALGORITHM = "SHA-256";

    /**
     * Checks the length and copies the bytes.
     *
     * @throws IllegalArgumentException if there are not exactly {@value #BYTES} bytes
     */
    public Digest {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest has " + BYTES + " bytes, not " + bytes.length);
        }
        bytes = bytes.clone();
    }

    /**
     * The 32 bytes.
     *
     * @return a new copy
     */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The digest from 64 hexadecimal digits, either case.
     *
     * @param hex 64 hex digits
     * @return the digest
     * @throws IllegalArgumentException if {@code hex} is not 64 hex digits
     */
    public static Digest fromHex(String hex) {
        if (hex.length() != 2 * BYTES) {
            throw new IllegalArgumentException("a SHA-256 digest is " + 2 * BYTES + " hex digits, not " + hex.length());
        }
        return new Digest(HexFormat.of().parseHex(hex));
    }

    /**
     * A new SHA-256 {@link MessageDigest}. Every Java platform has one, so its absence is an error, not a checked case.
     *
     * @return a fresh digest object, not thread-safe
     */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java platform has no SHA-256", e);
        }
    }

    /**
     * Finishes a SHA-256 computation, which resets {@code sha256} for the next one.
     *
     * @param sha256 a SHA-256 digest object with all the input fed to it
     * @return its digest
     * @throws IllegalArgumentException if {@code sha256} is not SHA-256
     */
    public static Digest finish(MessageDigest sha256) {
        if (sha256.getDigestLength() != BYTES) {
            throw new IllegalArgumentException(sha256.getAlgorithm() + " is not SHA-256");
        }
        return new Digest(sha256.digest());
    }

    /**
     * The SHA-256 of {@code bytes}.
     *
     * @param bytes the input
     * @return its digest
     */
    public static Digest of(byte[] bytes) {
        return new Digest(newSha256().digest(bytes));
    }

    /**
     * The flat root of a file whose pieces have these digests, in order: the SHA-256 of their
     * concatenation, the root of DIGESTS on a connection not kept open at
     * {@link Frame#KEEP_OPEN_TREE_VERSION}. The root of an empty file (no pieces) is the SHA-256
     * of nothing. (The digest tree's root is {@link chunk.wire.tree.DigestTree#rootOfPieces}.)
     *
     * @param pieces every piece's digest, from the first piece to the last
     * @return the root
     */
    public static Digest rootOf(List<Digest> pieces) {
        MessageDigest sha256 = newSha256();
        for (Digest piece : pieces) {
            piece.addTo(sha256);
        }
        return finish(sha256);
    }

    /**
     * Feeds these 32 bytes to {@code sha256}, without a copy: the way a root is computed piece by piece.
     *
     * @param sha256 a digest object in the middle of a computation
     */
    public void addTo(MessageDigest sha256) {
        sha256.update(bytes);
    }

    /**
     * The digest in lowercase hex.
     *
     * @return 64 hex digits
     */
    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Digest digest && Arrays.equals(bytes, digest.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The digest in lowercase hex, as {@link #hex()}. */
    @Override
    public String toString() {
        return hex();
    }
}
