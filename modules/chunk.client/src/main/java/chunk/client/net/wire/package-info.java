/**
 * chunk's wire protocol as a {@link chunk.client.net.Mirror} ({@code WireMirror}): version 1,
 * byte for byte the original's, and the DIGESTS and KEEP-OPEN extensions, asked for and fallen
 * back from per server ({@code WireVersions} remembers, for the run, which servers speak
 * which). {@code ConnectionPool} keeps the download's connections open between requests where
 * a server agrees; {@code PooledConnection} is one request and its reply on one of them, and
 * {@code ServerConnection} one TCP connection. {@code WireFailures} turns what went wrong into
 * failure kinds.
 *
 * <p>The only package of the client that builds or reads frames (through {@code chunk.wire}).
 * May use {@code net}, {@code text} and the API. Nothing is null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package chunk.client.net.wire;

import org.jspecify.annotations.NullMarked;
