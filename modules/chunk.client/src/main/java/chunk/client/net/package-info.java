/**
 * The seam between the download and the protocols: {@code Mirror} is all a download needs
 * from one mirror (what it holds under a name, {@code Holding}; the digests of pieces, a
 * {@code DigestPage}; the bytes of a range, through a {@code Transfer}), and
 * {@code MirrorException} how it failed, as a kind. {@code StallWatchdog} closes connections
 * that bring nothing for the stall timeout, for every protocol alike.
 *
 * <p>Each protocol is a subpackage that implements {@code Mirror}: {@code net.wire} for
 * chunk's own. Above this package nothing sees a frame or a status code. May use only
 * {@code text}, the API and {@code chunk.wire}. Nothing is null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package chunk.client.net;

import org.jspecify.annotations.NullMarked;
