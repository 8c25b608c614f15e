package chunk.client;

/**
 * Why one server could not serve one request.
 *
 * @param server the server asked
 * @param reason what went wrong, for a person to read (a server's ERROR text, a timeout, …)
 */
public record ServerFailure(ServerAddress server, String reason) {

    @Override
    public String toString() {
        return server + ": " + reason;
    }
}
