package chunk.client.verify;

import static org.assertj.core.api.Assertions.assertThat;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import chunk.client.net.DigestScheme;
import chunk.wire.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The census's rule as a table: what the answers in hand decide. A row names each server's
 * answer in the order of the server list: {@code 100/a} says 100 bytes with the digest-tree
 * root {@code a}, {@code 100/a*} the same with a round-2 server's flat root, {@code 100} says
 * 100 bytes and gives no digests, {@code x} refused, {@code .} not answered yet.
 * The verdict is {@code wait}, {@code agreed <servers>}, {@code tied <group>|<group>},
 * {@code disputed} or {@code unavailable}; servers are named by their place, from 0.
 */
class CensusDecisionTests {

    @ParameterizedTest(name = "{0}: {1} -> {5}")
    @CsvSource(delimiter = ';', textBlock = """
            two that agree start it;              100/a 100/a .;      ;  false; false; agreed 0 1
            one alone waits for a second;         100/a . .;          ;  false; false; wait
            one alone is enough past the deadline; 100/a . .;         ;  false; true;  agreed 0
            one alone is enough with --sha256;    100/a . .;          ;  true;  false; agreed 0
            the only server is enough;            100/a;              ;  false; false; agreed 0
            the majority wins and the other is left out; 100/a 100/b 100/a; ; false; false; agreed 0 2
            a size-only server backs its size;    100/a 100 .;        ;  false; false; agreed 0 1
            size-only servers agree among themselves; 100 100 .;      ;  false; false; agreed 0 1
            another size is another file;         100/a 200/a;        ;  false; false; disputed
            a tie waits for everyone;             100/a 100/b .;      ;  false; false; wait
            a tie of everyone is disputed;        100/a 100/b;        ;  false; false; disputed
            a tie with --sha256 tries each group; 100/a 100/b;        ;  true;  false; tied 0|1
            a larger group breaks a tie;          100/a 100/b 100/b;  ;  false; false; agreed 1 2
            refusals do not vote;                 x 100/a 100/a;      ;  false; false; agreed 1 2
            all refused is unavailable;           x x;                ;  false; false; unavailable
            refusals so far wait for the rest;    x .;                ;  false; false; wait
            the pinned root wins alone;           100/b 100/a 100/a;  b; false; false; agreed 0
            the pinned root waits while others may have it; 100/a .; b; false; false; wait
            no server with the pinned root is disputed; 100/a 100/a; b; false; false; disputed
            no digests to check a pinned root against: the whole file is checked; 100 100; b; false; false; agreed 0 1
            a pinned root without tree roots waits for everyone; 100 100 .; b; false; false; wait
            a pinned root without tree roots is a tie's referee; 100 200; b; false; false; tied 0|1
            a pinned root and only refusals is unavailable; x x; b;   false; false; unavailable
            a flat root beside tree roots is a size;  100/a 100/b* .;  ;  false; false; agreed 0 1
            flat roots agree among themselves;        100/a* 100/a* .; ;  false; false; agreed 0 1
            different flat roots disagree;            100/a* 100/b*;   ;  false; false; disputed
            a pinned root is not a flat root;         100/b* 100/b*;  b; false; false; agreed 0 1
            """)
    void decides(String rule, String answers, @Nullable String pinned, boolean wholeFilePinned, boolean pastDeadline,
            String expected) {
        List<ServerAddress> servers = new ArrayList<>();
        List<Claim> inHand = new ArrayList<>();
        String[] said = answers.trim().split(" +");
        for (int i = 0; i < said.length; i++) {
            ServerAddress server = ServerAddress.of("127.0.0.1", 4000 + i);
            servers.add(server);
            Claim claim = claim(server, said[i]);
            if (claim != null) {
                inHand.add(claim);
            }
        }
        CensusDecision decision = new CensusDecision("a.bin", servers, pinned == null ? null : root(pinned), wholeFilePinned);

        assertThat(verdict(decision.decide(inHand, pastDeadline), servers)).as(rule).isEqualTo(expected);
    }

    private static @Nullable Claim claim(ServerAddress server, String said) {
        return switch (said) {
            case "." -> null;
            case "x" -> new Claim.Refused(server, new ServerFailure(server, ServerFailure.Kind.REFUSED, "connection refused"));
            default -> {
                String[] sizeAndRoot = said.split("/");
                long size = Long.parseLong(sizeAndRoot[0]);
                if (sizeAndRoot.length == 1) {
                    yield new Claim.SizeOnly(server, size);
                }
                boolean flat = sizeAndRoot[1].endsWith("*");
                yield new Claim.Rooted(server, size, root(sizeAndRoot[1].replace("*", "")), List.of(),
                        flat ? DigestScheme.FLAT : DigestScheme.TREE);
            }
        };
    }

    private static Digest root(String name) {
        return Digest.of(name.getBytes(StandardCharsets.UTF_8));
    }

    private static String verdict(@Nullable Verdict verdict, List<ServerAddress> servers) {
        return switch (verdict) {
            case null -> "wait";
            case Verdict.Agreed agreed -> "agreed " + places(agreed, servers);
            case Verdict.Tied tied -> "tied " + tied.groups().stream().map(g -> places(g, servers)).collect(Collectors.joining("|"));
            case Verdict.Disputed _ -> "disputed";
            case Verdict.Unavailable _ -> "unavailable";
        };
    }

    private static String places(Verdict.Agreed agreed, List<ServerAddress> servers) {
        return Arrays.stream(agreed.agreeing().stream().mapToInt(servers::indexOf).toArray())
                .mapToObj(Integer::toString).collect(Collectors.joining(" "));
    }
}
