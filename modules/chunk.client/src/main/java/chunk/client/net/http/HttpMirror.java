package chunk.client.net.http;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure.Kind;
import chunk.client.net.DigestPage;
import chunk.client.net.Holding;
import chunk.client.net.Mirror;
import chunk.client.net.MirrorException;
import chunk.client.net.StallWatchdog;
import chunk.client.net.Transfer;
import chunk.client.text.HumanFormat;
import chunk.wire.ByteRange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.jspecify.annotations.Nullable;

/**
 * An HTTP or HTTPS server as a {@link Mirror}: the file's URL (a folder's with the name
 * appended, percent-encoded; or a file's own), asked in ranged GETs as RFC 9110 has them.
 *
 * <ul>
 * <li>What it holds: a GET of {@code bytes=0-0}, following redirects ({@value #MAX_REDIRECTS} at
 *     most, never from https to http), whose {@code 206} gives the size in its
 *     {@code Content-Range} and a strong validator; the final URL is the one every range asks.
 *     A {@code 200} means the server serves no ranges: it is left out ({@link Kind#NO_RANGES}).
 * <li>A range: a GET of {@code bytes=first-last} with {@code If-Range} set to the validator,
 *     taken only as a {@code 206} whose {@code Content-Range} is exactly that range of a file of
 *     the same size and, where it names one, the same validator, and read to exactly its length.
 *     A {@code 200} (the whole file: If-Range said it changed, or the server ignored the range)
 *     is never written anywhere: it is {@link Kind#CHANGED} or {@link Kind#NO_RANGES}.
 * <li>{@code 429} and {@code 503} are {@link Kind#BUSY}; a {@code Retry-After} no longer than
 *     the stall timeout makes every request to this mirror wait that long first, a longer one
 *     is the answer.
 * <li>No digests: {@link #digests} is never answered, and pieces from an HTTP mirror are
 *     checked against the digests of other mirrors of the download where any gives them.
 * </ul>
 */
public final class HttpMirror implements Mirror {

    /** Redirects followed before a mirror is given up on: curl and browsers stop at 20 or 50; chains of mirrors are short. */
    static final int MAX_REDIRECTS = 10;
    /** Times a busy answer with a short {@code Retry-After} is waited out while the census asks. */
    private static final int BUSY_RETRIES = 3;

    private final ServerAddress.Url address;
    private final HttpConnections connections;
    /** What each name is here: the final URL, size and validator; learnt by {@link #hold}. */
    private final Map<String, Resource> resources = new ConcurrentHashMap<>();
    /** When the mirror may be asked again ({@code Retry-After}), as {@link System#nanoTime}; 0 for now. */
    private final AtomicLong notBefore = new AtomicLong();

    /** What a name is on this mirror: the URL the ranges ask, its size, and its version. */
    private record Resource(URI uri, long size, @Nullable String validator, String origin) {}

    public HttpMirror(ServerAddress.Url address, HttpConnections connections) {
        this.address = address;
        this.connections = connections;
    }

    @Override
    public ServerAddress.Url address() {
        return address;
    }

