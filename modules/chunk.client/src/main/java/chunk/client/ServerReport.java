package chunk.client;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What one server did in one download.
 *
 * @param server the server
 * @param bytes the bytes of accepted pieces it delivered
 * @param bytesPerSecond its share of the download's rate: {@code bytes} over the time the data took
 *     (all its connections together), 0 if it delivered nothing
 * @param connectionBytesPerSecond the moving average of one of its connections' rate, what the
 *     client judges servers by; 0 if never measured
 * @param failures why its requests failed, in order (ranges moved to a faster connection included,
 *     as {@link ServerFailure.Kind#MOVED})
 * @param leftOut why it was no longer asked for data (bad data, disagreement, failures), or null
 */
public record ServerReport(ServerAddress server, long bytes, double bytesPerSecond, double connectionBytesPerSecond,
        List<ServerFailure> failures,
        @Nullable String leftOut) {
    public ServerReport {
        failures = List.copyOf(failures);
    }
}
