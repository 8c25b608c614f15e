/**
 * Frames of the chunk protocol and their codec. Nothing here is null unless marked
 * {@code @Nullable}; every method that reads or writes a channel expects a blocking channel.
 */
@NullMarked
package chunk.wire;

import org.jspecify.annotations.NullMarked;
