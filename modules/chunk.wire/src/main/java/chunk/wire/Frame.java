package chunk.wire;

import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * One message of the chunk protocol. A connection carries one {@link Request} from the
 * client and one {@link Reply} from the server (or, once kept open, several in turn); after a {@link ChunkReply} come exactly
 * {@code range().length()} bytes of file data, which are not part of the frame.
 *
 * <p>On the wire every frame is a {@value #HEADER_BYTES}-byte little-endian header
 * ({@code startOffset} i64, {@code transferSize} i64, {@code packetType} u32,
 * {@code textLength} u32) followed by {@code textLength} bytes of UTF-8 text. The records
 * validate themselves, so a frame that exists can always be encoded.
 *
 * <p>Packet type {@value #TYPE_DIGESTS}, DIGESTS, is chunk's extension: a {@link DigestRequest}
 * asks for the SHA-256 of a run of a file's pieces, and its {@link DigestReply} carries them in
 * binary in place of the text. A server that does not know it (the original does not) answers
 * ERROR, which tells a client to use only SIZE and CHUNK with that server.
 *
 * <p>Packet type {@value #TYPE_KEEP_OPEN}, KEEP-OPEN, is the other: sent as the first frame of a
 * connection, a {@link KeepOpenRequest} asks the server to keep the connection open for more
 * requests after each reply, and a {@link KeepOpenReply} agrees, at a version both speak; from
 * {@link #KEEP_OPEN_TREE_VERSION} on, DIGESTS on that connection answers from the file's digest
 * tree instead of flat digests. An {@link Opening} is what a
 * client may send first, a {@link KeepOpenAnswer} what a server may answer to a keep-open.
 */
public sealed interface Frame permits Frame.Opening, Frame.Reply, Frame.KeepOpenAnswer {

    /** Bytes in every header. */
    int HEADER_BYTES = 24;
    /** The order of the bytes of every number in a header. */
    ByteOrder BYTE_ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The longest text (file name or error reason) in bytes, as in the original programs. */
    int MAX_TEXT_BYTES = 4095;

    /** Packet type of a size request and of its reply. */
    int TYPE_SIZE = 0;
    /** Packet type of a chunk request and of its reply. */
    int TYPE_CHUNK = 1;
    /** Packet type of a digest request and of its reply (chunk's extension, not known to the original programs). */
    int TYPE_DIGESTS = 2;
    /**
     * Packet type of a keep-open request and of its reply (chunk's extension for persistent
     * connections, not known to the original programs nor to chunk 1.0).
     */
    int TYPE_KEEP_OPEN = 3;
    /** Packet type of an error reply: 0xFFFFFFFF on the wire. */
    int TYPE_ERROR = 0xFFFF_FFFF;

    /** The shortest piece a digest can be asked for: 4 KiB. */
    int MIN_PIECE_LENGTH = 1 << 12;
    /** The longest piece a digest can be asked for: 1 GiB. */
    int MAX_PIECE_LENGTH = 1 << 30;
    /**
     * The most piece digests in one reply: with the root, 32 + 32 * 126 = 4064 bytes, inside
     * the {@value #MAX_TEXT_BYTES}-byte text limit.
     */
    int MAX_DIGESTS_PER_REPLY = 126;
    /**
     * Version 1 of a kept-open connection: every request is answered as on a connection of its
     * own, DIGESTS with the flat digests of {@link DigestReply} (each piece's SHA-256, the root
     * the SHA-256 of their concatenation). What a client of chunk's round 2 asks for, and what
     * a server of round 2 answers to any higher version.
     */
    long KEEP_OPEN_VERSION = 1;
    /**
     * Version 2 of a kept-open connection, the highest this code speaks: as version 1, except
     * that DIGESTS on it answers from the file's digest tree ({@link chunk.wire.tree.DigestTree},
     * BitTorrent v2's): the root is the file's BEP 52 pieces root, whatever the piece length,
     * and each piece's digest is its node of the tree, for piece lengths of
     * {@value chunk.wire.tree.DigestTree#BLOCK_BYTES} bytes or more. A connection that was not
     * kept open, or kept open at version 1, keeps the flat digests.
     */
    long KEEP_OPEN_TREE_VERSION = 2;

    /**
     * Whether DIGESTS on a connection kept open at {@code version} answers from the digest tree.
     *
     * @param version the version both sides agreed, or 0 for a connection not kept open
     * @return {@code true} from {@link #KEEP_OPEN_TREE_VERSION} on
     */
    static boolean digestsFromTree(long version) {
        return version >= KEEP_OPEN_TREE_VERSION;
    }

    /**
     * The {@code packetType} field of this frame's header.
     *
     * @return one of {@link #TYPE_SIZE}, {@link #TYPE_CHUNK}, {@link #TYPE_DIGESTS}, {@link #TYPE_KEEP_OPEN},
     *     {@link #TYPE_ERROR}
     */
    int packetType();

    /**
     * Whether digests can be asked for pieces of this length.
     *
     * @param pieceLength a length in bytes
     * @return {@code true} for a power of two from {@link #MIN_PIECE_LENGTH} to {@link #MAX_PIECE_LENGTH}
     */
    static boolean isValidPieceLength(long pieceLength) {
        return pieceLength >= MIN_PIECE_LENGTH && pieceLength <= MAX_PIECE_LENGTH && Long.bitCount(pieceLength) == 1;
    }

    /**
     * How many pieces of {@code pieceLength} bytes a file of {@code fileSize} bytes has: the
     * last one may be shorter, an empty file has none.
     *
     * @param fileSize the file's length, zero or more
     * @param pieceLength a valid piece length (see {@link #isValidPieceLength})
     * @return {@code ceil(fileSize / pieceLength)}
     * @throws IllegalArgumentException if the size is negative or the piece length not valid
     */
    public static long pieceCount(long fileSize, int pieceLength) {
        if (fileSize < 0) {
            throw new IllegalArgumentException("a file size cannot be negative: " + fileSize);
        }
        requireValidPieceLength(pieceLength);
        return Math.ceilDiv(fileSize, pieceLength);
    }

    /** What a client may send as the first frame of a connection: a request, or a keep-open that asks for more. */
    sealed interface Opening extends Frame permits Request, KeepOpenRequest {}

    /** What a client asks about a file: it always names one. */
    sealed interface Request extends Opening permits SizeRequest, ChunkRequest, DigestRequest {
        /**
         * The file asked for, relative to the server's directory.
         *
         * @return 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
         */
        String fileName();
    }

    /** What a server answers to a {@link Request}. */
    sealed interface Reply extends Frame permits SizeReply, ChunkReply, DigestReply, ErrorReply {}

    /** What a server answers to a {@link KeepOpenRequest}: agreement, or an ERROR from a server that does not speak it. */
    sealed interface KeepOpenAnswer extends Frame permits KeepOpenReply, ErrorReply {}

    /**
     * Asks the server to keep this connection open after each reply, for further requests. Valid
     * only as the first frame of a connection. On the wire: {@code startOffset} 0,
     * {@code transferSize} the version, no text.
     *
     * @param version the highest version of persistent connections the client speaks, at least 1
     */
    record KeepOpenRequest(long version) implements Opening {
        /**
         * Checks the version.
         *
         * @throws IllegalArgumentException if the version is less than 1
         */
        public KeepOpenRequest {
            requireValidVersion(version);
        }

        @Override
        public int packetType() {
            return TYPE_KEEP_OPEN;
        }
    }

    /**
     * The server keeps the connection open: after each reply it waits for the next request.
     * On the wire: {@code startOffset} the wait, {@code transferSize} the version, no text.
     *
     * @param waitMillis how long the server waits for the whole next request after the end of a
     *     reply before it closes the connection, in milliseconds, at least 1
     * @param version the version the server speaks on this connection, from 1 to the one asked
     *     for (which only the requester can check)
     */
    record KeepOpenReply(long waitMillis, long version) implements KeepOpenAnswer {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the wait or the version is less than 1
         */
        public KeepOpenReply {
            if (waitMillis < 1) {
                throw new IllegalArgumentException("a keep-open reply's wait is at least 1 ms, not " + waitMillis);
            }
            requireValidVersion(version);
        }

        @Override
        public int packetType() {
            return TYPE_KEEP_OPEN;
        }
    }

    /**
     * Asks for the length of {@code fileName}.
     *
     * @param fileName the file, 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
     */
    record SizeRequest(String fileName) implements Request {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the name is empty, too long, has a NUL or an unpaired surrogate
         */
        public SizeRequest {
            requireValidFileName(fileName);
        }

        @Override
        public int packetType() {
            return TYPE_SIZE;
        }
    }

    /**
     * Asks for the bytes of {@code fileName} in {@code range}.
     *
     * @param fileName the file, 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
     * @param range the bytes wanted
     */
    record ChunkRequest(String fileName, ByteRange range) implements Request {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the name is empty, too long, has a NUL or an unpaired surrogate
         */
        public ChunkRequest {
            requireValidFileName(fileName);
            Objects.requireNonNull(range, "range");
        }

        @Override
        public int packetType() {
            return TYPE_CHUNK;
        }
    }

    /**
     * Asks for the size and root of {@code fileName} and the SHA-256 digests of its pieces
     * from {@code firstPiece} on, at most {@value Frame#MAX_DIGESTS_PER_REPLY} of them. On the
     * wire: {@code startOffset} is the first piece, {@code transferSize} the piece length.
     * A first piece equal to the file's piece count asks for the size and root alone.
     *
     * @param fileName the file, 1 to {@value Frame#MAX_TEXT_BYTES} bytes of UTF-8 without NUL
     * @param firstPiece the index of the first piece wanted, zero or more
     * @param pieceLength the length of every piece but the last, a power of two from
     *     {@value Frame#MIN_PIECE_LENGTH} to {@value Frame#MAX_PIECE_LENGTH}
     */
    record DigestRequest(String fileName, long firstPiece, int pieceLength) implements Request {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the name is not valid, the first piece is
         *     negative or the piece length is not a power of two in range
         */
        public DigestRequest {
            requireValidFileName(fileName);
            if (firstPiece < 0) {
                throw new IllegalArgumentException("the first piece cannot be negative: " + firstPiece);
            }
            requireValidPieceLength(pieceLength);
        }

        @Override
        public int packetType() {
            return TYPE_DIGESTS;
        }
    }

    /**
     * The length of the requested file.
     *
     * @param fileSize the length in bytes, zero or more
     */
    record SizeReply(long fileSize) implements Reply {
        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the size is negative
         */
        public SizeReply {
            if (fileSize < 0) {
                throw new IllegalArgumentException("a file size cannot be negative: " + fileSize);
            }
        }

        @Override
        public int packetType() {
            return TYPE_SIZE;
        }
    }

    /**
     * The header of a chunk's data: exactly {@code range.length()} bytes of the file follow it.
     *
     * @param range the bytes actually sent, which a client checks against the range it asked for
     */
    record ChunkReply(ByteRange range) implements Reply {
        /** Checks that there is a range. */
        public ChunkReply {
            Objects.requireNonNull(range, "range");
        }

        @Override
        public int packetType() {
            return TYPE_CHUNK;
        }
    }

    /**
     * The answer to a {@link DigestRequest}: one version of the file, described by its size,
     * its root and the digests of pieces {@code [firstPiece, firstPiece + digests.size())}.
     * On the wire: {@code startOffset} is the first piece, {@code transferSize} the file size,
     * and the text is the binary root followed by the digests, 32 bytes each.
     *
     * <p>Only the requester can tell whether the count of digests is right, since the piece
     * length is not repeated here: it must be {@code min(MAX_DIGESTS_PER_REPLY, pieceCount - firstPiece)}.
     *
     * <p>What the digests are depends on the connection, which the frame does not say: flat
     * (each piece's SHA-256, the root the SHA-256 of their concatenation, see
     * {@link Digest#rootOf}) unless the connection was kept open at
     * {@link #KEEP_OPEN_TREE_VERSION} or later; there the root is the file's digest-tree root and
     * each digest its piece's node ({@link chunk.wire.tree.DigestTree#pieces}), which add up to
     * the root by {@link chunk.wire.tree.DigestTree#rootOfPieces}.
     *
     * @param firstPiece the first piece asked for, zero or more
     * @param fileSize the file's length in bytes, zero or more
     * @param root the file's root: flat or of the digest tree, as the connection's version says
     * @param digests the digests of the pieces from {@code firstPiece} on, at most
     *     {@value Frame#MAX_DIGESTS_PER_REPLY}; the record keeps its own copy
     */
    record DigestReply(long firstPiece, long fileSize, Digest root, List<Digest> digests) implements Reply {
        /**
         * Checks the values and copies the list.
         *
         * @throws IllegalArgumentException if a number is negative, the pieces' indexes pass 2^63-1,
         *     or there are too many digests
         */
        public DigestReply {
            if (firstPiece < 0) {
                throw new IllegalArgumentException("the first piece cannot be negative: " + firstPiece);
            }
            if (fileSize < 0) {
                throw new IllegalArgumentException("a file size cannot be negative: " + fileSize);
            }
            Objects.requireNonNull(root, "root");
            digests = List.copyOf(digests);
            if (digests.size() > MAX_DIGESTS_PER_REPLY) {
                throw new IllegalArgumentException(
                        "a reply carries at most " + MAX_DIGESTS_PER_REPLY + " digests, not " + digests.size());
            }
            if (firstPiece + digests.size() < 0) {
                throw new IllegalArgumentException("piece " + firstPiece + " + " + digests.size() + " is past 2^63-1");
            }
        }

        /**
         * The index just past the last piece in this reply.
         *
         * @return {@code firstPiece + digests.size()}
         */
        public long endPiece() {
            return firstPiece + digests.size();
        }

        @Override
        public int packetType() {
            return TYPE_DIGESTS;
        }
    }

    /**
     * The server cannot serve the request. On a connection that is not kept open, the server
     * closes it after this reply; on a kept-open one, only after a malformed request or when busy.
     *
     * @param reason why, for a person to read: up to {@value Frame#MAX_TEXT_BYTES} bytes of
     *     UTF-8, possibly empty
     */
    record ErrorReply(String reason) implements Reply, KeepOpenAnswer {
        /**
         * The reason of a server whose transfer places all stayed taken for as long as a request
         * may wait: a passing refusal, to be asked again later with fewer connections.
         */
        public static final String SERVER_BUSY = "server busy";
        /**
         * The reason of a server that does not serve the name asked for. Everything refused for
         * the name (missing, hidden, a link, outside the root) is answered alike.
         */
        public static final String NO_SUCH_FILE = "no such file";

        /**
         * Checks the values.
         *
         * @throws IllegalArgumentException if the reason is too long or has an unpaired surrogate
         */
        public ErrorReply {
            if (utf8Length(reason, "an error reason") > MAX_TEXT_BYTES) {
                throw new IllegalArgumentException("an error reason is limited to " + MAX_TEXT_BYTES + " bytes of UTF-8");
            }
        }

        @Override
        public int packetType() {
            return TYPE_ERROR;
        }

        /**
         * Whether the server refused the packet type itself, not the request's file: the
         * original answers {@code bad packet type error}, chunk 1.0 (and {@link FrameDecoder})
         * {@code unknown packet type 2}. Such a server speaks version 1 only.
         */
        public boolean refusesPacketType() {
            return reason.contains("packet type");
        }
    }

    private static void requireValidVersion(long version) {
        if (version < 1) {
            throw new IllegalArgumentException("a persistent-connection version is at least 1, not " + version);
        }
    }

    private static void requireValidPieceLength(long pieceLength) {
        if (!isValidPieceLength(pieceLength)) {
            throw new IllegalArgumentException("a piece length is a power of two from " + MIN_PIECE_LENGTH
                    + " to " + MAX_PIECE_LENGTH + ", not " + pieceLength);
        }
    }

    private static void requireValidFileName(String fileName) {
        if (fileName.isEmpty()) {
            throw new IllegalArgumentException("a file name cannot be empty");
        }
        if (fileName.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a file name cannot contain a NUL character");
        }
        int bytes = utf8Length(fileName, "a file name");
        if (bytes > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException(
                    "a file name is limited to " + MAX_TEXT_BYTES + " bytes of UTF-8, this one has " + bytes);
        }
    }

    /**
     * The length of {@code text} in UTF-8. A string with an unpaired surrogate has no UTF-8
     * form ({@code getBytes} would silently put {@code ?} in its place and so ask for
     * another file), hence it is rejected here rather than mangled on the wire.
     */
    private static int utf8Length(String text, String what) {
        try {
            return StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text))
                    .remaining();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " must be well-formed Unicode (it has an unpaired surrogate)", e);
        }
    }
}
