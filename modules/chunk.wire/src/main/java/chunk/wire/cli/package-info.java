/**
 * What {@code myclient} and {@code myserver} share on their command lines and in their
 * messages: one option grammar ({@link chunk.wire.cli.Tokenizer} over a table of
 * {@link chunk.wire.cli.Option}s), one form for usage errors and help
 * ({@link chunk.wire.cli.Usage}), and the small helpers both programs word alike
 * ({@link chunk.wire.cli.Versions}, {@link chunk.wire.cli.Hosts}, {@link chunk.wire.cli.Values}). Exported only to those two modules: it is not API.
 */
@NullMarked
package chunk.wire.cli;

import org.jspecify.annotations.NullMarked;
