package chunk.client.net;

import chunk.client.ServerAddress;
import chunk.client.ServerFailure;
import java.io.Serial;
import java.util.Objects;

/**
 * A mirror could not do what was asked. Its {@link ServerFailure.Kind} is what callers decide
 * by; its message is the failure in full for a person, never read back.
 */
public final class MirrorException extends Exception {

    @Serial
    private static final long serialVersionUID = 1L;

    private final ServerFailure.Kind kind;

    public MirrorException(ServerFailure.Kind kind, String reason) {
        super(reason);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public MirrorException(ServerFailure.Kind kind, String reason, Throwable cause) {
        super(reason, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public ServerFailure.Kind kind() {
        return kind;
    }

    /** The failure in full, for a person. */
    public String reason() {
        return getMessage();
    }

    /** This failure as {@code server}'s. */
    public ServerFailure of(ServerAddress server) {
        return new ServerFailure(server, kind, reason());
    }
}
