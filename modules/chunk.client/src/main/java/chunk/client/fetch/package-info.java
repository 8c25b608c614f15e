/**
 * The chunks' connections: {@code Chunks} runs one task per chunk ({@code ChunkTask}) on its
 * own virtual thread inside the {@code StructuredTaskScope} ({@code ChunkScope}, the one class
 * that uses that preview API), with a referee for silent connections; each task asks the piece
 * map what to fetch next and fetches it ({@code ChunkFetcher}) through a mirror's
 * {@link chunk.client.net.Transfer}, hashing each piece on its way from the socket to the part
 * file.
 *
 * <p>May use {@code plan}, {@code disk}, {@code net} and {@code text}. Knows nothing of frames
 * or status codes, and decides nothing of its own: what to fetch, and what a failure means for
 * a server, is the piece map's. Nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.fetch;

import org.jspecify.annotations.NullMarked;
