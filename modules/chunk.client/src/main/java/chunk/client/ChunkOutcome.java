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
     * Every piece of the chunk was written to the file (and matched its digest, where verified).
     *
     * @param servers the servers that delivered its pieces, in the order of the pieces (more than
     *     one after a retry, or when another connection took over part of it)
     * @param failures the servers that failed while fetching its pieces
     */
    record Completed(int index, ByteRange range, List<ServerAddress> servers, List<ServerFailure> failures)
            implements ChunkOutcome {
        public Completed {
            servers = List.copyOf(servers);
            failures = List.copyOf(failures);
        }
    }

    /**
     * Some pieces of the chunk could not be had from any server.
     *
     * @param received how many bytes of the range arrived in whole pieces that count (written,
     *     and matched where verified); bytes of a piece that broke off count for nothing
     * @param failures why each server failed, in the order they were asked
     */
    record Failed(int index, ByteRange range, long received, List<ServerFailure> failures) implements ChunkOutcome {
        public Failed {
            failures = List.copyOf(failures);
        }
    }
}
