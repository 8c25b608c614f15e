package chunk.client;

import chunk.client.download.ParallelDownloader;
import java.util.List;

/**
 * Downloads files from a fixed list of chunk servers. Every server is asked at once for the
 * file's size and root (or the size alone, from a server that speaks only the original
 * protocol); the largest group of servers that agree is used and the others are left out,
 * and a download with no largest group stops before any data ({@link DownloadResult.Disputed}).
 * The file is cut into pieces, checked against the agreeing servers' digests as they arrive,
 * and into {@link DownloadOptions#chunks()} runs of pieces fetched in parallel, chunk
 * {@code i} from server {@code i mod n} first, then from the next servers in turn, each retry
 * asking only for the pieces not yet done; a chunk that is done takes over work from the
 * slowest. Every reply is checked against its request. Data goes to {@code <name>.part},
 * which is renamed to the final name only once complete and verified.
 *
 * <p>A downloader holds no connections between downloads; it may be used for several files
 * in turn, and from several threads.
 */
public interface Downloader {

    /**
     * A downloader for these servers.
     *
     * @param servers the servers to ask, in order; at least one
     * @param options how to download
     * @param listener hears progress; {@link DownloadListener#NONE} for none
     * @throws IllegalArgumentException if there is no server
     */
    static Downloader create(List<? extends ServerAddress> servers, DownloadOptions options, DownloadListener listener) {
        return new ParallelDownloader(servers, options, listener);
    }

    /** A downloader for these servers that reports nothing while it works. */
    static Downloader create(List<? extends ServerAddress> servers, DownloadOptions options) {
        return create(servers, options, DownloadListener.NONE);
    }

    /**
     * Downloads one file. Server and local failures are results, not exceptions.
     *
     * @param fileName the name to ask the servers for; it is saved under its base name
     * @throws InterruptedException if the thread is interrupted; the {@code .part} file is kept
     */
    DownloadResult download(String fileName) throws InterruptedException;
}
