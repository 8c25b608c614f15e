package chunk.client;

import java.util.Objects;

/**
 * Why one server could not serve one request.
 *
 * <p>The {@link Kind} is what the client decides by (whether to ask the server again, with
 * fewer connections, or never) and how reports group failures; the {@code reason} is the same
 * failure in full for a person (the numbers, a server's own words), and nothing reads it back.
 *
 * @param server the server asked
 * @param kind what sort of failure it was
 * @param reason what went wrong, for a person to read (a server's ERROR text, a timeout, …)
 */
public record ServerFailure(ServerAddress server, Kind kind, String reason) {

    public ServerFailure {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /**
     * What sort of failure: aria2's error kinds where one fits ({@code TIME_OUT},
     * {@code NETWORK_PROBLEM}, {@code RESOURCE_NOT_FOUND}, ...), split where the client acts
     * differently on each.
     */
    public enum Kind {
        /** The host name could not be resolved. */
        UNKNOWN_HOST("unknown host"),
        /** The server's machine refused the connection: nothing listens there. */
        REFUSED("connection refused"),
        /** No connection within the connect timeout. */
        CONNECT_TIMEOUT("no connection within the connect timeout"),
        /** Connected, but nothing arrived for the stall timeout. */
        STALLED("sent nothing for the stall timeout"),
        /** The connection broke: reset, no route to the host, and the like. */
        NETWORK_PROBLEM("network problem"),
        /** The server closed the connection before its reply was complete. */
        CLOSED("closed the connection before its reply was complete"),
        /**
         * The server closed (or reset) the connection before any byte of a reply: what a server
         * too busy to take the request does. Asked again later, with fewer connections.
         */
        DROPPED("closed the connection without replying"),
        /** The server has no file of that name. */
        NOT_FOUND("has no such file"),
        /** All the server's transfer places stay taken for now: ask again later, with fewer connections. */
        BUSY("busy"),
        /** The server refused the request for another reason, in its own words. */
        SERVER_ERROR("refused the request"),
        /** The server's reply does not answer the request (a malformed frame, another range). */
        BAD_REPLY("sent a reply that does not answer the request"),
        /** The server sent bytes that do not match their digest: it gets no more work. */
        BAD_DATA("sent bytes that do not match their digest"),
        /**
         * The server has another version of the file now (an HTTP mirror's validator or size
         * changed, or it sent the whole new file instead of a range): it gets no more work.
         */
        CHANGED("has another version of the file now"),
        /** The server answers a range with the whole file (HTTP without ranges): it gets no more work. */
        NO_RANGES("serves no byte ranges"),
        /** The secure connection failed: a certificate not trusted or not for the server's name, or no common protocol. */
        TLS("the secure connection failed"),
        /** Not a fault: the rest of its range went to a faster connection. */
        MOVED("was slower: the rest of its range went to a faster connection");

        private final String words;

        Kind(String words) {
            this.words = words;
        }

        /** The kind in a few words, with no numbers: what a report of many failures of this kind says once. */
        public String words() {
            return words;
        }

        /** Whether the server was at fault: every kind but {@link #MOVED}, which is the scheduler doing its job. */
        public boolean isFault() {
            return this != MOVED;
        }

        /**
         * Whether the server could not answer now but may soon ({@link #BUSY}, {@link #DROPPED}):
         * it is asked again later, with fewer connections, rather than counted as broken.
         */
        public boolean isPassing() {
            return this == BUSY || this == DROPPED;
        }
    }

    @Override
    public String toString() {
        return server + ": " + reason;
    }
}
