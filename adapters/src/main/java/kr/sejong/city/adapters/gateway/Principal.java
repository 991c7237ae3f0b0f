package kr.sejong.city.adapters.gateway;

import kr.sejong.city.config.Gateway.Center;
import kr.sejong.city.config.Gateway.Role;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An authenticated client: its id (the name on its OperatorActions) and its role in each center.
 *
 * @param clientId the configuration's client id.
 * @param roles    role per center; a center not listed is not visible to the client.
 */
public record Principal(String clientId, Map<Center, Role> roles)
{
    public Principal
    {
        roles = Collections.unmodifiableMap(new EnumMap<>(roles));
    }

    /** Whether the client holds {@code role} (or one that includes it) in {@code center}. */
    public boolean can(final Center center, final Role role)
    {
        final Role held = roles.get(center);
        return held != null && held.includes(role);
    }

    /** The role held in a center, or null. */
    public Role roleIn(final Center center)
    {
        return roles.get(center);
    }

    /**
     * Refuses with 403 unless the client holds the role in the center.
     *
     * @param what what the client tried, for the message.
     */
    public void require(final Center center, final Role role, final String what)
    {
        if (!can(center, role))
        {
            final Role held = roles.get(center);
            throw new ApiException(403, null, "client " + clientId + " may not " + what + ": it needs "
                + name(role) + " in the " + name(center) + " center and holds "
                + (held == null ? "no role there" : name(held)));
        }
    }

    static String name(final Enum<?> value)
    {
        return value.name().toLowerCase(java.util.Locale.ROOT);
    }
}
