package chunk.client.net.wire;

import chunk.client.ServerFailure.Kind;
import chunk.client.net.MirrorException;
import chunk.client.text.HumanFormat;
import chunk.client.text.IoFailures;
import chunk.wire.Frame;
import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;

/**
 * What went wrong on a connection to a chunk server, as a {@link MirrorException}: its kind
 * from what happened (the exception's type, the frame decoder's problem, the protocol's error
 * reasons), its words from {@link IoFailures} as a person reads them.
 */
final class WireFailures {

    private WireFailures() {}

    /** A failure of a connection, by what the system or the frame decoder said. */
    static MirrorException of(IOException e) {
        Kind kind = switch (e) {
            case UnknownHostException _ -> Kind.UNKNOWN_HOST;
            case SocketTimeoutException _ -> Kind.CONNECT_TIMEOUT;
            case ConnectException _ -> Kind.REFUSED;
            case MalformedFrameException m -> switch (m.problem()) {
                case TRUNCATED_HEADER, TRUNCATED_TEXT -> Kind.CLOSED;
                case TEXT_TOO_LONG, BAD_TEXT, BAD_RANGE, UNKNOWN_TYPE, UNEXPECTED_FIELD, BAD_DIGESTS, BAD_KEEP_OPEN ->
                        Kind.BAD_REPLY;
            };
            case ClosedChannelException _ -> Kind.CLOSED;
            default -> Kind.NETWORK_PROBLEM;
        };
        return new MirrorException(kind, IoFailures.explain(e), e);
    }

    /**
     * The server ended the connection before any byte of its reply: an end of stream or a reset
     * is what a server does that cannot take the request now; anything else is what it says.
     */
    static MirrorException dropped(IOException e) {
        boolean endedAtOnce = e instanceof MalformedFrameException m ? m.problem() == MalformedFrameException.Problem.TRUNCATED_HEADER
                : !(e instanceof ClosedChannelException);
        return endedAtOnce ? new MirrorException(Kind.DROPPED, "closed the connection without replying", e) : of(e);
    }

    /** The stall watchdog closed the connection: nothing came for {@code timeout}. */
    static MirrorException stalled(Duration timeout, IOException e) {
        return new MirrorException(Kind.STALLED, "no data for " + HumanFormat.seconds(timeout) + " (stall timeout)", e);
    }

    /** The server refused a request with an ERROR reply: its kind by the protocol's reasons, in the server's words. */
    static MirrorException refusal(Frame.ErrorReply error) {
        Kind kind = switch (error.reason()) {
            case Frame.ErrorReply.NO_SUCH_FILE -> Kind.NOT_FOUND;
            case Frame.ErrorReply.SERVER_BUSY -> Kind.BUSY;
            default -> Kind.SERVER_ERROR;
        };
        return new MirrorException(kind, "server says \"" + error.reason() + "\"");
    }

    /** The server answered with a frame that is no answer to the request. */
    static MirrorException unexpected(String what) {
        return new MirrorException(Kind.BAD_REPLY, what);
    }

    /** The connection ended before all the data of a reply came. */
    static MirrorException cutShort(long received, long expected) {
        return new MirrorException(Kind.CLOSED, "connection closed after " + received + " of " + expected + " bytes");
    }
}
