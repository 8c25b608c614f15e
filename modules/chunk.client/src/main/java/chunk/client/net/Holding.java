package chunk.client.net;

import chunk.wire.Digest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a mirror holds under a name, as far as it can say. */
public sealed interface Holding {

    /**
     * The piece length at which the census asks for a file's root and first digests: 1 MiB, the
     * length of most downloads' pieces, so that the first page is often all a download needs.
     * A {@link DigestScheme#TREE tree} root is the same at every length; a flat one is not.
     */
    int IDENTITY_PIECE_LENGTH = 1 << 20;

    /** The file's length in bytes. */
    long size();

    /**
     * A mirror that gives digests: the file's root, the first page of digests at
     * {@link #IDENTITY_PIECE_LENGTH}, which add up to the root where the page holds them all,
     * and what kind of digests they are.
     */
    record Rooted(long size, Digest root, List<Digest> firstDigests, DigestScheme scheme) implements Holding {
        public Rooted {
            firstDigests = List.copyOf(firstDigests);
        }
    }

    /** A mirror that gives the size alone (a version-1 server, or digests not asked for). */
    record SizeOnly(long size) implements Holding {}

    /**
     * A mirror that gives no digests but names the version of the file it holds (an HTTP
     * mirror): its size, and a strong validator (an entity tag, or a modification date that
     * is one), which says whether two answers of one origin are of the same version. Validators
     * of different origins are not comparable: the same file has a different one on each.
     *
     * @param origin where the validator comes from ({@code https://host:443}): answers of one
     *     origin with different validators are of different versions
     * @param validator the strong validator as the mirror gave it ({@code "5f3c-1000"}), or
     *     null if it gave none
     */
    record Validated(long size, String origin, @Nullable String validator) implements Holding {}
}
