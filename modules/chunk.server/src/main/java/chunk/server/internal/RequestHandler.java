package chunk.server.internal;

import chunk.server.internal.AccessLog.Entry;
import chunk.server.internal.AccessLog.Outcome;
import chunk.server.internal.digests.DigestService;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Serves a connection's requests one at a time: reads one, answers SIZE, CHUNK, DIGESTS or
 * ERROR, and says what happened for the access log and whether the connection may carry
 * another. A connection whose first frame is a keep-open gets the server's agreement instead
 * and may then carry any number of requests, each answered as on a connection of its own;
 * there an ERROR leaves the connection open unless the request was malformed or the server
 * busy. Never throws: whatever goes wrong with one client stays with that client.
 */
final class RequestHandler {

    private static final System.Logger LOG = System.getLogger("chunk.server");

    /** How long to wait for a client to hang up after an error reply, and how much of its leftover request to swallow. */
    private static final long LINGER_NANOS = 2_000_000_000L;
    private static final int LINGER_BYTES = 64 * 1024;

    /** How much of a reply is sent between two checks that the file is still the version being sent. */
    static final long VERSION_CHECK_BYTES = 256 * 1024;

    /** The reason for a name longer than any path the server can open. */
    private static final String NAME_TOO_LONG = "name too long";

    /** A kept-open connection that ended between two requests: no request, nothing to log. */
    private static final Served ENDED = new Served(null, false);

    private final FileResolver resolver;
    private final Admission admission;
    private final long rateLimit;
    private final SharedBandwidth bandwidth;
    private final Runnable onMissingFile;
    private final long keepOpenWaitMillis;
    private final Duration idleTimeout;
    /** One per server: the digests it knows are shared by all connections. */
    private final DigestService digests;

    /**
     * @param admission gives a connection whose request has arrived its transfer place
     * @param rateLimit bytes per second per connection, 0 for none
     * @param bandwidth the whole server's cap, shared by all transfers
     * @param onMissingFile called after a "no such file", so that the server can check that its root still exists
     * @param headerTimeout how long a request may take to arrive, which a keep-open reply tells the client
     * @param idleTimeout how long a transfer may make no progress, which bounds how long it sleeps on a full socket
     * @param digests answers DIGESTS requests
     */
    RequestHandler(FileResolver resolver, Admission admission, long rateLimit, SharedBandwidth bandwidth,
                   Runnable onMissingFile, Duration headerTimeout, Duration idleTimeout, DigestService digests) {
        this.resolver = resolver;
        this.admission = admission;
        this.rateLimit = rateLimit;
        this.bandwidth = bandwidth;
        this.onMissingFile = onMissingFile;
        this.keepOpenWaitMillis = Math.max(1, headerTimeout.toMillis());
        this.idleTimeout = idleTimeout;
        this.digests = digests;
    }

    /**
     * What one request came to.
     *
     * @param entry its access log line, or {@code null} if a kept-open connection ended before
     *     any byte of a next request arrived (the client hung up, it timed out, or shutdown)
     * @param another whether the connection is kept open and may carry the next request
     */
    record Served(@Nullable Entry entry, boolean another) {}

    /** Builds the access log entry of a request as it goes. */
    private static final class Exchange {
        final Connection connection;
        String type = "-";
        @Nullable String file;
        AccessLog.@Nullable Span range;
        long bytesSent;
        /** The reply stopped before its end (its data was cut short): the connection cannot carry another. */
        boolean brokenOff;

        Exchange(Connection connection) {
            this.connection = connection;
        }

        Entry end(Outcome outcome) {
            return new Entry(connection.client(), type, file, range, outcome, bytesSent,
                    System.nanoTime() - connection.requestStartNanos());
        }
    }

