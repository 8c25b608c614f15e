package chunk.client;

/**
 * A live view of one download, for progress displays. Every call reads the download's piece
 * map, the one place that knows which pieces are done, so a display keeps no counts of its
 * own. Safe to call from any thread, while the download runs and after it ended.
 */
public interface DownloadProgress {

    /** The file's length in bytes. */
    long size();

    /** Bytes of pieces done: in the part file (and matched where verified), resumed ones included. */
    long doneBytes();

    /** Bytes an earlier run left in the part file and this one did not fetch again: part of {@link #doneBytes()}. */
    long resumedBytes();

    /** Bytes received in this run of pieces not yet done: what the connections are in the middle of. */
    long inFlightBytes();

    /**
     * Connections receiving from each server now, in the order of the server list; -1 for a
     * server that is left out and has none.
     */
    int[] connections();
}
