package chunk.server.internal;

public final class Main {
    public static void main(String[] args) {
        System.err.println("scaffolding only");
        System.exit(70);
    }
}
