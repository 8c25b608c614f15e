package chunk.client;

import chunk.wire.cli.Hosts;
import org.jspecify.annotations.Nullable;

/**
 * A chunk server: a host name, an IPv4 or IPv6 address, or {@code localhost}, and a TCP port.
 * The host is resolved only when a connection is made, so an unknown host is the failure of
 * that server alone.
 *
 * @param host a host name or address literal (IPv6 without brackets), not blank
 * @param port 1 to 65535
 */
public record ServerAddress(String host, int port) {

    /** @throws IllegalArgumentException if the host is blank or the port is out of range */
    public ServerAddress {
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
        return other instanceof ServerAddress that && port == that.port && host.equals(that.host);
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
