package kr.sejong.city.config;

/**
 * A configuration that cannot be used. The message is one line naming the file, where in it, and
 * what is wrong, e.g. {@code config/x.yaml: traffic.detectors[12].intersection: unknown intersection 999}.
 */
public final class ConfigException extends RuntimeException
{
    private final String file;
    private final String path;
    private final String problem;

    /**
     * @param file    the file (or resource) as the user named it.
     * @param path    where in the file: a key path such as {@code energy.ess[0].capacityKwh}, a
     *                {@code line L, column C} for YAML syntax, or empty for the file as a whole.
     * @param problem what is wrong.
     */
    public ConfigException(final String file, final String path, final String problem)
    {
        this(file, path, problem, null);
    }

    public ConfigException(final String file, final String path, final String problem, final Throwable cause)
    {
        super(message(file, path, problem), cause);
        this.file = file;
        this.path = path;
        this.problem = oneLine(problem);
    }

    public String file()
    {
        return file;
    }

    /** Where in the file; empty when the problem is the file as a whole. */
    public String path()
    {
        return path;
    }

    public String problem()
    {
        return problem;
    }

    private static String message(final String file, final String path, final String problem)
    {
        return file + ": " + (path.isEmpty() ? "" : path + ": ") + oneLine(problem);
    }

    // logs and operator consoles show one line per error
    private static String oneLine(final String text)
    {
        return text.strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