    /** The URL of {@code fileName} on this mirror. */
    private URI uriOf(String fileName) throws MirrorException {
        if (!address.folder()) {
            return address.uri();
        }
        for (String segment : fileName.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new MirrorException(Kind.NOT_FOUND, "'" + fileName + "' has an empty, . or .. part: it names no file below "
                        + address);
            }
        }
        return URI.create(address.uri() + HttpReplies.encodedPath(fileName));
    }

    @Override
    public Holding hold(String fileName, boolean wantDigests) throws MirrorException {
        URI uri = uriOf(fileName);
        for (int redirects = 0, busy = 0; ; ) {
            waitTurn(null);
            try (Exchange exchange = new Exchange(uri, 0, 0, null)) {
                ClassicHttpResponse response = exchange.send();
                int code = response.getCode();
                switch (code) {
                    case 206 -> {
                        HttpReplies.ContentRange range = HttpReplies.contentRange(response);
                        if (range == null || range.first() != 0 || range.last() != 0) {
                            throw HttpFailures.unexpected("answered bytes=0-0 with Content-Range " + header(response, "Content-Range"));
                        }
                        exchange.finish(1);
                        return held(fileName, uri, range.size(), response);
                    }
                    case 416 -> {
                        // Not even the first byte exists: an empty file says so with its size, */0.
                        if (HttpReplies.unsatisfiedSize(response) != 0) {
                            throw HttpFailures.unexpected("refused bytes=0-0 (416) of a file it does not say is empty");
                        }
                        return held(fileName, uri, 0, response);
                    }
                    case 200 -> throw new MirrorException(Kind.NO_RANGES,
                            "answered a range request with the whole file (200): it serves no byte ranges");
                    case 301, 302, 303, 307, 308 -> {
                        uri = redirected(uri, response, ++redirects);
                    }
                    case 429, 503 -> {
                        MirrorException refused = busy(response);
                        if (++busy > BUSY_RETRIES || notBefore.get() - System.nanoTime() <= 0) {
                            throw refused;
                        }
                    }
                    default -> throw HttpFailures.status(response);
                }
            }
        }
    }

    /** Remembers what {@code fileName} is here (the URL after redirects, size, validator) and says it. */
    private Holding held(String fileName, URI uri, long size, ClassicHttpResponse response) {
        String origin = HttpReplies.origin(uri);
        String validator = HttpReplies.strongValidator(response);
        resources.put(fileName, new Resource(uri, size, validator, origin));
        return new Holding.Validated(size, origin, validator);
    }

    /** Where a redirect leads: resolved against {@code from}, at most {@value #MAX_REDIRECTS} in a row, never from https to http. */
    private URI redirected(URI from, ClassicHttpResponse response, int count) throws MirrorException {
        Header location = response.getFirstHeader("Location");
        if (location == null) {
            throw HttpFailures.unexpected("redirected (" + response.getCode() + ") without a Location");
        }
        if (count > MAX_REDIRECTS) {
            throw new MirrorException(Kind.SERVER_ERROR, "redirected more than " + MAX_REDIRECTS + " times (a loop?)");
        }
        URI to;
        try {
            to = from.resolve(new URI(location.getValue().strip()));
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            throw HttpFailures.unexpected("redirected to '" + location.getValue() + "', which is not a URL");
        }
        String scheme = to.getScheme() == null ? "" : to.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
            throw HttpFailures.unexpected("redirected to '" + to + "', which is not an http or https URL");
        }
        if (from.getScheme().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new MirrorException(Kind.SERVER_ERROR, "redirected from https to " + to + ": not followed (it would drop TLS)");
        }
        return to;
    }

    /** A busy answer; its {@code Retry-After}, if it is one the mirror may wait out, holds back every request to it. */
    private MirrorException busy(ClassicHttpResponse response) {
        MirrorException refused = HttpFailures.status(response);
        Duration after = HttpReplies.retryAfter(response, Instant.now());
        if (after == null) {
            return refused;
        }
        if (after.compareTo(connections.watchdog().timeout()) > 0) {
            return new MirrorException(Kind.BUSY, refused.reason() + ", and to be asked again in " + HumanFormat.seconds(after));
        }
        long until = System.nanoTime() + after.toNanos();
        notBefore.accumulateAndGet(until, Math::max);
        return new MirrorException(Kind.BUSY, refused.reason() + ", and to be asked again in " + HumanFormat.seconds(after));
    }

    /** Waits until the mirror's {@code Retry-After} has passed, or {@code closed} opens (the transfer was closed). */
    private void waitTurn(@Nullable CountDownLatch closed) throws MirrorException {
        long wait = notBefore.get() - System.nanoTime();
        if (wait <= 0) {
            return;
        }
        try {
            if (closed == null) {
                TimeUnit.NANOSECONDS.sleep(wait);
            } else if (closed.await(wait, TimeUnit.NANOSECONDS)) {
                throw new MirrorException(Kind.CLOSED, "closed while waiting for its Retry-After");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MirrorException(Kind.CLOSED, "interrupted while waiting for its Retry-After");
        }
    }

    private static String header(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? "(none)" : header.getValue();
    }

    @Override
    public DigestPage digests(String fileName, long firstPiece, int pieceLength) throws MirrorException {
        throw new MirrorException(Kind.SERVER_ERROR, "an HTTP mirror gives no digests");
    }

    @Override
    public Transfer open(String fileName, ByteRange range) throws MirrorException {
        Resource resource = resources.get(fileName);
        if (resource == null) {
            hold(fileName, false);
            resource = resources.get(fileName);
        }
        return new RangeTransfer(resource, range);
    }

    /**
     * One GET on one connection of the pool, watched by the stall watchdog, which cancels it
     * (closing its connection) when nothing comes; {@link #close} gives the connection back
     * for the next request if the body was read to its end, and closes it otherwise.
     */
    private final class Exchange implements AutoCloseable {
        private final HttpGet request;
        private final StallWatchdog.Watch watch;
        private volatile @Nullable ClassicHttpResponse response;
        private volatile boolean finished;

        /** A GET of {@code uri}, bytes {@code first} to {@code last}, with {@code If-Range: ifRange} if not null. */
        Exchange(URI uri, long first, long last, @Nullable String ifRange) {
            this.request = new HttpGet(uri);
            request.addHeader("Range", "bytes=" + first + "-" + last);
            if (ifRange != null) {
                request.addHeader("If-Range", ifRange);
            }
            this.watch = connections.watchdog().watch(request::cancel);
        }

        ClassicHttpResponse send() throws MirrorException {
            try {
                ClassicHttpResponse sent = connections.client().executeOpen(null, request, null);
                response = sent;
                watch.progress();
                return sent;
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** What went wrong with this exchange: a stall if the watchdog cancelled it. */
        MirrorException failure(IOException e) {
            if (watch.expired()) {
                return HttpFailures.stalled(connections.watchdog().timeout(), e);
            }
            if (request.isCancelled()) {
                return new MirrorException(Kind.CLOSED, "closed by the client", e);
            }
            return HttpFailures.of(e);
        }

        InputStream body() throws MirrorException {
            HttpEntity entity = response == null ? null : response.getEntity();
            if (entity == null) {
                throw HttpFailures.unexpected("sent no body");
            }
            try {
                return entity.getContent();
            } catch (IOException e) {
                throw failure(e);
            }
        }

        void progress() {
            watch.progress();
        }

        /**
         * Reads the rest of a body of {@code expected} bytes and makes sure it ends there, so that
         * the connection goes back to the pool.
         */
        void finish(long expected) throws MirrorException {
            try {
                InputStream body = body();
                long read = 0;
                while (read < expected) {
                    long n = body.skip(expected - read);
                    if (n <= 0) {
                        if (body.read() < 0) {
                            throw HttpFailures.cutShort(read, expected);
                        }
                        n = 1;
                    }
                    read += n;
                }
                atEnd(body);
            } catch (IOException e) {
                throw failure(e);
            }
        }

        /** Whether the body ends here; if so, the connection may carry the next request. */
        void atEnd(InputStream body) throws IOException {
            if (body.read() < 0) {
                finished = true;
            }
        }

        /** Stops it from any thread: a reader's next read fails. */
        void cancel() {
            request.cancel();
        }

        @Override
        public void close() {
            watch.close();
            ClassicHttpResponse sent = response;
            if (!finished) {
                // The rest of the body is not wanted: the connection cannot carry another request.
                request.cancel();
            }
            if (sent != null) {
                try {
                    sent.close();
                } catch (IOException e) {
                    // Closing is all that was wanted.
                }
            }
        }
    }

    /** A ranged GET and its {@code 206}'s body, exactly the range. */
    private final class RangeTransfer implements Transfer {
        /** Bytes moved from the body to the caller's buffer at a time. */
        private static final int SCRATCH = 64 * 1024;

        private final Resource resource;
        private final ByteRange range;
        private final Exchange exchange;
        private final CountDownLatch closed = new CountDownLatch(1);
        private final AtomicBoolean closing = new AtomicBoolean();
        private @Nullable InputStream body;
        private byte @Nullable [] scratch;
        private long received;

        RangeTransfer(Resource resource, ByteRange range) {
            this.resource = resource;
            this.range = range;
            this.exchange = new Exchange(resource.uri(), range.offset(), range.offset() + range.length() - 1,
                    resource.validator());
        }

        @Override
        public void begin() throws MirrorException {
            waitTurn(closed);
            ClassicHttpResponse response = exchange.send();
            switch (response.getCode()) {
                case 206 -> checkPartial(response);
                case 200 -> {
                    String validator = HttpReplies.strongValidator(response);
                    long length = HttpReplies.contentLength(response);
                    boolean same = length == resource.size() && (resource.validator() == null
                            || resource.validator().equals(validator));
                    throw same ? new MirrorException(Kind.NO_RANGES, "answered a range request with the whole file (200)")
                            : new MirrorException(Kind.CHANGED, "sent another version of the file (200"
                                    + (validator == null ? "" : ", " + validator) + ") instead of the range");
                }
                case 416 -> throw new MirrorException(Kind.CHANGED, "refused bytes " + range + " (416): the file is shorter now");
                case 429, 503 -> throw busy(response);
                default -> throw HttpFailures.status(response);
            }
            body = exchange.body();
            scratch = new byte[(int) Math.min(SCRATCH, range.length())];
        }

        /** A 206 is the range asked for, of the same file: its Content-Range, size, validator and length say so. */
        private void checkPartial(ClassicHttpResponse response) throws MirrorException {
            HttpReplies.ContentRange sent = HttpReplies.contentRange(response);
            long last = range.offset() + range.length() - 1;
            if (sent == null) {
                throw HttpFailures.unexpected("answered bytes " + range + " without a Content-Range of one range ("
                        + header(response, "Content-Range") + ")");
            }
            if (sent.size() != resource.size()) {
                throw new MirrorException(Kind.CHANGED, "has " + sent.size() + " bytes now, not " + resource.size());
            }
            if (sent.first() != range.offset() || sent.last() != last) {
                throw HttpFailures.unexpected("sent bytes " + ByteRange.between(sent.first(), sent.last() + 1) + " for "
                        + range + " (Content-Range " + header(response, "Content-Range") + ")");
            }
            String validator = HttpReplies.strongValidator(response);
            if (resource.validator() != null && validator != null && !validator.equals(resource.validator())) {
                throw new MirrorException(Kind.CHANGED, "has another version of the file now (" + validator + ", not "
                        + resource.validator() + ")");
            }
            long length = HttpReplies.contentLength(response);
            if (length >= 0 && length != range.length()) {
                throw HttpFailures.unexpected("sent a body of " + length + " bytes for the " + range.length() + " of " + range);
            }
        }

        @Override
        public int read(ByteBuffer buffer) throws MirrorException {
            long left = range.length() - received;
            if (left == 0) {
                return -1;
            }
            int want = (int) Math.min(Math.min(buffer.remaining(), left), scratch.length);
            int n;
            try {
                n = body.read(scratch, 0, want);
            } catch (IOException e) {
                MirrorException failure = exchange.failure(e);
                throw failure.kind() == Kind.CLOSED && !closing.get() ? HttpFailures.cutShort(received, range.length()) : failure;
            }
            if (n < 0) {
                throw HttpFailures.cutShort(received, range.length());
            }
            buffer.put(scratch, 0, n);
            received += n;
            exchange.progress();
            if (received == range.length()) {
                try {
                    exchange.atEnd(body);
                } catch (IOException e) {
                    // The range is whole; the connection only cannot be used again.
                }
            }
            return n;
        }

        @Override
        public void close() {
            if (closing.compareAndSet(false, true)) {
                closed.countDown();
                exchange.close();
            }
        }
    }
}
