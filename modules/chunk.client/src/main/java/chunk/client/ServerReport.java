package chunk.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one server did in one download.
 *
 * @param server the server
 * @param bytes the bytes of accepted pieces it delivered
 * @param bytesPerSecond the moving average of one of its connections' rate, 0 if it delivered nothing
 * @param failures why its requests failed, in order
 * @param leftOut why it was no longer asked for data (bad data, disagreement, failures), or null
 */
public record ServerReport(ServerAddress server, long bytes, double bytesPerSecond, List<String> failures,
        @Nullable String leftOut) {
    public ServerReport {
        failures = List.copyOf(failures);
    }
}