    /** Reads and answers the request now due on {@code connection}: its first, or the next one on a kept-open connection. */
    Served serve(Connection connection) {
        Exchange exchange = new Exchange(connection);
        try {
            Frame.Opening opening;
            try {
                opening = connection.firstRequest()
                        ? FrameDecoder.readOpening(connection.reader())
                        : FrameDecoder.readRequest(connection.reader());
            } catch (MalformedFrameException e) {
                admission.stopWaiting(connection);
                if (connection.closedBy() == Connection.ClosedBy.EVICTION) {
                    return new Served(evicted(exchange), false);
                }
                if (endedBetweenRequests(connection) && e.problem() == MalformedFrameException.Problem.TRUNCATED_HEADER) {
                    return ENDED;
                }
                return new Served(refuseMalformed(exchange, e), false);
            }
            return switch (opening) {
                case Frame.KeepOpenRequest keepOpen -> agree(exchange, keepOpen);
                case Frame.Request request -> answer(exchange, request);
            };
        } catch (IOException e) {
            Connection.ClosedBy closedBy = connection.closedBy();
            LOG.log(Level.DEBUG, () -> "connection " + connection.id() + " from " + connection.client()
                    + (endedBetweenRequests(connection) ? " ended between requests: " : ": ") + ended(closedBy, e));
            if (closedBy == Connection.ClosedBy.EVICTION) {
                return new Served(evicted(exchange), false);
            }
            if (endedBetweenRequests(connection)) {
                return ENDED;
            }
            return new Served(exchange.end(outcomeOf(closedBy)), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Served(exchange.end(Outcome.SHUTDOWN), false);
        } catch (RuntimeException e) {
            // A bug, not the client's fault: say so without a stack trace, unless debugging.
            LOG.log(Level.WARNING, "connection " + connection.id() + " from " + connection.client() + " failed: " + e);
            LOG.log(Level.DEBUG, "stack trace", e);
            return new Served(exchange.end(Outcome.SERVER_ERROR), false);
        }
    }

    /**
     * Answers a connection for which the server has no room to wait for its request (see
     * {@link WaitingRoom#enter}): "server busy" at once, which the client reads as the answer
     * to the request it sends, then the connection lingers until the client hangs up, so that
     * its request arriving at a closed socket does not reset the connection before the reply is read.
     */
    Entry turnAway(Connection connection) {
        Exchange exchange = new Exchange(connection);
        try {
            sendError(connection, Frame.ErrorReply.SERVER_BUSY);
            lingerUntilClientHangsUp(connection);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection " + connection.id() + " from " + connection.client() + " gone before it was told the server is busy: " + e);
        }
        return exchange.end(Outcome.TOO_MANY_WAITING);
    }

    /**
     * A connection the waiting room evicted. It was silent when chosen; if a request began to
     * arrive in that very moment after all, it is told the server is busy rather than nothing.
     */
    private static Entry evicted(Exchange exchange) {
        Connection connection = exchange.connection;
        if (connection.bytesRead() > 0) {
            try {
                sendError(connection, Frame.ErrorReply.SERVER_BUSY);
            } catch (IOException e) {
                LOG.log(Level.DEBUG, () -> "connection " + connection.id() + ": cannot say the server is busy: " + e);
            }
        }
        return exchange.end(Outcome.TOO_MANY_WAITING);
    }

    /** The access log's word for a connection that ended in a failed read or write. */
    private static Outcome outcomeOf(Connection.ClosedBy closedBy) {
        return switch (closedBy) {
            case HEADER_TIMEOUT -> Outcome.HEADER_TIMEOUT;
            case IDLE_TIMEOUT -> Outcome.IDLE_TIMEOUT;
            case EVICTION -> Outcome.TOO_MANY_WAITING;
            case SHUTDOWN -> Outcome.SHUTDOWN;
            case NONE -> Outcome.CLIENT_GONE;
        };
    }

    /**
     * Why a connection ended early, in the access log's word and a few more. The exception of a
     * channel this server closed itself (a timeout, an eviction, shutdown) says nothing beyond that word.
     */
    private static String ended(Connection.ClosedBy closedBy, IOException e) {
        return switch (closedBy) {
            case HEADER_TIMEOUT -> "header-timeout: the whole request did not arrive in time; closed";
            case IDLE_TIMEOUT -> "idle-timeout: the client took nothing for too long; closed";
            case EVICTION -> "too-many-waiting: silent the longest while its address had too many connections waiting; closed";
            case SHUTDOWN -> "shutdown: closed";
            case NONE -> "client-gone: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName());
        };
    }

    /** A kept-open connection that has not received a byte of its next request: its end is no request's failure. */
    private static boolean endedBetweenRequests(Connection connection) {
        return !connection.firstRequest() && connection.bytesRead() == 0
                && connection.phase() == Connection.Phase.AWAITING_REQUEST;
    }

    /** Agrees to keep the connection open, at the highest version both sides speak; takes no transfer place. */
    private Served agree(Exchange exchange, Frame.KeepOpenRequest request) throws IOException {
        Connection connection = exchange.connection;
        exchange.type = "KEEP-OPEN";
        admission.stopWaiting(connection);
        long version = Math.min(request.version(), Frame.KEEP_OPEN_TREE_VERSION);
        FrameEncoder.write(new Frame.KeepOpenReply(keepOpenWaitMillis, version), connection.channel());
        connection.keepOpen(version);
        return new Served(exchange.end(Outcome.OK), true);
    }

    private Served answer(Exchange exchange, Frame.Request request) throws IOException, InterruptedException {
        Connection connection = exchange.connection;
        exchange.file = request.fileName();
        exchange.type = typeOf(request);
        if (!admission.takePlace(connection)) {
            // A busy server wants fewer connections, so even a kept-open one is closed after this answer.
            return new Served(refuse(exchange, Outcome.BUSY, Frame.ErrorReply.SERVER_BUSY), false);
        }
        connection.phase(Connection.Phase.RESPONDING);
        exchange.range = switch (request) {
            case Frame.SizeRequest _ -> null;
            case Frame.ChunkRequest chunk -> AccessLog.Span.of(chunk.range());
            case Frame.DigestRequest digests -> new AccessLog.Span(digests.firstPiece(), 0);
        };
        Entry entry = switch (resolver.resolve(request.fileName())) {
            case FileResolver.Resolution.Found(Path file) -> switch (request) {
                case Frame.SizeRequest _ -> answerSize(exchange, file);
                case Frame.ChunkRequest chunk -> answerChunk(exchange, chunk, file);
                case Frame.DigestRequest digests -> answerDigests(exchange, digests, file);
            };
            case FileResolver.Resolution.NoSuchFile _ -> refuseMissing(exchange);
            case FileResolver.Resolution.NameTooLong _ -> refuse(exchange, Outcome.NAME_TOO_LONG, NAME_TOO_LONG);
        };
        return new Served(entry, connection.keptOpen() && !exchange.brokenOff);
    }

    private static String typeOf(Frame.Request request) {
        return switch (request) {
            case Frame.SizeRequest _ -> "SIZE";
            case Frame.ChunkRequest _ -> "CHUNK";
            case Frame.DigestRequest _ -> "DIGESTS";
        };
    }

    /** How a malformed request is refused: the access log's word and the ERROR reply's reason. */
    private record Refusal(Outcome outcome, String reason) {}

    private Entry refuseMalformed(Exchange exchange, MalformedFrameException e) throws IOException {
        Connection connection = exchange.connection;
        if (e.problem() == MalformedFrameException.Problem.TRUNCATED_HEADER && connection.bytesRead() == 0) {
            return exchange.end(Outcome.NO_REQUEST); // connected and hung up: a port probe, nothing to answer
        }
        // The decoder words most problems for the client: "unknown packet type 7", "bad range: ...",
        // "bad digest request: piece length 0 is not ...", "bad keep-open request: version 0 ...".
        String worded = String.valueOf(e.getMessage());
        Refusal refusal = switch (e.problem()) {
            case TEXT_TOO_LONG -> new Refusal(Outcome.NAME_TOO_LONG, NAME_TOO_LONG);
            case UNKNOWN_TYPE -> new Refusal(Outcome.UNKNOWN_TYPE, worded);
            case BAD_RANGE -> {
                exchange.type = "CHUNK";
                e.refusedRange().ifPresent(asked -> {
                    exchange.file = asked.fileName();
                    exchange.range = new AccessLog.Span(asked.offset(), asked.size());
                });
                yield new Refusal(Outcome.BAD_RANGE, worded);
            }
            case BAD_DIGESTS -> {
                exchange.type = "DIGESTS";
                yield new Refusal(Outcome.BAD_REQUEST, worded);
            }
            case BAD_KEEP_OPEN -> {
                exchange.type = "KEEP-OPEN";
                yield new Refusal(Outcome.BAD_REQUEST, worded);
            }
            case TRUNCATED_HEADER, TRUNCATED_TEXT, BAD_TEXT, UNEXPECTED_FIELD ->
                    new Refusal(Outcome.BAD_REQUEST, "bad request: " + worded);
        };
        sendError(connection, refusal.reason());
        lingerUntilClientHangsUp(connection);
        return exchange.end(refusal.outcome());
    }

    private Entry answerSize(Exchange exchange, Path file) throws IOException {
        long size;
        try (FileChannel channel = open(file)) {
            size = channel.size();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection " + exchange.connection.id() + ": cannot read " + file + ": " + e);
            return refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
        }
        FrameEncoder.write(new Frame.SizeReply(size), exchange.connection.channel());
        return exchange.end(Outcome.OK);
    }

    private Entry answerChunk(Exchange exchange, Frame.ChunkRequest request, Path file) throws IOException, InterruptedException {
        FileChannel channel;
        FileVersion version;
        try {
            channel = open(file);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, () -> "connection " + exchange.connection.id() + ": cannot read " + file + ": " + e);
            return refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
        }
        try (channel) {
            try {
                version = FileVersion.of(file);
            } catch (IOException e) {
                return refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
            }
            // Never promise more than the file holds: the header states what is actually sent.
            ByteRange sent = request.range().clampTo(channel.size());
            FrameEncoder.write(new Frame.ChunkReply(sent), exchange.connection.channel());
            exchange.connection.progress();
            Outcome outcome = transfer(exchange, channel, version, sent);
            exchange.brokenOff = outcome != Outcome.OK;
            return exchange.end(outcome);
        }
    }

