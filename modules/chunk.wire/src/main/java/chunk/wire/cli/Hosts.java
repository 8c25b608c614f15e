package chunk.wire.cli;

import java.net.Inet6Address;
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

    /**
     * The address's literal host, bracketed if IPv6 and in its shortest form ({@code [::1]}, as
     * people write it, not the JDK's {@code [0:0:0:0:0:0:0:1]}); {@code 0.0.0.0} for the wildcard address.
     */
    public static String host(InetAddress address) {
        if (address.isAnyLocalAddress()) {
            return "0.0.0.0";
        }
        return address instanceof Inet6Address v6 ? host(shortest(v6)) : host(address.getHostAddress());
    }

    /**
     * An IPv6 address as RFC 5952 writes it: lowercase hex groups without leading zeros, and the
     * longest run of two or more zero groups (the first of equal runs) as {@code ::}; no scope.
     */
    static String shortest(Inet6Address address) {
        byte[] bytes = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | bytes[2 * i + 1] & 0xff;
        }
        int runStart = -1;
        int runLength = 1; // a single zero group is written out, not shortened
        for (int i = 0; i < groups.length; ) {
            int end = i;
            while (end < groups.length && groups[end] == 0) {
                end++;
            }
            if (end - i > runLength) {
                runStart = i;
                runLength = end - i;
            }
            i = Math.max(end, i + 1);
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < groups.length; i++) {
            if (i == runStart) {
                out.append("::");
                i += runLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    /** {@code host:port}, as {@link #host(InetAddress)} writes the host; {@code 0.0.0.0} for none. */
    public static String hostAndPort(InetSocketAddress address) {
        InetAddress inet = address.getAddress();
        return (inet == null ? "0.0.0.0" : host(inet)) + ":" + address.getPort();
    }
}
