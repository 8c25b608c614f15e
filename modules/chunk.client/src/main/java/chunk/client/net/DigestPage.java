package chunk.client.net;

import chunk.wire.Digest;
import java.util.List;

/**
 * One page of a file's piece digests, as a mirror sent it: checked by the caller against what
 * was asked (the first piece, the size) and against the other pages' root.
 *
 * @param fileSize the size of the file the digests are of
 * @param firstPiece the index of the first piece the page holds
 * @param root the root of all the file's digests at this piece length
 * @param digests the pieces' digests, in order
 * @param scheme what kind of digests they are
 */
public record DigestPage(long fileSize, long firstPiece, Digest root, List<Digest> digests, DigestScheme scheme) {
    public DigestPage {
        digests = List.copyOf(digests);
    }
}
