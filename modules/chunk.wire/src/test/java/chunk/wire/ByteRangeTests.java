package chunk.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteRangeTests {

    @Nested
    class Validation {

        @ParameterizedTest(name = "offset {0}, length {1}")
        @CsvSource({"-1, 0", "0, -1", "-9223372036854775808, 5", "5, -9223372036854775808"})
        void aNegativeOffsetOrLengthIsRefused(long offset, long length) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new ByteRange(offset, length))
                    .withMessageContaining("non-negative");
        }

        @ParameterizedTest(name = "offset {0}, length {1}")
        @CsvSource({"9223372036854775807, 1", "1, 9223372036854775807", "4611686018427387904, 4611686018427387904"})
        void aRangeWhoseEndOverflowsIsRefused(long offset, long length) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new ByteRange(offset, length))
                    .withMessageContaining("2^63-1");
        }

        @Test
        void theLargestRangesThatFitAreAccepted() {
            assertThat(new ByteRange(0, Long.MAX_VALUE).end()).isEqualTo(Long.MAX_VALUE);
            assertThat(new ByteRange(Long.MAX_VALUE, 0).end()).isEqualTo(Long.MAX_VALUE);
            assertThat(new ByteRange(Long.MAX_VALUE - 1, 1).end()).isEqualTo(Long.MAX_VALUE);
        }

        @Test
        void rangesAreEqualExactlyWhenOffsetAndLengthAre() {
            ByteRange range = new ByteRange(1L << 40, 7);

            assertThat(range).isEqualTo(new ByteRange(1L << 40, 7)).hasSameHashCodeAs(new ByteRange(1L << 40, 7));
            assertThat(range).isNotEqualTo(new ByteRange(1L << 40, 8)).isNotEqualTo(new ByteRange(7, 1L << 40))
                    .isNotEqualTo(new ByteRange(0, 7)).isNotEqualTo(null).isNotEqualTo("[1099511627776,+7)");
        }

        @Test
        void betweenBuildsTheRangeFromItsEnds() {
            assertThat(ByteRange.between(10, 25)).isEqualTo(new ByteRange(10, 15));
            assertThat(ByteRange.between(7, 7).isEmpty()).isTrue();
            assertThatIllegalArgumentException().isThrownBy(() -> ByteRange.between(8, 7));
        }
    }

    @Nested
    class Arithmetic {

        @Test
        void theRemainderStartsWhereTheReceivedBytesStopped() {
            ByteRange range = new ByteRange(100, 50);

            assertThat(range.remainderAfter(0)).isEqualTo(range);
            assertThat(range.remainderAfter(20)).isEqualTo(new ByteRange(120, 30));
            assertThat(range.remainderAfter(50)).isEqualTo(new ByteRange(150, 0));
        }

        @Test
        void moreBytesThanTheRangeHoldsOrANegativeCountIsRefused() {
            ByteRange range = new ByteRange(100, 50);

            assertThatIllegalArgumentException().isThrownBy(() -> range.remainderAfter(51));
            assertThatIllegalArgumentException().isThrownBy(() -> range.remainderAfter(-1));
        }

        @ParameterizedTest(name = "[{0}, +{1}) in a {2}-byte file is [{3}, +{4})")
        @CsvSource({
            "0, 10, 100, 0, 10",   // inside
            "95, 10, 100, 95, 5",  // crosses the end
            "100, 10, 100, 100, 0", // starts at the end
            "150, 10, 100, 150, 0", // starts past the end
            "0, 0, 0, 0, 0",       // empty file
            "0, 9223372036854775807, 22, 0, 22"})
        void clampingCutsTheRangeAtTheEndOfTheFile(long offset, long length, long fileSize, long clampedOffset, long clampedLength) {
            assertThat(new ByteRange(offset, length).clampTo(fileSize)).isEqualTo(new ByteRange(clampedOffset, clampedLength));
        }

        @Test
        void aNegativeFileSizeCannotBeClampedTo() {
            assertThatIllegalArgumentException().isThrownBy(() -> new ByteRange(0, 1).clampTo(-1));
        }

        @Test
        void printsAsAHalfOpenInterval() {
            assertThat(new ByteRange(7, 7)).hasToString("[7, 14)");
        }
    }
}
