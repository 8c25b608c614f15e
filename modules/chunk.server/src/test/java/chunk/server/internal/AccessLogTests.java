package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.server.internal.AccessLog.Entry;
import chunk.server.internal.AccessLog.Outcome;
import chunk.wire.ByteRange;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessLogTests {

    static final Instant WHEN = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aChunkLineHasEveryFieldInItsPlace() {
        Entry entry = new Entry("127.0.0.1:51234", "CHUNK", "hello.txt", AccessLog.Span.of(new ByteRange(7, 7)), Outcome.OK, 7, 400_000);
        assertThat(AccessLog.format(entry, WHEN)).isEqualTo("2026-11-25T10:00:00.000Z 127.0.0.1:51234 CHUNK hello.txt [7,14) ok 7 B 0.4 ms");
    }

    @Test
    void aRefusedRangeIsLoggedAsItWasSentEvenPastTheLargestOffset() {
        assertThat(new AccessLog.Span(-5, 10)).hasToString("[-5,5)");
        assertThat(new AccessLog.Span(0, -1)).hasToString("[0,-1)");
        assertThat(new AccessLog.Span(Long.MAX_VALUE, 2)).hasToString("[9223372036854775807,9223372036854775809)");
    }

    @Test
    void missingFieldsAreDashes() {
        Entry entry = new Entry("[::1]:5", "-", null, null, Outcome.NO_REQUEST, 0, 2_000_000);
        assertThat(AccessLog.format(entry, WHEN)).isEqualTo("2026-11-25T10:00:00.000Z [::1]:5 - - - no-request 0 B 2.0 ms");
    }

    @Test
    void theDurationIsInMillisecondsRoundedToATenth() {
        Entry entry = new Entry("[::1]:5", "-", null, null, Outcome.NO_REQUEST, 0, 0);
        assertThat(AccessLog.format(entry, WHEN)).endsWith(" 0.0 ms");
        assertThat(AccessLog.format(withNanos(entry, 49_999), WHEN)).endsWith(" 0.0 ms");
        assertThat(AccessLog.format(withNanos(entry, 50_000), WHEN)).endsWith(" 0.1 ms");
        assertThat(AccessLog.format(withNanos(entry, 1_234_560_000L), WHEN)).endsWith(" 1234.6 ms");
        assertThat(AccessLog.format(withNanos(entry, 30_000_000_000L), WHEN)).endsWith(" 30000.0 ms");
    }

    private static Entry withNanos(Entry entry, long nanos) {
        return new Entry(entry.client(), entry.type(), entry.file(), entry.range(), entry.outcome(), entry.bytesSent(), nanos);
    }

    @Test
    void namesThatWouldSplitTheLineAreQuotedAndEscaped() {
        assertThat(AccessLog.quoted("a b.txt")).isEqualTo("\"a b.txt\"");
        assertThat(AccessLog.quoted("say \"hi\"\n")).isEqualTo("\"say \\\"hi\\\"\\x0a\"");
        assertThat(AccessLog.quoted("-")).isEqualTo("\"-\"");
        assertThat(AccessLog.quoted("ünïcode.txt")).isEqualTo("ünïcode.txt");
    }
}
