package chunk.client.verify;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.DigestScheme;
import chunk.client.net.Holding;
import chunk.wire.Digest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What one server told the census about a file. */
public sealed interface Claim {

    ServerAddress server();

    /** A server that gives digests: its size, its root at {@link Holding#IDENTITY_PIECE_LENGTH}, and the first digests. */
    record Rooted(ServerAddress server, long size, Digest root, List<Digest> firstDigests, DigestScheme scheme)
            implements Claim {
        public Rooted {
            firstDigests = List.copyOf(firstDigests);
        }
    }

    /** A server that gives the size only (a version-1 server, or digests not asked for). */
    record SizeOnly(ServerAddress server, long size) implements Claim {}

    /**
     * A server that gives the size and the version of its file, but no digests (an HTTP
     * mirror): it supports every group of its size, except one with another version from its origin.
     */
    record Validated(ServerAddress server, long size, String origin, @Nullable String validator) implements Claim {}

    /** No answer: refused, unreachable, or an answer that makes no sense. */
    record Refused(ServerAddress server, ServerFailure failure) implements Claim {}

    /** The claim of {@code server}, which holds {@code holding}. */
    static Claim of(ServerAddress server, Holding holding) {
        return switch (holding) {
            case Holding.Rooted r -> new Rooted(server, r.size(), r.root(), r.firstDigests(), r.scheme());
            case Holding.SizeOnly s -> new SizeOnly(server, s.size());
            case Holding.Validated v -> new Validated(server, v.size(), v.origin(), v.validator());
        };
    }

    /** How a person reads the claim. */
    default String said() {
        return switch (this) {
            case Rooted r -> "says " + r.size() + " bytes, root " + r.root().hex();
            case SizeOnly s -> "says " + s.size() + " bytes (it gives no digests)";
            case Validated v -> "says " + v.size() + " bytes" + (v.validator() == null ? "" : ", version " + v.validator());
            case Refused f -> f.failure().reason();
        };
    }
}
