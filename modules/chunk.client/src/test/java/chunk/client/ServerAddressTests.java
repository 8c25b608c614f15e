package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ServerAddressTests {

    @Test
    void addressesAreEqualExactlyWhenHostAndPortAre() {
        ServerAddress address = ServerAddress.of("127.0.0.1", 4000);

        assertThat(address).isEqualTo(ServerAddress.of("127.0.0.1", 4000))
                .hasSameHashCodeAs(ServerAddress.of("127.0.0.1", 4000));
        assertThat(address).isNotEqualTo(ServerAddress.of("127.0.0.1", 4001))
                .isNotEqualTo(ServerAddress.of("127.0.0.2", 4000)).isNotEqualTo(null).isNotEqualTo("127.0.0.1:4000");
    }

    @Test
    void anIpv6AddressIsShownInBrackets() {
        assertThat(ServerAddress.of("::1", 4000)).hasToString("[::1]:4000");
    }

    @Test
    void aBlankHostOrAPortOutOfRangeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.of(" ", 4000));
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.of("localhost", 0));
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.of("localhost", 65_536));
    }
}
