/**
 * How things are said to a person: sizes, durations and rates ({@code HumanFormat}), paths and
 * names kept to one line ({@code Shown}), and I/O failures in a few words ({@code IoFailures}).
 * Uses nothing of the module; everything may use it. Nothing is null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package chunk.client.text;

import org.jspecify.annotations.NullMarked;
