package chunk.client.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Where the names of the files to download come from. */
sealed interface NameSource {

    /** The next name, or null when there is none left. */
    @Nullable String next() throws IOException;

    /** Names from the command line. */
    final class Given implements NameSource {
        private final List<String> names;
        private int next;

        Given(List<String> names) {
            this.names = names;
        }

        @Override
        public @Nullable String next() {
            return next < names.size() ? names.get(next++) : null;
        }
    }

    /** Names from standard input, one a line; blank lines are skipped; a prompt when a person types them. */
    final class Lines implements NameSource {
        private final BufferedReader reader;
        private final @Nullable PrintStream prompt;

        Lines(InputStream in, @Nullable PrintStream prompt) {
            this.reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            this.prompt = prompt;
        }

        @Override
        public @Nullable String next() throws IOException {
            while (true) {
                if (prompt != null) {
                    prompt.print("File name: ");
                    prompt.flush();
                }
                String line = reader.readLine();
                if (line == null) {
                    if (prompt != null) {
                        prompt.println();
                    }
                    return null;
                }
                String name = line.strip();
                if (!name.isEmpty()) {
                    return name;
                }
            }
        }
    }
}
