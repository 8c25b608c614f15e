package chunk.client.net.http;

import chunk.client.ServerFailure.Kind;
import chunk.client.net.MirrorException;
import chunk.client.text.HumanFormat;
import chunk.client.text.IoFailures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.NoHttpResponseException;

/**
 * What went wrong with an HTTP mirror, as a {@link MirrorException}: its kind from what
 * happened (the exception's type, the status code), never from words.
 */
final class HttpFailures {

    private HttpFailures() {}

    /** A failure of a connection or of a message's framing, by what the client library or the system said. */
    static MirrorException of(IOException e) {
        Kind kind = switch (e) {
            case UnknownHostException _ -> Kind.UNKNOWN_HOST;
            case ConnectTimeoutException _ -> Kind.CONNECT_TIMEOUT;
            case SocketTimeoutException _ -> Kind.CONNECT_TIMEOUT;
            case NoRouteToHostException _ -> Kind.NETWORK_PROBLEM;
            case ConnectException _ -> Kind.REFUSED;
            case SSLPeerUnverifiedException _, SSLHandshakeException _ -> Kind.TLS;
            case SSLException _ -> Kind.TLS;
            case NoHttpResponseException _, ConnectionClosedException _ -> Kind.CLOSED;
            default -> Kind.NETWORK_PROBLEM;
        };
        String reason = switch (kind) {
            case TLS -> "TLS: " + tlsReason(e);
            case CLOSED -> "connection closed before the reply was complete";
            default -> IoFailures.explain(e);
        };
        return new MirrorException(kind, reason, e);
    }

    /** A reply the client library could not read as HTTP. */
    static MirrorException of(HttpException e) {
        return new MirrorException(Kind.BAD_REPLY, "sent a reply that is not HTTP: " + e.getMessage(), e);
    }

    /** The stall watchdog closed the connection: nothing came for {@code timeout}. */
    static MirrorException stalled(Duration timeout, Exception e) {
        return new MirrorException(Kind.STALLED, "no data for " + HumanFormat.seconds(timeout) + " (stall timeout)", e);
    }

    /** A status that refuses the request: its kind by the code. */
    static MirrorException status(HttpResponse response) {
        int code = response.getCode();
        String said = "answered " + code + (response.getReasonPhrase() == null || response.getReasonPhrase().isBlank() ? ""
                : " " + response.getReasonPhrase());
        Kind kind = switch (code) {
            case 404, 410 -> Kind.NOT_FOUND;
            case 429, 503 -> Kind.BUSY;
            default -> Kind.SERVER_ERROR;
        };
        return new MirrorException(kind, said);
    }

    /** A reply that does not answer the request. */
    static MirrorException unexpected(String what) {
        return new MirrorException(Kind.BAD_REPLY, what);
    }

    /** The connection ended before the range did. */
    static MirrorException cutShort(long received, long expected) {
        return new MirrorException(Kind.CLOSED, "connection closed after " + received + " of " + expected + " bytes");
    }

    /** Why the TLS handshake failed, in a person's words, from the innermost cause that says. */
    private static String tlsReason(IOException e) {
        Throwable cause = e;
        String reason = e.getMessage();
        while (cause != null) {
            if (cause.getMessage() != null) {
                reason = cause.getMessage();
            }
            if (cause instanceof java.security.cert.CertPathValidatorException
                    || cause instanceof java.security.cert.CertPathBuilderException) {
                return "the server's certificate is not trusted (give its CA with --ca-cert)";
            }
            cause = cause.getCause();
        }
        return reason == null ? e.toString() : reason;
    }
}
