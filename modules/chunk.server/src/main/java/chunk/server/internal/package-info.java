/**
 * The server's implementation: the command line (and {@code --print-root}), the accept loop,
 * one request handler per connection, path confinement, idle watchdog, rate limiter and access
 * log. What the server knows of its files' digests, and how it hashes them, is the sub-package
 * {@code chunk.server.internal.digests}.
 */
@NullMarked
package chunk.server.internal;

import org.jspecify.annotations.NullMarked;
