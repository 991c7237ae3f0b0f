package kr.sejong.city.adapters.gateway;

import kr.sejong.city.config.ApiKeyHash;
import kr.sejong.city.config.Gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Who is calling. A key has the form {@code clientId.secret}; the configuration holds only its PBKDF2 hash.
 * PBKDF2 is slow on purpose (about 0.1 s), so a key that matched once is remembered by its SHA-256 in memory
 * (never written anywhere) and later requests cost a hash, not a derivation.
 * <p>
 * The console logs in once with its key and gets a session cookie (random, 256 bits, kept in memory for
 * {@link #SESSION_TTL_MS}): a browser's EventSource cannot send an Authorization header.
 */
public final class Authenticator
{
    public static final long SESSION_TTL_MS = TimeUnit.HOURS.toMillis(12);

    private final Map<String, Gateway.Client> clients = new TreeMap<>();
    private final Map<String, ApiKeyHash> hashes = new TreeMap<>();
    private final Map<String, Principal> verified = new ConcurrentHashMap<>();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    private record Session(Principal principal, long expiresAtMs)
    {
    }

    public Authenticator(final Gateway config)
    {
        for (final Gateway.Client client : config.clients())
        {
            clients.put(client.id(), client);
            hashes.put(client.id(), ApiKeyHash.parse(client.keyHash()));
        }
    }

    /**
     * The client a key belongs to.
     *
     * @throws ApiException 401 when the key is missing, malformed or wrong.
     */
    public Principal authenticate(final String key)
    {
        if (key == null || key.isBlank())
        {
            throw new ApiException(401, "Authorization", "Authorization: missing; send 'Authorization: Bearer <client>.<secret>' or log in");
        }
        final String digest = sha256(key);
        final Principal known = verified.get(digest);
        if (known != null)
        {
            return known;
        }
        final int dot = key.indexOf('.');
        final String clientId = dot > 0 ? key.substring(0, dot) : "";
        final ApiKeyHash hash = hashes.get(clientId);
        if (hash == null || !hash.matches(key))
        {
            throw new ApiException(401, "Authorization", "Authorization: unknown client or wrong key");
        }
        final Principal principal = principal(clients.get(clientId));
        verified.put(digest, principal);
        return principal;
    }

    /** A new console session for a key; returns its token. */
    public String login(final String key)
    {
        final Principal principal = authenticate(key);
        final byte[] token = new byte[32];
        random.nextBytes(token);
        final String id = HexFormat.of().formatHex(token);
        sessions.put(id, new Session(principal, System.currentTimeMillis() + SESSION_TTL_MS));
        return id;
    }

    /** The principal of a session, or null when the session is unknown or expired. */
    public Principal session(final String token)
    {
        if (token == null)
        {
            return null;
        }
        final Session session = sessions.get(token);
        if (session == null)
        {
            return null;
        }
        if (session.expiresAtMs < System.currentTimeMillis())
        {
            sessions.remove(token);
            return null;
        }
        return session.principal;
    }

    public void logout(final String token)
    {
        if (token != null)
        {
            sessions.remove(token);
        }
    }

    private static Principal principal(final Gateway.Client client)
    {
        final Map<Gateway.Center, Gateway.Role> roles = new EnumMap<>(Gateway.Center.class);
        for (final Gateway.Grant grant : client.grants())
        {
            roles.put(grant.center(), grant.role());
        }
        return new Principal(client.id(), roles);
    }

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() ->
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex); // every Java platform has SHA-256
        }
    });

    private static String sha256(final String key)
    {
        return HexFormat.of().formatHex(SHA_256.get().digest(key.getBytes(StandardCharsets.UTF_8)));
    }
}
