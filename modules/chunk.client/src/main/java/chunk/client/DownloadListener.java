package chunk.client;

import chunk.wire.ByteRange;

/**
 * Hears what a download is doing, for progress displays and logs. Methods are called from
 * many threads at once and must return quickly; every method does nothing by default.
 */
public interface DownloadListener {

    /** A listener that ignores everything. */
    DownloadListener NONE = new DownloadListener() {};

    /** A connection to {@code server} is being opened, for the size ({@code range} null) or a range. */
    default void connecting(ServerAddress server, String fileName, @org.jspecify.annotations.Nullable ByteRange range) {}

    /** A server failed a request; the download goes on with the next server if there is one. */
    default void serverFailed(ServerFailure failure) {}

    /** The size is known and the download of {@code chunks} chunks starts. */
    default void started(String fileName, long size, int chunks) {}

    /**
     * How far the download that just {@link #started} has come, read afresh at every call:
     * for progress displays, which then need to count nothing themselves. Called right after
     * {@link #started} (and {@link #resumed}).
     */
    default void progressing(DownloadProgress progress) {}

    /**
     * The download continues from its resume record: {@code bytes} of the file's {@code size}
     * are already in the part file and are not fetched again. Called right after {@link #started}.
     */
    default void resumed(String fileName, long bytes, long size) {}

    /**
     * A resume record was found but not used ({@code why}: damaged, of another file, of another
     * version of it, or {@code --no-resume}); the download starts from zero.
     */
    default void startedOver(String fileName, String why) {}

    /** {@code server} began sending data to the connection of chunk {@code index} (its own pieces or others'). */
    default void receiving(int index, ServerAddress server) {}

    /** {@code bytes} more bytes of chunk {@code index} were written to the file. */
    default void received(int index, long bytes) {}

    /** Chunk {@code index} is done, completed or not; called for every chunk once all connections have ended. */
    default void finished(ChunkOutcome outcome) {}
}
