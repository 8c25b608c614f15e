package chunk.client.verify;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.DigestScheme;
import chunk.wire.Digest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The census's rule, as a pure function of the answers in hand: which servers hold the file
 * to download, or that nothing settles it, or that more answers are needed. Servers are
 * grouped by what they say (size and root; a server that gives no digests supports every
 * group of its size, and an HTTP mirror every one with no other version of the file from its
 * origin); the largest group wins. The download may start as soon as the answers
 * in hand settle it: two that agree, one that matches a pinned root, one at all when the user
 * gave a whole-file SHA-256 or there is only one server, or the largest group once the
 * connect timeout is past.
 *
 * @param fileName the file asked about, for the words of a dispute
 * @param servers every server asked, in the order of the server list: it breaks ties and orders claims
 * @param pinnedRoot the root the file must have ({@code --root}), or null
 * @param wholeFilePinned whether the user gave the whole file's SHA-256 ({@code --sha256}), checked at the end
 */
public record CensusDecision(String fileName, List<ServerAddress> servers, @Nullable Digest pinnedRoot,
        boolean wholeFilePinned) {

    public CensusDecision {
        servers = List.copyOf(servers);
    }

    /**
     * The verdict the claims in hand allow, or null to wait for more.
     *
     * @param inHand the answers so far, one per server at most
     * @param pastDeadline whether the connect timeout has passed: the largest group then wins
     *     without a second server agreeing
     */
    public @Nullable Verdict decide(List<Claim> inHand, boolean pastDeadline) {
        boolean everyone = inHand.size() == servers.size();
        boolean treeRoots = inHand.stream().anyMatch(c -> c instanceof Claim.Rooted r && r.scheme() == DigestScheme.TREE);
        List<Claim> comparable = treeRoots ? withoutFlatRoots(inHand) : inHand;
        Map<Group, List<Claim>> groups = groups(comparable);
        List<ServerFailure> failures = failures(inHand);
        if (pinnedRoot != null && treeRoots) {
            return byPinnedRoot(groups, comparable, failures, everyone);
        }
        if (pinnedRoot != null && !everyone && !pastDeadline) {
            return null; // a server that gives the tree's root may still answer
        }
        if (groups.isEmpty()) {
            return everyone ? new Verdict.Unavailable(failures) : null;
        }
        // With --root but no server that gives a tree root, only the whole file can be checked
        // against it, once downloaded: as with --sha256, one answer is enough and a tie is tried in turn.
        return byMajority(groups, comparable, failures, everyone, pastDeadline, wholeFilePinned || pinnedRoot != null);
    }

    /**
     * The claims with every flat root (of a round-2 server) taken as a size alone: where any
     * server gives the digest tree, the download is checked against the tree, and a flat root
     * cannot be compared with it.
     */
    private static List<Claim> withoutFlatRoots(List<Claim> inHand) {
        List<Claim> comparable = new ArrayList<>(inHand.size());
        for (Claim claim : inHand) {
            comparable.add(claim instanceof Claim.Rooted r && r.scheme() == DigestScheme.FLAT
                    ? new Claim.SizeOnly(r.server(), r.size()) : claim);
        }
        return comparable;
    }

    /**
     * What one group of servers says: a size, a root where any of them gives digests, and the
     * version (strong validator) of the file at each origin of its HTTP mirrors.
     */
    private record Group(long size, @Nullable Digest root, Map<String, String> validators) {
        // Written out rather than generated, as in ServerAddress: no invokedynamic to link at start-up.
        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof Group that && size == that.size && Objects.equals(root, that.root)
                    && validators.equals(that.validators);
        }

        @Override
        public int hashCode() {
            return 31 * Long.hashCode(size) + Objects.hashCode(root) + validators.hashCode();
        }
    }

    /** A group as it is gathered. */
    private static final class Gathering {
        final long size;
        final @Nullable Digest root;
        final Map<String, String> validators = new LinkedHashMap<>();
        final List<Claim> members = new ArrayList<>();

        Gathering(long size, @Nullable Digest root) {
            this.size = size;
            this.root = root;
        }

        /** Whether a server that gives no digests belongs here: its size, and no other version from its origin. */
        boolean takes(Claim claim) {
            return switch (claim) {
                case Claim.SizeOnly s -> s.size() == size;
                case Claim.Validated v -> v.size() == size
                        && (v.validator() == null || v.validator().equals(validators.getOrDefault(v.origin(), v.validator())));
                case Claim.Rooted r -> r.size() == size && r.root().equals(root);
                case Claim.Refused _ -> false;
            };
        }

        void add(Claim claim) {
            members.add(claim);
            if (claim instanceof Claim.Validated v && v.validator() != null) {
                validators.put(v.origin(), v.validator());
            }
        }
    }

    /**
     * The claims grouped by size and root; a server without digests joins every rooted group of
     * its size that has no other version from its origin, or else the first such group without a root.
     */
    private static Map<Group, List<Claim>> groups(List<Claim> inHand) {
        List<Gathering> gathered = new ArrayList<>();
        for (Claim claim : inHand) {
            if (claim instanceof Claim.Rooted r) {
                Gathering group = null;
                for (Gathering g : gathered) {
                    if (g.takes(r)) {
                        group = g;
                    }
                }
                if (group == null) {
                    group = new Gathering(r.size(), r.root());
                    gathered.add(group);
                }
                group.add(r);
            }
        }
        for (Claim claim : inHand) {
            if (claim instanceof Claim.SizeOnly || claim instanceof Claim.Validated) {
                boolean joined = false;
                for (Gathering g : gathered) {
                    if (g.root != null && g.takes(claim)) {
                        g.add(claim);
                        joined = true;
                    }
                }
                if (!joined) {
                    Gathering group = null;
                    for (Gathering g : gathered) {
                        if (group == null && g.root == null && g.takes(claim)) {
                            group = g;
                        }
                    }
                    if (group == null) {
                        group = new Gathering(sizeOf(claim), null);
                        gathered.add(group);
                    }
                    group.add(claim);
                }
            }
        }
        Map<Group, List<Claim>> groups = new LinkedHashMap<>();
        for (Gathering g : gathered) {
            groups.put(new Group(g.size, g.root, Map.copyOf(g.validators)), g.members);
        }
        return groups;
    }

    private static long sizeOf(Claim claim) {
        return switch (claim) {
            case Claim.Rooted r -> r.size();
            case Claim.SizeOnly s -> s.size();
            case Claim.Validated v -> v.size();
            case Claim.Refused _ -> -1;
        };
    }

    private List<ServerFailure> failures(List<Claim> inHand) {
        List<ServerFailure> failures = new ArrayList<>();
        for (Claim claim : inHand) {
            if (claim instanceof Claim.Refused refused) {
                failures.add(refused.failure());
            }
        }
        failures.sort((a, b) -> Integer.compare(servers.indexOf(a.server()), servers.indexOf(b.server())));
        return failures;
    }

    /** With {@code --root}: the group with that root, once it has answered; or, once all have, why none has it. */
    private @Nullable Verdict byPinnedRoot(Map<Group, List<Claim>> groups, List<Claim> inHand, List<ServerFailure> failures,
            boolean everyone) {
        for (var entry : groups.entrySet()) {
            if (pinnedRoot.equals(entry.getKey().root())) {
                return agreed(entry.getKey(), entry.getValue(), inHand, failures, pinnedRoot, false);
            }
        }
        if (!everyone) {
            return null;
        }
        if (groups.isEmpty()) {
            return new Verdict.Unavailable(failures);
        }
        return new Verdict.Disputed(ordered(inHand), "no server has the file with root " + pinnedRoot.hex() + " (--root)");
    }

    /** The largest group, when it is the only largest one and settled; a tie for --sha256 to break; or a dispute. */
    private @Nullable Verdict byMajority(Map<Group, List<Claim>> groups, List<Claim> inHand, List<ServerFailure> failures,
            boolean everyone, boolean pastDeadline, boolean wholeFilePinned) {
        List<Map.Entry<Group, List<Claim>>> ranked = new ArrayList<>(groups.entrySet());
        // Larger groups first, then the group with the server listed first. (Comparators are
        // written out: Comparator.comparingInt's are serializable lambdas, which the AOT cache
        // cannot hold, so each cost the census a millisecond of class spinning at start-up.)
        ranked.sort((a, b) -> a.getValue().size() != b.getValue().size()
                ? Integer.compare(b.getValue().size(), a.getValue().size())
                : Integer.compare(firstIndex(a.getValue()), firstIndex(b.getValue())));
        var top = ranked.getFirst();
        boolean unique = ranked.size() == 1 || ranked.get(1).getValue().size() < top.getValue().size();
        boolean settled = unique && (top.getValue().size() >= 2 || servers.size() == 1 || wholeFilePinned || pastDeadline);
        if (settled) {
            return agreed(top.getKey(), top.getValue(), inHand, failures, null, false);
        }
        if (!everyone) {
            return null;
        }
        if (wholeFilePinned) {
            // The whole file's digest will tell at the end which group was right.
            List<Verdict.Agreed> tied = new ArrayList<>();
            for (var entry : ranked) {
                if (entry.getValue().size() == top.getValue().size()) {
                    tied.add(agreed(entry.getKey(), entry.getValue(), inHand, failures, null, true));
                }
            }
            return new Verdict.Tied(tied);
        }
        return new Verdict.Disputed(ordered(inHand),
                "the servers disagree on " + fileName + " and no group of them is larger than the others");
    }

    private List<Claim> ordered(List<Claim> claims) {
        List<Claim> sorted = new ArrayList<>(claims);
        sorted.sort((a, b) -> Integer.compare(servers.indexOf(a.server()), servers.indexOf(b.server())));
        return sorted;
    }

    private int firstIndex(List<Claim> claims) {
        int first = Integer.MAX_VALUE;
        for (Claim claim : claims) {
            first = Math.min(first, servers.indexOf(claim.server()));
        }
        return first;
    }

    private Verdict.Agreed agreed(Group group, List<Claim> members, List<Claim> inHand, List<ServerFailure> failures,
            @Nullable Digest pinnedRoot, boolean oneOfATie) {
        List<Claim> inOrder = ordered(members);
        List<ServerAddress> agreeing = new ArrayList<>();
        List<ServerAddress> withDigests = new ArrayList<>();
        List<Digest> first = List.of();
        DigestScheme scheme = null;
        for (Claim claim : inOrder) {
            agreeing.add(claim.server());
            if (claim instanceof Claim.Rooted rooted) {
                withDigests.add(claim.server());
                first = first.isEmpty() ? rooted.firstDigests() : first;
                scheme = rooted.scheme();
            }
        }
        List<Claim> leftOut = new ArrayList<>();
        for (Claim claim : ordered(inHand)) {
            if (!(claim instanceof Claim.Refused) && !agreeing.contains(claim.server())) {
                leftOut.add(claim);
            }
        }
        return new Verdict.Agreed(group.size(), group.root(), scheme, first, agreeing, leftOut, failures, withDigests,
                pinnedRoot, oneOfATie, group.validators());
    }
}
