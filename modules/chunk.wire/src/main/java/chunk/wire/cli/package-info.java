/**
 * What {@code myclient} and {@code myserver} share on their command lines, in their messages and
 * in their documentation: one option grammar ({@link chunk.wire.cli.Tokenizer} over a table of
 * {@link chunk.wire.cli.Option}s), one form for usage errors ({@link chunk.wire.cli.Usage}),
 * the small helpers both programs word alike ({@link chunk.wire.cli.Versions},
 * {@link chunk.wire.cli.Hosts}, {@link chunk.wire.cli.Values}), and each program's
 * {@link chunk.wire.cli.Manual}: the value its {@code --help} ({@link chunk.wire.cli.Usage#help}),
 * its man page ({@link chunk.wire.cli.ManPage}) and its bash and zsh completions
 * ({@link chunk.wire.cli.BashCompletion}, {@link chunk.wire.cli.ZshCompletion}) are made from,
 * so that none of them can name an option, a default or an exit code the others do not. The
 * build writes the files with {@link chunk.wire.cli.ManualFiles}. Exported only to the two
 * programs' modules: it is not API.
 */
@NullMarked
package chunk.wire.cli;

import org.jspecify.annotations.NullMarked;
