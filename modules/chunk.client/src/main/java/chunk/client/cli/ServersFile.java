package chunk.client.cli;

import chunk.client.ServerAddress;
import chunk.client.text.IoFailures;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the servers file: one server a line, {@code host port} for a myserver or the
 * {@code http://} or {@code https://} URL of a folder (ending in {@code /}) for an HTTP(S)
 * mirror; blank lines and {@code #} comments are allowed; an IPv6 address is written bare
 * ({@code ::1 4000}) or in brackets ({@code [::1] 4000}). Every line is checked; the first
 * {@value #MAX_SERVERS} servers are used.
 */
final class ServersFile {

    /** As many servers as the original client used. */
    static final int MAX_SERVERS = 20;

    private static final Pattern HOST_NAME = ServerText.HOST_NAME;
    private static final Pattern IPV6 = ServerText.IPV6;

    private ServersFile() {}

    /** The servers to use, and notes about lines that were not used (none if all were). */
    record Contents(List<ServerAddress> servers, List<String> notes) {
        Contents {
            servers = List.copyOf(servers);
            notes = List.copyOf(notes);
        }
    }

    /** The servers file cannot be used; the message starts with {@code file:line:} where there is a line. */
    static final class InvalidException extends Exception {
        @java.io.Serial
        private static final long serialVersionUID = 1L;

        InvalidException(String message) {
            super(message);
        }
    }

    /**
     * Reads {@code file}; {@code shownAs} is how messages name it.
     *
     * @throws InvalidException if it cannot be read, has a bad line, or lists no server
     */
    static Contents read(Path file, String shownAs) throws InvalidException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (NoSuchFileException e) {
            throw new InvalidException("cannot read servers file " + shownAs + ": no such file");
        } catch (MalformedInputException e) {
            throw new InvalidException("cannot read servers file " + shownAs + ": it is not UTF-8 text");
        } catch (IOException e) {
            throw new InvalidException("cannot read servers file " + shownAs + ": " + IoFailures.explain(e));
        }
        return parse(lines, shownAs);
    }

    static Contents parse(List<String> lines, String shownAs) throws InvalidException {
        List<ServerAddress> servers = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        // A server listed twice would count twice when the servers' answers are compared.
        Map<ServerAddress, Integer> firstLineOf = new HashMap<>();
        int extra = 0;
        int firstIgnoredLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            int lineNumber = i + 1;
            String line = lines.get(i);
            int comment = line.indexOf('#');
            String content = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (content.isEmpty()) {
                continue;
            }
            ServerAddress server = parseLine(content, shownAs + ":" + lineNumber + ": ");
            ServerAddress key = switch (server) {
                case ServerAddress.HostPort hostPort -> ServerAddress.of(hostPort.host().toLowerCase(Locale.ROOT), hostPort.port());
                case ServerAddress.Url url -> url;
            };
            Integer earlier = firstLineOf.putIfAbsent(key, lineNumber);
            if (earlier != null) {
                notes.add(shownAs + ":" + lineNumber + ": " + server + " is listed already on line " + earlier
                        + "; it is used once");
                continue;
            }
            if (servers.size() < MAX_SERVERS) {
                servers.add(server);
            } else {
                if (extra == 0) {
                    firstIgnoredLine = lineNumber;
                }
                extra++;
            }
        }
        if (servers.isEmpty()) {
            throw new InvalidException(shownAs + ": no servers listed; write one 'host port' or folder URL a line");
        }
        if (extra > 0) {
            notes.add(shownAs + ":" + firstIgnoredLine + ": only the first " + MAX_SERVERS + " servers are used; " + extra
                    + (extra == 1 ? " more server is" : " more servers are") + " ignored");
        }
        return new Contents(servers, notes);
    }

    private static ServerAddress parseLine(String content, String where) throws InvalidException {
        String[] fields = content.split("\\s+");
        if (fields.length == 1 && CommandLine.looksLikeUrl(fields[0])) {
            try {
                return ServerText.url(fields[0], false);
            } catch (chunk.wire.cli.UsageException e) {
                throw new InvalidException(where + e.getMessage());
            }
        }
        if (fields.length != 2) {
            throw new InvalidException(where + "expected 'host port' or a folder's URL, found '" + content + "'");
        }
        String host = fields[0];
        if (host.startsWith("[") && host.endsWith("]") && host.length() > 2) {
            host = host.substring(1, host.length() - 1);
            if (!IPV6.matcher(host).matches()) {
                throw new InvalidException(where + "'" + fields[0] + "' is not an IPv6 address");
            }
        } else if (!HOST_NAME.matcher(host).matches() && !IPV6.matcher(host).matches()) {
            throw new InvalidException(where + "'" + host + "' is not a host name or address");
        }
        String portText = fields[1];
        int port = -1;
        if (portText.matches("[0-9]{1,5}")) {
            port = Integer.parseInt(portText);
        }
        if (port < 1 || port > 65_535) {
            throw new InvalidException(where + "the port must be a number from 1 to 65535, not '" + portText + "'");
        }
        return ServerAddress.of(host, port);
    }
}
