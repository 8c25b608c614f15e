/**
 * HTTP(S) mirrors behind the seam: {@code HttpMirror} implements {@link chunk.client.net.Mirror}
 * with ranged GETs (RFC 9110: the size and a strong validator from the first ranged GET,
 * {@code If-Range} on every range, only a {@code 206} whose {@code Content-Range} is the range
 * asked for, redirects followed a bounded number of times, {@code Retry-After} honoured),
 * on the connections of {@code HttpConnections} (Apache HttpClient 5, classic and blocking, kept
 * alive, one per download; TLS with the system's trust anchors and {@code --ca-cert}'s).
 * {@code HttpFailures} turns what went wrong into failure kinds; {@code HttpReplies} reads the
 * few header values ranges need; {@code SystemLoggerProvider} sends the library's SLF4J
 * logging to {@code System.Logger}, so that it prints in the program's one-line form.
 *
 * <p>May use {@code net}, {@code text} and the API. Nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.net.http;

import org.jspecify.annotations.NullMarked;
