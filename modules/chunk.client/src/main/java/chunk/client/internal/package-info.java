/** The implementation of {@code myclient}. Nothing here is null unless marked {@code @Nullable}. */
@NullMarked
package chunk.client.internal;

import org.jspecify.annotations.NullMarked;
