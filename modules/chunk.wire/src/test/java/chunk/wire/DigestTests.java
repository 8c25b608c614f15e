package chunk.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTests {

    /** SHA-256 of nothing, as published (FIPS 180-4 examples, sha256sum of an empty file). */
    static final String EMPTY = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    /** SHA-256 of "abc", from FIPS 180-4. */
    static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void ofHashesTheBytesWithSha256() {
        assertThat(Digest.of(new byte[0]).hex()).isEqualTo(EMPTY);
        assertThat(Digest.of("abc".getBytes(StandardCharsets.US_ASCII))).hasToString(ABC);
    }

    @Test
    void finishTakesTheDigestOfAComputationAndResetsIt() {
        MessageDigest sha256 = Digest.newSha256();
        sha256.update("ab".getBytes(StandardCharsets.US_ASCII));
        sha256.update("c".getBytes(StandardCharsets.US_ASCII));

        assertThat(Digest.finish(sha256)).isEqualTo(Digest.fromHex(ABC));
        assertThat(Digest.finish(sha256)).isEqualTo(Digest.fromHex(EMPTY));
    }

    @Test
    void finishRefusesAnotherAlgorithm() throws Exception {
        assertThatIllegalArgumentException().isThrownBy(() -> Digest.finish(MessageDigest.getInstance("SHA-1")));
    }

    @Test
    void theRootOfNoPiecesIsTheDigestOfNothingAndOtherwiseOfTheConcatenatedDigests() {
        Digest a = Digest.of(new byte[] {1});
        Digest b = Digest.of(new byte[] {2});
        byte[] both = new byte[64];
        System.arraycopy(a.bytes(), 0, both, 0, 32);
        System.arraycopy(b.bytes(), 0, both, 32, 32);

        assertThat(Digest.rootOf(List.of())).isEqualTo(Digest.fromHex(EMPTY));
        assertThat(Digest.rootOf(List.of(a, b))).isEqualTo(Digest.of(both)).isNotEqualTo(Digest.rootOf(List.of(b, a)));
    }

    @Test
    void isAValueThatCopiesItsBytesInAndOut() {
        byte[] bytes = Digest.fromHex(ABC).bytes();
        Digest digest = new Digest(bytes);

        bytes[0] ^= 1;
        digest.bytes()[1] ^= 1;

        assertThat(digest).isEqualTo(Digest.fromHex(ABC)).hasSameHashCodeAs(Digest.fromHex(ABC));
        assertThat(digest).isNotEqualTo(Digest.fromHex(EMPTY));
    }

    @Test
    void readsHexInEitherCaseAndWritesItInLowercase() {
        assertThat(Digest.fromHex(ABC.toUpperCase(java.util.Locale.ROOT)).hex()).isEqualTo(ABC);
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 31, 33, 64})
    void hasExactly32Bytes(int length) {
        assertThatIllegalArgumentException().isThrownBy(() -> new Digest(new byte[length])).withMessageContaining("32");
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a",
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015adff",
        "zz7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"})
    void refusesHexThatIsNot64Digits(String hex) {
        assertThatIllegalArgumentException().isThrownBy(() -> Digest.fromHex(hex));
    }
}
