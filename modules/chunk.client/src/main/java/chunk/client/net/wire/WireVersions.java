package chunk.client.net.wire;

import chunk.client.ServerAddress.HostPort;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this run has learnt of each server's version of the wire protocol: which refuse the
 * DIGESTS extension (and are asked SIZE instead) and which refuse KEEP-OPEN (and get one request
 * per connection). It outlives one download, so that the files after the first are not asked
 * in vain again, and it is the one place that knows. Safe for use by many threads.
 */
public final class WireVersions {

    private final Set<HostPort> withoutDigests = ConcurrentHashMap.newKeySet();
    private final Set<HostPort> withoutKeepOpen = ConcurrentHashMap.newKeySet();

    /** Whether {@code server} answered a DIGESTS request as the original does: not asked again this run. */
    boolean refusesDigests(HostPort server) {
        return withoutDigests.contains(server);
    }

    void refusedDigests(HostPort server) {
        withoutDigests.add(server);
    }

    /** Whether {@code server} refused to keep a connection open: one request per connection this run. */
    boolean refusesKeepOpen(HostPort server) {
        return withoutKeepOpen.contains(server);
    }

    void refusedKeepOpen(HostPort server) {
        withoutKeepOpen.add(server);
    }
}
