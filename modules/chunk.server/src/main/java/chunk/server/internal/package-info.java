/**
 * The server's implementation: the command line (its option table in {@code CommandLine}, the
 * manual its help, man page and completions are made from in {@code ServerManual}, its exit
 * codes in {@code ExitCode}), the accept loop, one request handler per connection, path confinement, idle watchdog, rate limiter and access log, and the
 * digest service that answers DIGESTS requests from its cache of piece digests.
 */
@NullMarked
package chunk.server.internal;

import org.jspecify.annotations.NullMarked;
