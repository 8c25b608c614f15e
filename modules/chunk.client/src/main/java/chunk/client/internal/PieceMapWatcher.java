package chunk.client.internal;

/** A listener that would rather read the piece map than count for itself: it is handed each download's map. */
interface PieceMapWatcher {

    /** The map of the download that starts now. */
    void watch(PieceMap map);
}
