package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class OpenFileLimitTests {

    @Test
    void aLimitWithRoomLeavesTheSettingAlone() {
        assertThat(OpenFileLimit.fit(10_000, 256, OptionalLong.of(65_536))).isEqualTo(10_000);
    }

    @Test
    void aSmallLimitLowersTheSettingBelowItLeavingRoomForTransfersAndTheJvm() {
        assertThat(OpenFileLimit.fit(10_000, 256, OptionalLong.of(1024))).isEqualTo(1024 - 256 - OpenFileLimit.RESERVED);
    }

    @Test
    void aLimitBelowTwiceTheTransfersSharesTheFilesBetweenConnectionsAndTransfers() {
        assertThat(OpenFileLimit.fit(10_000, 256, OptionalLong.of(300))).isEqualTo((300 - OpenFileLimit.RESERVED) / 2);
    }

    @Test
    void aTinyLimitStillLeavesOneConnection() {
        assertThat(OpenFileLimit.fit(10_000, 256, OptionalLong.of(100))).isEqualTo(1);
    }

    @Test
    void anUnknownLimitLeavesTheSettingAlone() {
        assertThat(OpenFileLimit.fit(10_000, 256, OptionalLong.empty())).isEqualTo(10_000);
    }

    @Test
    void linuxSaysWhatTheLimitIs() {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.exists(java.nio.file.Path.of("/proc/self/limits")));
        assertThat(OpenFileLimit.current()).isPresent();
        assertThat(OpenFileLimit.current().getAsLong()).isPositive();
    }
}
