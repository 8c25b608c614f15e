/**
 * The server's implementation: {@link chunk.server.internal.RunningServer} behind the
 * {@code FileServer} API wires the parts below together. A connection's path through them:
 *
 * <ul>
 *   <li>{@link chunk.server.internal.Main}, {@link chunk.server.internal.CommandLine}:
 *       {@code myserver}'s arguments into a {@code ServerConfig}, its start-up line, exit codes
 *       ({@link chunk.server.internal.ExitCode}); {@link chunk.server.internal.ServerManual}: the
 *       manual its help, man page and shell completions are made from;
 *       {@link chunk.server.internal.RootPrinter}: {@code myserver --print-root <file>...}.
 *   <li>{@link chunk.server.internal.AcceptLoop}: accepts under the cap on open connections
 *       (fitted to the open file limit by {@link chunk.server.internal.OpenFileLimit}), one
 *       virtual thread per connection.
 *   <li>{@link chunk.server.internal.Connection}: one client connection, its phase, its
 *       deadline, and why the server closed it if it did.
 *   <li>{@link chunk.server.internal.Admission}: who may wait and who is served. Connections
 *       waiting for a request are in the {@link chunk.server.internal.WaitingRoom}, counted
 *       per address, the silent evicted first; a request that has arrived takes one of the
 *       transfer places, or is told the server is busy.
 *   <li>{@link chunk.server.internal.RequestHandler}: reads one request and answers it.
 *       {@link chunk.server.internal.FileResolver} confines names to the root, one name per
 *       file; {@link chunk.server.internal.FileVersion} keeps a reply to one version of a
 *       file; the sub-package {@code chunk.server.internal.digests} answers DIGESTS: each file's
 *       digest tree, kept in memory and in a cache folder and made in the background, and the
 *       flat digests of chunk's round 2.
 *   <li>Pacing a reply: {@link chunk.server.internal.RateLimiter} per connection,
 *       {@link chunk.server.internal.SharedBandwidth} for the whole server,
 *       {@link chunk.server.internal.SendBufferWait} while the client's buffer is full.
 *   <li>{@link chunk.server.internal.IdleWatchdog}: one timer per connection for its
 *       deadline, and the server's tick (the root still there, the silent evicted).
 *   <li>{@link chunk.server.internal.AccessLog}: one line per request, its outcome one stable word.
 * </ul>
 *
 * <p>What must never happen, and where it is kept from happening: a byte of a file outside
 * the root sent ({@code FileResolver}, and {@code RequestHandler} opens only the real path it
 * gives, refusing links); one reply that mixes two versions of a file ({@code FileVersion});
 * a connection whose request has begun to arrive evicted for one that sent nothing
 * ({@code WaitingRoom}); one client's failure that reaches another ({@code RequestHandler}
 * never throws); a tree of one version of a file given for another ({@code digests.FileIdentity},
 * checked on every use and every read of the cache folder). This package uses only
 * {@code chunk.wire}, {@code chunk.wire.tree}, {@code chunk.wire.cli}, the API package
 * {@code chunk.server} and its own {@code digests}.
 */
@NullMarked
package chunk.server.internal;

import org.jspecify.annotations.NullMarked;
