package chunk.client.net;

import chunk.client.ServerAddress;
import chunk.wire.ByteRange;

/**
 * One mirror of the files being downloaded, as the download sees it: what it holds under a
 * name, the digests of pieces where it has them, and the bytes of a range. This is the seam
 * between scheduling and protocols: the census, the piece map and the chunks' connections see
 * mirrors only through it, and never a frame or a status code. chunk's wire protocol
 * ({@link chunk.client.net.wire.WireMirror}) implements it; a second protocol (HTTP) is a
 * second implementation, made where the download makes its mirrors.
 *
 * <p>Whatever a mirror learns of its server (which version of a protocol it speaks, whether
 * it keeps connections open) it keeps to itself. Failures come back as
 * {@link MirrorException}s whose kind says what happened; a mirror never decides for the
 * download whether to ask again. Safe for use by many threads at once.
 */
public interface Mirror {

    /** The server, as reports and the progress line name it. */
    ServerAddress address();

    /**
     * What the mirror holds under {@code fileName}: its size, and, if {@code wantDigests} and
     * the mirror gives digests, the file's root and the first page of its digests.
     *
     * @throws MirrorException if it cannot say (no such file, refused, timed out, ...)
     */
    Holding hold(String fileName, boolean wantDigests) throws MirrorException;

    /**
     * The digests of the pieces of {@code fileName} from {@code firstPiece} on, at
     * {@code pieceLength}: one page, at most {@link chunk.wire.Frame#MAX_DIGESTS_PER_REPLY}.
     *
     * @throws MirrorException if it gives none, or cannot now
     */
    DigestPage digests(String fileName, long firstPiece, int pieceLength) throws MirrorException;

    /**
     * A connection ready to fetch {@code range} of {@code fileName}: nothing is asked until
     * {@link Transfer#begin()}, so that the transfer can be handed to whoever may stop it first.
     *
     * @throws MirrorException if no connection could be had (refused, unknown host, timed out)
     */
    Transfer open(String fileName, ByteRange range) throws MirrorException;
}