    /**
     * Sends the range with {@code transferTo} (sendfile), in slices so that progress is seen
     * by the watchdog and the rate limit holds. On a virtual thread the socket is non-blocking
     * underneath, so {@code transferTo} returns 0 when the client's buffer is full instead of
     * waiting; the transfer then sleeps a little and tries again ({@link SendBufferWait}), so
     * that each write marks the progress the client has made since the one before. After each
     * slice (at most {@link #VERSION_CHECK_BYTES}) and at the end, the file must still be the
     * version whose range the header announced: if it changed, the reply stops there and the
     * connection is reset, so that the client sees a short chunk and what of the last slice is
     * still unsent is dropped.
     *
     * @return {@link Outcome#OK}, {@link Outcome#FILE_SHRANK} if the file ended before the
     *     range did, or {@link Outcome#FILE_CHANGED}
     */
    private Outcome transfer(Exchange exchange, FileChannel file, FileVersion version, ByteRange range)
            throws IOException, InterruptedException {
        Connection connection = exchange.connection;
        SocketChannel socket = connection.channel();
        RateLimiter limiter = new RateLimiter(rateLimit, PaceClock.SYSTEM);
        SendBufferWait full = new SendBufferWait(socket, idleTimeout);
        long slice = Math.min(limiter.sliceBytes(), bandwidth.sliceBytes());
        long position = range.offset();
        long end = range.end();
        long checked = position;
        // Each slice when slices are small (rate limits), else every 256 KiB.
        long checkEvery = Math.min(slice, VERSION_CHECK_BYTES);
        while (position < end) {
            limiter.awaitTurn(position - range.offset());
            long count = Math.min(slice, end - position);
            bandwidth.reserve(count);
            long sent = file.transferTo(position, count, socket);
            bandwidth.giveBack(count - sent);
            if (sent == 0) {
                if (position >= file.size()) {
                    return Outcome.FILE_SHRANK;
                }
                full.full();
                continue;
            }
            full.sent(sent);
            position += sent;
            exchange.bytesSent += sent;
            connection.progress();
            if (position - checked >= checkEvery || position >= end) {
                checked = position;
                if (!version.isCurrent()) {
                    socket.setOption(StandardSocketOptions.SO_LINGER, 0);
                    return Outcome.FILE_CHANGED;
                }
            }
        }
        return Outcome.OK;
    }

