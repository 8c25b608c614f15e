package chunk.client.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class BufferPoolTests {

    @Test
    void aBufferGivenBackIsTheNextOneTakenAndComesBackCleared() {
        BufferPool pool = new BufferPool(4096);
        ByteBuffer first = pool.take();
        first.putInt(42).flip();
        pool.give(first);

        ByteBuffer again = pool.take();

        assertThat(again).isSameAs(first);
        assertThat(again.position()).isZero();
        assertThat(again.limit()).isEqualTo(4096);
    }

    @Test
    void buffersInUseAreNeverShared() {
        BufferPool pool = new BufferPool(1024);
        ByteBuffer first = pool.take();
        ByteBuffer second = pool.take();

        assertThat(second).isNotSameAs(first);
        assertThat(first.isDirect()).as("direct: no copy through the heap").isTrue();
        assertThat(second.capacity()).isEqualTo(1024);
    }
}
