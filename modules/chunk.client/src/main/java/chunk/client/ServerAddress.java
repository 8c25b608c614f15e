package chunk.client;

import chunk.wire.cli.Hosts;
import java.net.URI;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A mirror of the files to download, as the user named it: a chunk server by host and port
 * ({@link HostPort}), or an HTTP(S) mirror by URL ({@link Url}). Reports, failures, the
 * progress line and {@code --json} name servers by {@link #toString()}: {@code 127.0.0.1:4000},
 * {@code [::1]:4000}, {@code https://mirror.example/pub/}.
 */
public sealed interface ServerAddress {

    /** A chunk server at {@code host} and {@code port}. */
    static HostPort of(String host, int port) {
        return new HostPort(host, port);
    }

    /**
     * A chunk server (myserver, or the original C server): a host name, an IPv4 or IPv6
     * address, or {@code localhost}, and a TCP port. The host is resolved only when a connection
     * is made, so an unknown host is the failure of that server alone.
     *
     * @param host a host name or address literal (IPv6 without brackets), not blank
     * @param port 1 to 65535
     */
    record HostPort(String host, int port) implements ServerAddress {

        /** @throws IllegalArgumentException if the host is blank or the port is out of range */
        public HostPort {
            if (host.isBlank()) {
                throw new IllegalArgumentException("a server needs a host");
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("a port is a number from 1 to 65535, not " + port);
            }
        }

        // equals and hashCode are written out, not generated: the generated ones are linked through
        // invokedynamic the first time they run, which costs a short download milliseconds at start-up
        // (docs/BENCHMARKS.md, "Speed to the limit"). They compare what the record's would.
        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof HostPort that && port == that.port && host.equals(that.host);
        }

        @Override
        public int hashCode() {
            return 31 * host.hashCode() + port;
        }

        /** {@code host:port}, with an IPv6 address in brackets: {@code [::1]:4000}. */
        @Override
        public String toString() {
            return Hosts.host(host) + ":" + port;
        }
    }

    /**
     * An HTTP or HTTPS mirror: the URL of a folder (its path ends in {@code /}; a file's name,
     * percent-encoded, is appended to it) or of one file (any name asked of it is that file).
     *
     * @param uri an absolute {@code http} or {@code https} URL with a host, without user
     *     information or fragment; a folder's has no query
     */
    record Url(URI uri) implements ServerAddress {

        /** @throws IllegalArgumentException if it is not such a URL, with what is wrong */
        public Url {
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new IllegalArgumentException("a mirror's URL starts with http:// or https://");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("a mirror's URL needs a host name or address");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("user names and passwords in URLs are not supported");
            }
            if (uri.getRawFragment() != null) {
                throw new IllegalArgumentException("a mirror's URL has no #fragment");
            }
            if (uri.getRawPath() == null || uri.getRawPath().isEmpty()) {
                uri = URI.create(uri.toString() + "/"); // http://host is the folder http://host/
            }
            if (uri.getRawPath().endsWith("/") && uri.getRawQuery() != null) {
                throw new IllegalArgumentException("a folder's URL has no ?query (a name is appended to it)");
            }
        }

        /** The URL of {@code text}, checked as the constructor checks it. */
        public static Url parse(String text) {
            try {
                return new Url(new URI(text));
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("not a URL: " + e.getReason(), e);
            }
        }

        /** Whether this is a folder: names are appended to it. */
        public boolean folder() {
            return uri.getRawPath().endsWith("/");
        }

        /** Whether the connection is TLS. */
        public boolean secure() {
            return uri.getScheme().equalsIgnoreCase("https");
        }

        /** The file's name in a file's URL: its last path segment, decoded; empty for a folder. */
        public String fileName() {
            String path = uri.getPath();
            return path.substring(path.lastIndexOf('/') + 1);
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Url that && uri.equals(that.uri);
        }

        @Override
        public int hashCode() {
            return uri.hashCode();
        }

        /** The URL as given. */
        @Override
        public String toString() {
            return uri.toString();
        }
    }
}