    private Entry refuseMissing(Exchange exchange) throws IOException {
        onMissingFile.run();
        return refuse(exchange, Outcome.NO_SUCH_FILE, Frame.ErrorReply.NO_SUCH_FILE);
    }

    private Entry refuse(Exchange exchange, Outcome outcome, String reason) throws IOException {
        sendError(exchange.connection, reason);
        return exchange.end(outcome);
    }

    private static void sendError(Connection connection, String reason) throws IOException {
        FrameEncoder.write(new Frame.ErrorReply(reason), connection.channel());
    }

    /**
     * After refusing a request we did not read to its end, waits briefly for the client to
     * hang up while swallowing what it still sends: closing a socket with unread input makes
     * TCP reset the connection, which can destroy the error reply before the client reads it.
     */
    private static void lingerUntilClientHangsUp(Connection connection) {
        try {
            connection.channel().shutdownOutput();
            connection.phase(Connection.Phase.CLOSING); // the idle limit applies now, not what is left of the header timeout
            connection.limitIdleTo(LINGER_NANOS);
            ByteBuffer sink = ByteBuffer.allocate(4096);
            long swallowed = 0;
            while (swallowed < LINGER_BYTES) {
                int n = connection.channel().read(sink.clear());
                if (n < 0) {
                    break;
                }
                swallowed += n;
                connection.progress();
            }
        } catch (IOException e) {
            // The client hung up, or the watchdog closed the connection: either way, done.
        }
    }

