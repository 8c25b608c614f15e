/**
 * What the download keeps on this machine: the part file, owned through an exclusive lock for
 * the whole download and renamed to its final name only when complete ({@code PartFile},
 * {@code LockHolder}), where it goes ({@code OutputTarget}), the window a streamed download's
 * pieces wait in ({@code StreamWindow}; both are a {@code PieceSink}), and the resume record beside it
 * ({@code ResumeRecord}, written crash-safe by {@code ResumeFile}, kept up to date by
 * {@code ResumeWriter} from the pieces the piece map says are done, read back by
 * {@code Resume} when a download begins).
 *
 * <p>May use only {@code text}, the API and {@code chunk.wire}. A piece is recorded only
 * after its bytes are written and, unless {@code --no-fsync}, flushed. Nothing is null unless
 * marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.disk;

import org.jspecify.annotations.NullMarked;
