package chunk.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A configuration built by name: its defaults, a changed copy, and values out of range. */
class ServerConfigTests {

    static final Path ROOT = Path.of("served");

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ServerConfig config = ServerConfig.defaults(ROOT);
        assertThat(config.root()).isEqualTo(ROOT);
        assertThat(config.bindAddress()).isNull();
        assertThat(config.port()).isZero();
        assertThat(config.backlog()).isEqualTo(ServerConfig.defaultBacklog());
        assertThat(config.maxClients()).isEqualTo(ServerConfig.DEFAULT_MAX_CLIENTS);
        assertThat(config.maxConnections()).isEqualTo(ServerConfig.DEFAULT_MAX_CONNECTIONS);
        assertThat(config.maxWaitingPerAddress()).isEqualTo(ServerConfig.DEFAULT_MAX_WAITING_PER_ADDRESS);
        assertThat(config.headerTimeout()).isEqualTo(ServerConfig.DEFAULT_HEADER_TIMEOUT);
        assertThat(config.idleTimeout()).isEqualTo(ServerConfig.DEFAULT_IDLE_TIMEOUT);
        assertThat(config.rateLimit()).isZero();
        assertThat(config.totalRateLimit()).isZero();
        assertThat(config.gracePeriod()).isEqualTo(ServerConfig.DEFAULT_GRACE_PERIOD);
    }

    @Test
    void aCopyMadeWithToBuilderKeepsEverySettingAndChangesOnlyWhatItSets() {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerConfig first = ServerConfig.builder(ROOT).bindAddress(loopback).port(4000).backlog(7).maxClients(3)
                .maxConnections(30).maxWaitingPerAddress(5).headerTimeout(Duration.ofMillis(1500))
                .idleTimeout(Duration.ofSeconds(9)).rateLimit(1000).totalRateLimit(2000).gracePeriod(Duration.ZERO)
                .build();
        ServerConfig copy = first.toBuilder().maxClients(4).build();
        assertThat(copy.maxClients()).isEqualTo(4);
        assertThat(copy).usingRecursiveComparison().ignoringFields("maxClients").isEqualTo(first);
        assertThat(first.maxClients()).as("the first is not changed").isEqualTo(3);
    }

    static Stream<Arguments> valuesOutOfRange() {
        return Stream.of(
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.port(65_536), "a port is a number from 0 to 65535"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.backlog(0), "backlog must be at least 1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxClients(0), "max clients must be at least 1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxConnections(0), "max connections must be at least 1"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.maxWaitingPerAddress(0), "max waiting per address"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.headerTimeout(Duration.ZERO), "header timeout must be positive"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.idleTimeout(Duration.ofSeconds(-1)), "idle timeout must be positive"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.rateLimit(-1), "rate limit cannot be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.totalRateLimit(-1), "total rate limit cannot be negative"),
                Arguments.of((UnaryOperator<ServerConfig.Builder>) b -> b.gracePeriod(Duration.ofSeconds(-1)), "grace period cannot be negative"));
    }

    @ParameterizedTest
    @MethodSource("valuesOutOfRange")
    void aValueOutOfItsRangeIsRefusedWhenBuilt(UnaryOperator<ServerConfig.Builder> change, String message) {
        assertThatIllegalArgumentException().isThrownBy(() -> change.apply(ServerConfig.builder(ROOT)).build())
                .withMessageContaining(message);
    }
}