    private static FileChannel open(Path realPath) throws IOException {
        // The path is already real; refusing a link here closes the gap in which a file could be swapped for one.
        return FileChannel.open(realPath, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Logs the pieces sent, {@code [first, first + count)}, as the range. */
    private Entry answerDigests(Exchange exchange, Frame.DigestRequest request, Path file) throws IOException, InterruptedException {
        Connection connection = exchange.connection;
        return switch (digests.answer(file, request, Frame.digestsFromTree(connection.keptOpenVersion()), connection::progress)) {
            case DigestService.Answer.Digests(Frame.DigestReply reply) -> {
                exchange.range = new AccessLog.Span(reply.firstPiece(), reply.digests().size());
                FrameEncoder.write(reply, exchange.connection.channel());
                yield exchange.end(Outcome.OK);
            }
            case DigestService.Answer.BadRequest(String reason) -> refuse(exchange, Outcome.BAD_RANGE, reason);
            case DigestService.Answer.BadPieceLength(String reason) -> refuse(exchange, Outcome.BAD_REQUEST, reason);
            case DigestService.Answer.CannotRead _ -> refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
            case DigestService.Answer.KeptChanging _ ->
                    refuse(exchange, Outcome.FILE_CHANGED, "file changed while its digests were computed");
        };
    }
}
