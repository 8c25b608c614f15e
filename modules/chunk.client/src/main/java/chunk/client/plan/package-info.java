/**
 * Who fetches what: the file cut into pieces and the chunks that start the download
 * ({@code ChunkPlanner}), the piece map that alone knows each piece's state and decides what
 * each chunk's connection fetches next, its own chunk first, then the rest others left, the
 * back half of the slowest range, the tail of a connection a faster server would finish first
 * ({@code PieceMap}, handing out {@code Lease}s), and what the download knows of each server
 * ({@code ServerBoard}, where every change to a server's state is made).
 *
 * <p>The one owner of done, in-flight and resumed bytes: progress, summary, {@code --json} and
 * the resume record read them here. Decides by failure kinds, never by words. Takes a clock,
 * so that tests drive time. May use only the API and {@code chunk.wire}'s values. Nothing is
 * null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.plan;

import org.jspecify.annotations.NullMarked;
