package chunk.client.net;

import chunk.wire.Digest;
import java.util.List;

/** What a mirror holds under a name, as far as it can say. */
public sealed interface Holding {

    /**
     * The piece length at which a file's root names it, for every mirror alike and for
     * {@code --root}: the root of the digests of its 1 MiB pieces.
     */
    int IDENTITY_PIECE_LENGTH = 1 << 20;

    /** The file's length in bytes. */
    long size();

    /**
     * A mirror that gives digests: the file's root at {@link #IDENTITY_PIECE_LENGTH}, and the
     * first page of digests at that length, which add up to the root where the page holds them all.
     */
    record Rooted(long size, Digest root, List<Digest> firstDigests) implements Holding {
        public Rooted {
            firstDigests = List.copyOf(firstDigests);
        }
    }

    /** A mirror that gives the size alone (a version-1 server, or digests not asked for). */
    record SizeOnly(long size) implements Holding {}
}
