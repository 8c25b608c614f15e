package chunk.server.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestHandlerTests {

    @Test
    void badRangeReasonsSayWhichPartIsWrong() {
        assertThat(RequestHandler.badRangeReason("bad range in a chunk request: offset -5, size 10")).isEqualTo("bad range: negative offset");
        assertThat(RequestHandler.badRangeReason("bad range in a chunk request: offset 5, size -1")).isEqualTo("bad range: negative size");
        assertThat(RequestHandler.badRangeReason("bad range in a chunk request: offset -5, size -1"))
                .isEqualTo("bad range: negative offset and size");
        assertThat(RequestHandler.badRangeReason("bad range in a chunk request: offset 9223372036854775807, size 10"))
                .isEqualTo("bad range: ends past the largest file offset");
        assertThat(RequestHandler.badRangeReason("something else")).isEqualTo("bad range");
    }
}
