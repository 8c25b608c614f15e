package chunk.server.internal;

import chunk.server.internal.AccessLog.Entry;
import chunk.server.internal.AccessLog.Outcome;
import chunk.wire.ByteRange;
import chunk.wire.Frame;
import chunk.wire.FrameDecoder;
import chunk.wire.FrameEncoder;
import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Serves the one request of a connection: reads it, answers SIZE, CHUNK, DIGESTS or ERROR, and says
 * what happened for the access log. Never throws: whatever goes wrong with one client stays
 * with that client.
 */
final class RequestHandler {

    private static final System.Logger LOG = System.getLogger("chunk.server");
    /** One per server: its cache of digests is shared by all connections. */
    private final DigestService digests = new DigestService();

    /** How long to wait for a client to hang up after an error reply, and how much of its leftover request to swallow. */
    private static final long LINGER_NANOS = 2_000_000_000L;
    private static final int LINGER_BYTES = 64 * 1024;
    /** Written the ordinary way when the socket is full, to park until the client reads (see {@link #transfer}). */
    private static final int SPILL_BYTES = 16 * 1024;

    private final FileResolver resolver;
    private final long rateLimit;
    private final Runnable onMissingFile;

    /**
     * @param rateLimit bytes per second per connection, 0 for none
     * @param onMissingFile called after a "no such file", so that the server can check that its root still exists
     */
    RequestHandler(FileResolver resolver, long rateLimit, Runnable onMissingFile) {
        this.resolver = resolver;
        this.rateLimit = rateLimit;
        this.onMissingFile = onMissingFile;
    }

    /** Builds the access log entry of a connection as it goes. */
    private static final class Exchange {
        final Connection connection;
        final long startNanos = System.nanoTime();
        String type = "-";
        @Nullable String file;
        @Nullable ByteRange range;
        long bytesSent;

        Exchange(Connection connection) {
            this.connection = connection;
        }

        Entry end(Outcome outcome) {
            return new Entry(connection.client(), type, file, range, outcome, bytesSent, System.nanoTime() - startNanos);
        }
    }

    Entry serve(Connection connection) {
        Exchange exchange = new Exchange(connection);
        try {
            Frame.Request request;
            try {
                request = FrameDecoder.readRequest(connection.reader());
            } catch (MalformedFrameException e) {
                return refuseMalformed(exchange, e);
            }
            connection.phase(Connection.Phase.RESPONDING);
            exchange.file = request.fileName();
            return switch (request) {
                case Frame.SizeRequest size -> {
                    exchange.type = "SIZE";
                    yield answerSize(exchange, size);
                }
                case Frame.ChunkRequest chunk -> {
                    exchange.type = "CHUNK";
                    exchange.range = chunk.range();
                    yield answerChunk(exchange, chunk);
                }
                case Frame.DigestRequest digests -> {
                    exchange.type = "DIGESTS";
                    exchange.range = new ByteRange(digests.firstPiece(), 0);
                    yield answerDigests(exchange, digests);
                }
            };
        } catch (IOException e) {
            Outcome outcome = connection.timedOut() ? Outcome.IDLE_TIMEOUT
                    : connection.shutDown() ? Outcome.SHUTDOWN
                    : Outcome.CLIENT_GONE;
            LOG.log(Level.DEBUG, () -> "connection " + connection.id() + " from " + connection.client() + ": " + e);
            return exchange.end(outcome);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return exchange.end(Outcome.SHUTDOWN);
        } catch (RuntimeException e) {
            // A bug, not the client's fault: say so without a stack trace, unless debugging.
            LOG.log(Level.WARNING, "connection " + connection.id() + " from " + connection.client() + " failed: " + e);
            LOG.log(Level.DEBUG, "stack trace", e);
            return exchange.end(Outcome.SERVER_ERROR);
        }
    }

    private Entry refuseMalformed(Exchange exchange, MalformedFrameException e) throws IOException {
        Connection connection = exchange.connection;
        if (e.problem() == MalformedFrameException.Problem.TRUNCATED_HEADER && connection.bytesRead() == 0) {
            return exchange.end(Outcome.NO_REQUEST); // connected and hung up: a port probe, nothing to answer
        }
        Outcome outcome;
        String reason;
        switch (e.problem()) {
            case TEXT_TOO_LONG -> {
                outcome = Outcome.NAME_TOO_LONG;
                reason = "name too long";
            }
            // The decoder words these two for the client: "unknown packet type 7", "bad range: ...".
            case UNKNOWN_TYPE -> {
                outcome = Outcome.UNKNOWN_TYPE;
                reason = String.valueOf(e.getMessage());
            }
            case BAD_RANGE -> {
                exchange.type = "CHUNK";
                outcome = Outcome.BAD_RANGE;
                reason = String.valueOf(e.getMessage());
            }
            // Worded for the client too: "bad digest request: piece length 0 is not ...".
            case BAD_DIGESTS -> {
                exchange.type = "DIGESTS";
                outcome = Outcome.BAD_REQUEST;
                reason = String.valueOf(e.getMessage());
            }
            default -> {
                outcome = Outcome.BAD_REQUEST;
                reason = "bad request: " + e.getMessage();
            }
        }
        sendError(connection, reason);
        lingerUntilClientHangsUp(connection);
        return exchange.end(outcome);
    }

