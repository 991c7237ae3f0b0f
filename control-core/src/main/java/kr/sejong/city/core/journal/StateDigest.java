package kr.sejong.city.core.journal;

import kr.sejong.city.core.loop.ControlLoop;
import kr.sejong.city.core.loop.StateWriter;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The state digest of a set of loops: SHA-256 over each loop's name and the SHA-256 of its snapshot
 * bytes, in loop order. Equal digests mean equal state, byte for byte.
 */
public final class StateDigest
{
    private StateDigest()
    {
    }

    public static byte[] sha256(final byte[] bytes, final int offset, final int length)
    {
        final MessageDigest sha = newSha256();
        sha.update(bytes, offset, length);
        return sha.digest();
    }

    /** Digest of the loops as they are now (snapshots them into {@code scratch}). */
    public static String of(final List<ControlLoop> loops, final StateWriter scratch)
    {
        final MessageDigest combined = newSha256();
        for (final ControlLoop loop : loops)
        {
            scratch.reset();
            loop.snapshot(scratch);
            combined.update(loop.name().getBytes(StandardCharsets.UTF_8));
            combined.update(sha256(scratch.buffer().byteArray(), 0, scratch.length()));
        }
        return HexFormat.of().formatHex(combined.digest());
    }

    /** Digest from per-loop state hashes already known (as stored in a snapshot). */
    public static String of(final List<String> loopNames, final List<byte[]> stateSha256s)
    {
        final MessageDigest combined = newSha256();
        for (int i = 0; i < loopNames.size(); i++)
        {
            combined.update(loopNames.get(i).getBytes(StandardCharsets.UTF_8));
            combined.update(stateSha256s.get(i));
        }
        return HexFormat.of().formatHex(combined.digest());
    }

    static MessageDigest newSha256()
    {
        try
        {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (final NoSuchAlgorithmException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
