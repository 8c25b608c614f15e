/**
 * What the download trusts: the census ({@code Census} asks every mirror what it holds,
 * {@code CensusDecision} decides, as a pure function of the answers, which hold the file; the
 * answers are {@code Claim}s and the decision a {@code Verdict}), the digests of every piece
 * fetched before any data and checked against each other and their root ({@code DigestBook}),
 * and the check of the pieces a resume record names against them ({@code PieceCheck}).
 *
 * <p>May use {@code plan} (the digests pieces must match is its interface), {@code net} and
 * {@code text}. Asks mirrors only through {@link chunk.client.net.Mirror}. Nothing is null
 * unless marked {@code @Nullable}.
 */
@NullMarked
package chunk.client.verify;

import org.jspecify.annotations.NullMarked;
