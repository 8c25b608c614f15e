/**
 * What the server knows of its files' digests, and how it comes to know it. A request's DIGESTS
 * goes to the {@link chunk.server.internal.digests.DigestService}, which answers from the file's
 * digest tree on a connection kept open at version 2 and with flat digests on any other
 * ({@code FlatDigests}, as in round 2). The {@link chunk.server.internal.digests.TreeStore} holds
 * each version's tree: in memory, in the {@link chunk.server.internal.digests.TreeCacheFolder} on
 * disk (kept across restarts, checked when read), or made by one
 * {@link chunk.server.internal.digests.TreePass} over the file. A
 * {@link chunk.server.internal.digests.FileIdentity} says which version a tree is of. Passes run
 * on the few {@link chunk.server.internal.digests.HashingThreads}, requests' before background
 * work, and {@code BackgroundHashing} walks and watches the served folder so that trees are made
 * before clients ask.
 */
@NullMarked
package chunk.server.internal.digests;

import org.jspecify.annotations.NullMarked;
