package chunk.client;

import chunk.wire.ByteRange;
import java.util.List;

/** What became of one chunk of a download. */
public sealed interface ChunkOutcome permits ChunkOutcome.Completed, ChunkOutcome.Failed {

    /** The chunk's place in the plan, from 0. */
    int index();

    /** The bytes of the file this chunk covers. */
    ByteRange range();

    /**
     * Every byte of the chunk was written to the file.
     *
     * @param servers the servers that delivered parts of it, in order (more than one after a retry)
     * @param failures the servers that failed before the chunk completed
     */
    record Completed(int index, ByteRange range, List<ServerAddress> servers, List<ServerFailure> failures)
            implements ChunkOutcome {
        public Completed {
            servers = List.copyOf(servers);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Every server was tried and none delivered the rest of the chunk.
     *
     * @param received how many bytes at the start of the range did arrive
     * @param failures why each server failed, in the order they were asked
     */
    record Failed(int index, ByteRange range, long received, List<ServerFailure> failures) implements ChunkOutcome {
        public Failed {
            failures = List.copyOf(failures);
        }
    }
}
