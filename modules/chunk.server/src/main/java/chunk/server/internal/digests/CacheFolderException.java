package chunk.server.internal.digests;

import java.io.IOException;
import java.io.Serial;
import org.jspecify.annotations.Nullable;

/**
 * The digest cache folder cannot be used: it is inside the served folder, or it cannot be made,
 * listed or written. The message says which folder and why, in words for the user.
 */
public final class CacheFolderException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    CacheFolderException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }
}
