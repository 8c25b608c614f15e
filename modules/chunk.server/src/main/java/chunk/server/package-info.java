/**
 * Starts and stops a chunk file server from Java code: {@link chunk.server.FileServer#start}
 * with a {@link chunk.server.ServerConfig}. Nothing here is null unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.server;

import org.jspecify.annotations.NullMarked;
