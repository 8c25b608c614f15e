/**
 * The server's implementation: the command line, the accept loop, one request handler per
 * connection, path confinement, idle watchdog, rate limiter and access log, and the
 * digest service that answers DIGESTS requests from its cache of piece digests.
 */
@NullMarked
package chunk.server.internal;

import org.jspecify.annotations.NullMarked;
