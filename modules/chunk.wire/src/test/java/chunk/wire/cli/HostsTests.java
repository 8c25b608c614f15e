package chunk.wire.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostsTests {

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({
        "0:0:0:0:0:0:0:1, ::1",
        "1:0:0:0:0:0:0:0, 1::",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "2001:db8:0:0:0:0:2:1, 2001:db8::2:1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0DB8:0000:0000:0000:FF00:0042:8329, 2001:db8::ff00:42:8329",
        "fe80:0:0:0:0:0:0:0, fe80::",
    })
    void anIpv6AddressIsWrittenInItsShortestForm(String literal, String shortest) throws UnknownHostException {
        assertThat(Hosts.shortest((Inet6Address) InetAddress.getByName(literal))).isEqualTo(shortest);
    }

    @Test
    void addressesInMessagesAreBracketedAndShort() throws UnknownHostException {
        assertThat(Hosts.hostAndPort(new InetSocketAddress(InetAddress.getByName("::1"), 4000))).isEqualTo("[::1]:4000");
        assertThat(Hosts.hostAndPort(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 4000))).isEqualTo("127.0.0.1:4000");
        assertThat(Hosts.host(InetAddress.getByName("::"))).isEqualTo("0.0.0.0");
        assertThat(Hosts.host("fe80::1%eth0")).isEqualTo("[fe80::1]");
    }
}
