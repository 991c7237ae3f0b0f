package kr.sejong.city.config;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A gateway API key as stored in the configuration: PBKDF2 with HMAC-SHA-256 from the JDK, salted,
 * written {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (salt and hash in unpadded base64). The key itself
 * is never stored; a key has the form {@code clientId.secret}.
 *
 * @param iterations PBKDF2 iterations.
 * @param salt       random salt, at least {@value #MIN_SALT_BYTES} bytes.
 * @param hash       the derived key, {@value #HASH_BYTES} bytes.
 */
public record ApiKeyHash(int iterations, byte[] salt, byte[] hash)
{
    public static final String PREFIX = "pbkdf2-sha256";
    public static final int MIN_ITERATIONS = 10_000;
    public static final int DEFAULT_ITERATIONS = 100_000;
    public static final int MIN_SALT_BYTES = 16;
    public static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * Reads the stored form.
     *
     * @throws IllegalArgumentException naming what is wrong.
     */
    public static ApiKeyHash parse(final String stored)
    {
        final String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !PREFIX.equals(parts[0]))
        {
            throw new IllegalArgumentException("must be " + PREFIX + "$ITERATIONS$SALT$HASH (bin/city gateway-key makes one)");
        }
        final int iterations;
        try
        {
            iterations = Integer.parseInt(parts[1]);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException("iterations \"" + parts[1] + "\" is not a number", ex);
        }
        if (iterations < MIN_ITERATIONS)
        {
            throw new IllegalArgumentException("iterations must be >= " + MIN_ITERATIONS + ", was " + iterations);
        }
        final byte[] salt;
        final byte[] hash;
        try
        {
            salt = Base64.getDecoder().decode(parts[2]);
            hash = Base64.getDecoder().decode(parts[3]);
        }
        catch (final IllegalArgumentException ex)
        {
            throw new IllegalArgumentException("salt and hash must be base64: " + ex.getMessage(), ex);
        }
        if (salt.length < MIN_SALT_BYTES)
        {
            throw new IllegalArgumentException("salt must be at least " + MIN_SALT_BYTES + " bytes, was " + salt.length);
        }
        if (hash.length != HASH_BYTES)
        {
            throw new IllegalArgumentException("hash must be " + HASH_BYTES + " bytes, was " + hash.length);
        }
        return new ApiKeyHash(iterations, salt, hash);
    }

    /** Hashes a key with a fresh random salt. */
    public static ApiKeyHash of(final String key, final int iterations)
    {
        final byte[] salt = new byte[MIN_SALT_BYTES];
        RANDOM.nextBytes(salt);
        return new ApiKeyHash(iterations, salt, derive(key, salt, iterations));
    }

    /** A new random key for a client: {@code clientId.} and 32 random bytes in hex. */
    public static String newKey(final String clientId)
    {
        final byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return clientId + "." + HexFormat.of().formatHex(secret);
    }

    /** Whether the key is the one hashed (constant-time comparison). */
    public boolean matches(final String key)
    {
        return MessageDigest.isEqual(hash, derive(key, salt, iterations));
    }

    /** The stored form. */
    public String encoded()
    {
        final Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return PREFIX + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    private static byte[] derive(final String key, final byte[] salt, final int iterations)
    {
        final PBEKeySpec spec = new PBEKeySpec(key.toCharArray(), salt, iterations, HASH_BYTES * 8);
        try
        {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        }
        catch (final GeneralSecurityException ex)
        {
            // every Java platform since 8 provides PBKDF2WithHmacSHA256
            throw new IllegalStateException(ex);
        }
        finally
        {
            spec.clearPassword();
        }
    }
}
