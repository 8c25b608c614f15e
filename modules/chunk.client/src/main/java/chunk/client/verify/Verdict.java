package chunk.client.verify;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.DigestScheme;
import chunk.client.net.Holding;
import chunk.wire.Digest;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What the census decided. */
public sealed interface Verdict {

    /**
     * The servers in {@code agreeing} hold the same file.
     *
     * @param root its root, null when none of them gives digests
     * @param scheme what the root and the digests are (the digest tree, or a round-2 server's flat
     *     digests at {@link Holding#IDENTITY_PIECE_LENGTH}); null when root is null
     * @param firstDigests the first digests at {@link Holding#IDENTITY_PIECE_LENGTH} from one of them,
     *     empty when root is null
     * @param leftOut the servers that said something else, and what
     * @param failures the servers that did not answer, and why
     * @param withDigests those of {@code agreeing} that give digests
     * @param pinnedRoot the root the user gave ({@code --root}) that these servers have, or null
     * @param oneOfATie whether this is one of the groups of a tie, tried because {@code --sha256} will tell
     * @param validators the version of the file at each origin of the agreeing HTTP mirrors that
     *     named one (origin to strong validator): what a resume record must match
     */
    record Agreed(long size, @Nullable Digest root, @Nullable DigestScheme scheme, List<Digest> firstDigests,
            List<ServerAddress> agreeing,
            List<Claim> leftOut, List<ServerFailure> failures, List<ServerAddress> withDigests,
            @Nullable Digest pinnedRoot, boolean oneOfATie, Map<String, String> validators) implements Verdict {

        public Agreed {
            validators = Map.copyOf(validators);
            firstDigests = List.copyOf(firstDigests);
            agreeing = List.copyOf(agreeing);
            leftOut = List.copyOf(leftOut);
            failures = List.copyOf(failures);
            withDigests = List.copyOf(withDigests);
        }

        /** Whether a claim heard after this verdict matches it: same size, and same root where both have one. */
        public boolean admits(Claim claim) {
            if (leftOut.stream().anyMatch(c -> c.server().equals(claim.server()))) {
                return false;
            }
            return switch (claim) {
                case Claim.Rooted r -> r.size() == size && (root == null || r.root().equals(root));
                case Claim.SizeOnly s -> s.size() == size;
                case Claim.Validated v -> v.size() == size
                        && (v.validator() == null || v.validator().equals(validators.getOrDefault(v.origin(), v.validator())));
                case Claim.Refused _ -> false;
            };
        }

        /** Why a server that said {@code claim} takes no part, for a person. */
        public String whyLeftOut(Claim claim) {
            if (oneOfATie) {
                // No majority chose: the file --sha256 names did (it is said once that group's file matched).
                return claim.said() + ", not the file --sha256 names";
            }
            if (pinnedRoot == null) {
                return claim.said() + ", unlike the others";
            }
            // Chosen by the user's root, not by a majority: say what the server has against that.
            return switch (claim) {
                case Claim.Rooted r when !r.root().equals(pinnedRoot) ->
                        "has root " + shortened(r.root()) + ", not the one given with --root";
                case Claim.Rooted r -> "says " + r.size() + " bytes, not the size of the file with the root given with --root";
                case Claim.SizeOnly s -> "says " + s.size() + " bytes (it gives no digests), not the size of the file"
                        + " with the root given with --root";
                case Claim.Validated v when v.size() == size -> v.said() + ", not the version the others from its origin have";
                case Claim.Validated v -> "says " + v.size() + " bytes (it gives no digests), not the size of the file"
                        + " with the root given with --root";
                case Claim.Refused f -> f.failure().reason();
            };
        }
    }

    /**
     * The servers disagree, no group is the largest, and the user gave the whole file's
     * SHA-256: each group in turn may be tried until one gives the file that matches it.
     */
    record Tied(List<Agreed> groups) implements Verdict {
        public Tied {
            groups = List.copyOf(groups);
        }
    }

    /** The servers disagree and nothing settles which is right: nothing may be downloaded. */
    record Disputed(List<Claim> claims, String problem) implements Verdict {
        public Disputed {
            claims = List.copyOf(claims);
        }
    }

    /** No server told the size. */
    record Unavailable(List<ServerFailure> failures) implements Verdict {
        public Unavailable {
            failures = List.copyOf(failures);
        }
    }

    /** The first hex digits of a root, enough to tell roots apart in a line a person reads. */
    static String shortened(Digest root) {
        return root.hex().substring(0, 8) + "…";
    }
}
