/**
 * Downloading a file from several chunk servers: {@link chunk.client.Downloader} does it,
 * {@link chunk.client.DownloadOptions} says how, {@link chunk.client.DownloadResult} says
 * what happened. Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client;

import org.jspecify.annotations.NullMarked;
