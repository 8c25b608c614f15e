package chunk.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ServerAddressTests {

    @Test
    void addressesAreEqualExactlyWhenHostAndPortAre() {
        ServerAddress address = new ServerAddress("127.0.0.1", 4000);

        assertThat(address).isEqualTo(new ServerAddress("127.0.0.1", 4000))
                .hasSameHashCodeAs(new ServerAddress("127.0.0.1", 4000));
        assertThat(address).isNotEqualTo(new ServerAddress("127.0.0.1", 4001))
                .isNotEqualTo(new ServerAddress("127.0.0.2", 4000)).isNotEqualTo(null).isNotEqualTo("127.0.0.1:4000");
    }

    @Test
    void anIpv6AddressIsShownInBrackets() {
        assertThat(new ServerAddress("::1", 4000)).hasToString("[::1]:4000");
    }

    @Test
    void aBlankHostOrAPortOutOfRangeIsRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ServerAddress(" ", 4000));
        assertThatIllegalArgumentException().isThrownBy(() -> new ServerAddress("localhost", 0));
        assertThatIllegalArgumentException().isThrownBy(() -> new ServerAddress("localhost", 65_536));
    }
}
