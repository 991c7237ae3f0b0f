package kr.sejong.city.core.journal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The journal's tamper evidence: each entry carries the first 16 bytes of
 * SHA-256(previous entry's chain hash || this entry without its own chain hash). Editing any byte of an
 * entry breaks its link; the first entry of a journal chains from zeros. Unkeyed, so it proves that a
 * journal is unaltered since written, not who wrote it: someone who rewrites every later entry as well
 * is not detected (anchor the latest chain hash elsewhere for that).
 */
public final class ChainHash
{
    public static final int LENGTH = 16;

    private final MessageDigest sha256;
    private final byte[] previous = new byte[LENGTH];
    private final byte[] digest = new byte[32];

    public ChainHash()
    {
        try
        {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    /** Continue a chain whose last entry carried {@code lastChain} (null or absent: a new chain). */
    public ChainHash continueFrom(final byte[] lastChain)
    {
        if (lastChain == null)
        {
            Arrays.fill(previous, (byte)0);
        }
        else
        {
            System.arraycopy(lastChain, 0, previous, 0, LENGTH);
        }
        return this;
    }

    /** Compute the entry's chain hash, write it at {@code chainOffset} and make it the previous one. */
    public void seal(final byte[] entry, final int length, final int chainOffset)
    {
        compute(entry, length, chainOffset);
        System.arraycopy(digest, 0, entry, chainOffset, LENGTH);
        System.arraycopy(digest, 0, previous, 0, LENGTH);
    }

    /**
     * Check the chain hash an entry carries against its predecessor. Either way the entry's own chain
     * hash becomes the previous one, so one altered entry is reported once, not for every later entry.
     */
    public boolean verify(final byte[] entry, final int length, final int chainOffset)
    {
        compute(entry, length, chainOffset);
        boolean same = true;
        for (int i = 0; i < LENGTH; i++)
        {
            same &= digest[i] == entry[chainOffset + i];
        }
        System.arraycopy(entry, chainOffset, previous, 0, LENGTH);
        return same;
    }

    /** The chain hash of the last entry sealed or verified. */
    public byte[] previous()
    {
        return previous.clone();
    }

    private void compute(final byte[] entry, final int length, final int chainOffset)
    {
        sha256.update(previous, 0, LENGTH);
        sha256.update(entry, 0, chainOffset);
        sha256.update(entry, chainOffset + LENGTH, length - chainOffset - LENGTH);
        try
        {
            sha256.digest(digest, 0, digest.length);
        }
        catch (final java.security.DigestException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
