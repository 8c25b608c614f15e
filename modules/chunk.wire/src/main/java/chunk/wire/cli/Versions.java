package chunk.wire.cli;

/** The version a program prints for {@code --version} and at start-up. */
public final class Versions {

    /** What a build without a module version (classes straight from an IDE) prints. */
    public static final String DEVELOPMENT = "dev";

    private Versions() {}

    /** The version of the module {@code type} belongs to, or {@link #DEVELOPMENT}. */
    public static String of(Class<?> type) {
        var descriptor = type.getModule().getDescriptor();
        return descriptor == null ? DEVELOPMENT : descriptor.rawVersion().orElse(DEVELOPMENT);
    }
}
