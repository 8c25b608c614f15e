package chunk.wire.cli;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/** Addresses in messages and logs: {@code 127.0.0.1:4000}, {@code [::1]:4000}. */
public final class Hosts {

    private Hosts() {}

    /** {@code host}, in brackets if it is an IPv6 literal; an IPv6 scope ({@code %eth0}) is left out. */
    public static String host(String host) {
        int zone = host.indexOf('%');
        String bare = zone >= 0 && host.indexOf(':') >= 0 ? host.substring(0, zone) : host;
        return bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare;
    }

    /** The address's literal host, bracketed if IPv6; {@code 0.0.0.0} for the wildcard address. */
    public static String host(InetAddress address) {
        return address.isAnyLocalAddress() ? "0.0.0.0" : host(address.getHostAddress());
    }

    /** {@code host:port}, as {@link #host(InetAddress)} writes the host; {@code 0.0.0.0} for none. */
    public static String hostAndPort(InetSocketAddress address) {
        InetAddress inet = address.getAddress();
        return (inet == null ? "0.0.0.0" : host(inet)) + ":" + address.getPort();
    }
}
