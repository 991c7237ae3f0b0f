package kr.sejong.city.config;

import java.util.List;

/**
 * Immutable copies of the lists in the configuration records.
 */
final class Lists
{
    private Lists()
    {
    }

    /**
     * An omitted list reads as empty; the validator decides whether empty is allowed. Null entries
     * never get here: the mapper refuses them while reading.
     */
    static <T> List<T> copy(final List<T> list)
    {
        return list == null ? List.of() : List.copyOf(list);
    }
}
