package chunk.server.internal;

import chunk.wire.ByteRange;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Writes one line per request (on a connection that is not kept open, per connection), in this
 * shape (fields separated by one space):
 * <pre>
 * 2026-11-25T10:00:00.123Z 127.0.0.1:51234 CHUNK hello.txt [7,14) ok 7 B 0.4 ms
 * </pre>
 * time (UTC, milliseconds), client address, request type ({@code SIZE}, {@code CHUNK},
 * {@code DIGESTS}, {@code KEEP-OPEN}, or {@code -} when no valid request arrived), file name ({@code -} if none;
 * in double quotes with escapes if it holds spaces, quotes or control characters), requested
 * range ({@code [start,end)} of bytes for a chunk; for digests, the pieces whose digests were
 * sent, {@code [first,first)} if none; for a chunk request refused as {@code bad-range}, the
 * numbers as it sent them, so {@code [-5,5)} for offset -5 and size 10; {@code -} otherwise), outcome (one word, see
 * {@link Outcome}), file bytes sent and the time the request took (from the accept for a
 * connection's first request, from its first byte for a later one on a kept-open connection,
 * to the end of the reply). A kept-open connection that ends between two requests, before any
 * byte of the next one, writes no line: that is no request.
 */
final class AccessLog {

    /** The outcome of one request, as one stable word in the log. */
    enum Outcome {
        OK("ok"),
        NO_SUCH_FILE("no-such-file"),
        CANNOT_READ("cannot-read"),
        BAD_RANGE("bad-range"),
        BAD_REQUEST("bad-request"),
        NAME_TOO_LONG("name-too-long"),
        UNKNOWN_TYPE("unknown-type"),
        NO_REQUEST("no-request"),
        /** The whole request did not arrive within the header timeout. */
        HEADER_TIMEOUT("header-timeout"),
        /**
         * Its address had more connections waiting for their request than allowed, and it had been
         * silent the longest (evicted, see {@link WaitingRoom}); or the server had no room for it to
         * wait at all (turned away with "server busy").
         */
        TOO_MANY_WAITING("too-many-waiting"),
        /** Every transfer place stayed taken for as long as a request may wait for one: answered "server busy". */
        BUSY("busy"),
        IDLE_TIMEOUT("idle-timeout"),
        CLIENT_GONE("client-gone"),
        FILE_SHRANK("file-shrank"),
        /** The file was changed or replaced while the reply was sent: the reply was cut short. */
        FILE_CHANGED("file-changed"),
        SHUTDOWN("shutdown"),
        SERVER_ERROR("server-error");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        String word() {
            return word;
        }
    }

    /**
     * What a request asked for: bytes of a file for a chunk, pieces for digests. Unlike a
     * {@link ByteRange} it may be no valid range at all, as a request refused for it sent it.
     */
    record Span(long start, long length) {
        static Span of(ByteRange range) {
            return new Span(range.offset(), range.length());
        }

        /** {@code [start,end)}, the end exact even where it is past what a {@code long} holds. */
        @Override
        public String toString() {
            long end = start + length;
            // Overflow only when both have the same sign and the sum's sign differs.
            boolean overflows = ((start ^ end) & (length ^ end)) < 0;
            return "[" + start + "," + (overflows ? BigInteger.valueOf(start).add(BigInteger.valueOf(length)) : end) + ")";
        }
    }

    /** What happened to one request. */
    record Entry(String client, String type, @Nullable String file, @Nullable Span range,
                 Outcome outcome, long bytesSent, long nanos) {}

    // Always three digits of milliseconds (ISO_INSTANT drops them when zero), so that every line splits alike.
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final @Nullable Consumer<String> sink;

    /** @param sink where the lines go, or null for no log (then no line is even made) */
    AccessLog(@Nullable Consumer<String> sink) {
        this.sink = sink;
    }

    void record(Entry entry) {
        if (sink != null) {
            sink.accept(format(entry, Instant.now()));
        }
    }

    static String format(Entry entry, Instant when) {
        StringBuilder line = new StringBuilder(120);
        line.append(TIME.format(when));
        line.append(' ').append(entry.client());
        line.append(' ').append(entry.type());
        line.append(' ').append(entry.file() == null ? "-" : quoted(entry.file()));
        line.append(' ').append(entry.range() == null ? "-" : entry.range().toString());
        line.append(' ').append(entry.outcome().word());
        line.append(' ').append(entry.bytesSent()).append(" B");
        // Tenths of a millisecond by hand: String.format was a fifth of a request's own CPU
        // (docs/BENCHMARKS.md, "1000 chunks: the pieces, not the connections").
        long tenths = Math.round(entry.nanos() / 1e5);
        line.append(' ').append(tenths / 10).append('.').append(tenths % 10).append(" ms");
        return line.toString();
    }

    /** The name as is when it is one plain token, otherwise in quotes, so that a log line always splits the same way. */
    static String quoted(String name) {
        boolean plain = !name.isEmpty() && name.codePoints().allMatch(c -> c > ' ' && c != '"' && c != '\\' && c != 0x7f);
        if (plain && !name.equals("-")) {
            return name;
        }
        StringBuilder out = new StringBuilder(name.length() + 2).append('"');
        name.codePoints().forEach(c -> {
            if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
            } else if (c < ' ' || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\x%02x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.append('"').toString();
    }
}
