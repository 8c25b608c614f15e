/**
 * One file's download, from the question to the mirrors to the final name.
 * {@code ParallelDownloader} (the API's {@link chunk.client.Downloader}) makes the download's
 * mirrors (the one place a protocol is chosen, and where a second one plugs in), holds the
 * census and settles ties; {@code FileDownload} runs the steps in the order the safety rules
 * ask: the part file's lock, the resume record, the digests, the recorded pieces checked
 * against them, the chunks, and the atomic rename of a complete, verified file.
 * {@code StreamedDownload} writes a file to a stream instead (standard output, a device): in
 * order, each piece once it and every piece before it are checked, through a bounded window
 * ({@code StreamWriter}).
 *
 * <p>May use {@code fetch}, {@code verify}, {@code plan}, {@code disk}, {@code net} (and
 * its protocols, {@code net.wire} and {@code net.http}) and {@code text}; not {@code cli}. Keeps no counts of its own: what is done is the piece map's.
 * Nothing is null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.download;

import org.jspecify.annotations.NullMarked;
