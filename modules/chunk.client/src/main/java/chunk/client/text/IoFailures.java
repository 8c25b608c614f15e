package chunk.client.text;

import chunk.wire.MalformedFrameException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * An {@link IOException} in the words a person reads after "cannot …: ", for connections and
 * local files alike: {@code unknown host}, {@code connection refused}, {@code permission denied}.
 */
public final class IoFailures {

    private IoFailures() {}

    /** The reason, starting in lower case, without the path (the caller says what it was doing, and where). */
    public static String explain(IOException e) {
        return switch (e) {
            case UnknownHostException _ -> "unknown host";
            case SocketTimeoutException t -> lower(t.getMessage(), "no connection within the connect timeout");
            case ConnectException c -> lower(c.getMessage(), "connection refused");
            case NoRouteToHostException _ -> "no route to host";
            case MalformedFrameException m -> "malformed reply: " + m.getMessage();
            case ClosedChannelException _ -> "connection closed";
            // Local files: the message of these is only the path, which the caller already says.
            case NoSuchFileException _ -> "no such file or folder";
            case AccessDeniedException _ -> "permission denied";
            case FileSystemException f -> lower(f.getReason(), f.getClass().getSimpleName());
            default -> lower(e.getMessage(), e.getClass().getSimpleName());
        };
    }

    private static String lower(String message, String fallback) {
        if (message == null || message.isBlank()) {
            return fallback;
        }
        return Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }
}