    private Entry answerSize(Exchange exchange, Frame.SizeRequest request) throws IOException {
        Optional<Path> file = resolver.resolve(request.fileName());
        if (file.isEmpty()) {
            return refuseMissing(exchange);
        }
        long size;
        try (FileChannel channel = open(file.get())) {
            size = channel.size();
        } catch (IOException e) {
            return refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
        }
        FrameEncoder.write(new Frame.SizeReply(size), exchange.connection.channel());
        return exchange.end(Outcome.OK);
    }

    private Entry answerChunk(Exchange exchange, Frame.ChunkRequest request) throws IOException, InterruptedException {
        Optional<Path> file = resolver.resolve(request.fileName());
        if (file.isEmpty()) {
            return refuseMissing(exchange);
        }
        FileChannel channel;
        try {
            channel = open(file.get());
        } catch (IOException e) {
            return refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
        }
        try (channel) {
            // Never promise more than the file holds: the header states what is actually sent.
            ByteRange sent = request.range().clampTo(channel.size());
            FrameEncoder.write(new Frame.ChunkReply(sent), exchange.connection.channel());
            exchange.connection.progress();
            return transfer(exchange, channel, sent) ? exchange.end(Outcome.OK) : exchange.end(Outcome.FILE_SHRANK);
        }
    }

    /**
     * Sends the range with {@code transferTo} (sendfile), in slices so that progress is seen
     * by the watchdog and the rate limit holds. On a virtual thread the socket is non-blocking
     * underneath, so {@code transferTo} returns 0 when the client's buffer is full instead of
     * waiting; an ordinary write of a small piece then parks the thread until the client
     * reads, instead of spinning.
     *
     * @return false if the file ended before the range did (it shrank after the header was sent)
     */
    private boolean transfer(Exchange exchange, FileChannel file, ByteRange range) throws IOException, InterruptedException {
        Connection connection = exchange.connection;
        SocketChannel socket = connection.channel();
        RateLimiter limiter = new RateLimiter(rateLimit);
        long slice = limiter.sliceBytes();
        ByteBuffer spill = null;
        long position = range.offset();
        long end = range.end();
        while (position < end) {
            limiter.awaitTurn(position - range.offset());
            long count = Math.min(slice, end - position);
            long sent = file.transferTo(position, count, socket);
            if (sent == 0) {
                if (position >= file.size()) {
                    return false;
                }
                if (spill == null) {
                    spill = ByteBuffer.allocate(SPILL_BYTES);
                }
                spill.clear().limit((int) Math.min(Math.min(SPILL_BYTES, count), end - position));
                int read = file.read(spill, position);
                if (read <= 0) {
                    return false;
                }
                spill.flip();
                while (spill.hasRemaining()) {
                    socket.write(spill); // parks until the client has made room
                }
                sent = read;
            }
            position += sent;
            exchange.bytesSent += sent;
            connection.progress();
        }
        return true;
    }

    private Entry refuseMissing(Exchange exchange) throws IOException {
        onMissingFile.run();
        return refuse(exchange, Outcome.NO_SUCH_FILE, "no such file");
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
    private Entry answerDigests(Exchange exchange, Frame.DigestRequest request) throws IOException, InterruptedException {
        Optional<Path> file = resolver.resolve(request.fileName());
        if (file.isEmpty()) {
            return refuseMissing(exchange);
        }
        return switch (digests.answer(file.get(), request, exchange.connection::progress)) {
            case DigestService.Answer.Digests(Frame.DigestReply reply) -> {
                exchange.range = new ByteRange(reply.firstPiece(), reply.digests().size());
                FrameEncoder.write(reply, exchange.connection.channel());
                yield exchange.end(Outcome.OK);
            }
            case DigestService.Answer.BadRequest(String reason) -> refuse(exchange, Outcome.BAD_RANGE, reason);
            case DigestService.Answer.CannotRead _ -> refuse(exchange, Outcome.CANNOT_READ, "cannot read file");
            case DigestService.Answer.KeptChanging _ ->
                    refuse(exchange, Outcome.FILE_CHANGED, "file changed while its digests were computed");
        };
    }
}
