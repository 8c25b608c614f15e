package chunk.client.cli;

import chunk.client.ServerAddress;
import chunk.client.text.Shown;
import chunk.wire.cli.UsageException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server as the command line names it: {@code host:port} ({@code [::1]:4000} for IPv6), or an
 * {@code http://} or {@code https://} URL, of a folder ({@code -s}, the servers file) or of the
 * file itself (the {@code <url>} arguments).
 */
final class ServerText {

    static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9_.])?");
    static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.%A-Za-z]*");
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[([^\\]]+)\\]|[^:\\[\\]]+):([0-9]{1,5})");

    private ServerText() {}

    /**
     * The server {@code text} names.
     *
     * @param fileUrl whether a URL must be a file's ({@code <url>}) rather than a folder's ({@code -s})
     * @throws UsageException if it is neither form, or the wrong kind of URL, saying what to write
     */
    static ServerAddress parse(String text, boolean fileUrl) throws UsageException {
        if (CommandLine.looksLikeUrl(text)) {
            return url(text, fileUrl);
        }
        Matcher matcher = HOST_AND_PORT.matcher(text);
        if (!matcher.matches()) {
            throw new UsageException("'" + Shown.name(text) + "' is not a server: write host:port ([::1]:4000 for IPv6) or"
                    + " the http:// or https:// URL of a folder");
        }
        String host = matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
        boolean valid = matcher.group(2) != null ? IPV6.matcher(host).matches() : HOST_NAME.matcher(host).matches();
        int port = Integer.parseInt(matcher.group(3));
        if (!valid || port < 1 || port > 65_535) {
            throw new UsageException("'" + Shown.name(text) + "' is not a server: write host:port, a port from 1 to 65535");
        }
        return ServerAddress.of(host, port);
    }

    /** A mirror's URL, checked; a folder's for a server, a file's for a {@code <url>} argument. */
    static ServerAddress.Url url(String text, boolean fileUrl) throws UsageException {
        ServerAddress.Url url;
        try {
            url = ServerAddress.Url.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UsageException("'" + Shown.name(text) + "' cannot be used: " + e.getMessage());
        }
        if (fileUrl && url.folder()) {
            throw new UsageException("'" + Shown.name(text) + "' is a folder's URL (it ends in /): give it with -s, and the"
                    + " files' names after it");
        }
        if (!fileUrl && !url.folder()) {
            throw new UsageException("'" + Shown.name(text) + "' is the URL of a file: a server is a folder's URL, ending"
                    + " in / (a file's URLs go on the command line: myclient <url> <url>...)");
        }
        return url;
    }
}
