package kr.sejong.city.bench.e2e;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Properties;
import java.util.zip.DataFormatException;

/**
 * What one load generator run found, as the generator's JVM hands it to the benchmark's: a properties
 * file with the counts and the latency histogram (nanoseconds, HdrHistogram's compressed encoding in
 * base64).
 *
 * @param rate              requests per second asked for (0: saturating, the throughput run)
 * @param measuredSeconds   length of the measured part of the schedule (after warmup)
 * @param sent              requests sent, warmup included
 * @param replies           replies received, warmup included
 * @param measuredRequests  requests in the measured part (each is in the histogram, answered or not)
 * @param measuredReplies   of those, answered
 * @param unanswered        requests (warmup included) without a reply when the run gave up
 * @param wrongDecisions    replies whose decision was not the expected one
 * @param unexpectedReplies replies to no request, or a second reply to one
 * @param sendBackPressure  times a send found the system's input full and had to wait
 * @param throughputPerS    replies (to any request) received during the measured seconds, per second: the
 *                          rate asked for when the system keeps up, what it manages when it does not
 * @param histogram         round-trip times of the measured requests, ns
 * @param sendLagNs         fixed rate: how late the generator sent each measured request after its intended
 *                          time, ns: large when the generator is starved of CPU or the system takes no more input
 *                          (a request never sent counts with its wait when the run gave up); empty when saturating
 */
public record GeneratorResult(
    long rate,
    double measuredSeconds,
    long sent,
    long replies,
    long measuredRequests,
    long measuredReplies,
    long unanswered,
    long wrongDecisions,
    long unexpectedReplies,
    long sendBackPressure,
    double throughputPerS,
    Histogram histogram,
    Histogram sendLagNs)
{
    public void write(final Path file) throws IOException
    {
        final Properties properties = new Properties();
        properties.setProperty("rate", Long.toString(rate));
        properties.setProperty("measuredSeconds", Double.toString(measuredSeconds));
        properties.setProperty("sent", Long.toString(sent));
        properties.setProperty("replies", Long.toString(replies));
        properties.setProperty("measuredRequests", Long.toString(measuredRequests));
        properties.setProperty("measuredReplies", Long.toString(measuredReplies));
        properties.setProperty("unanswered", Long.toString(unanswered));
        properties.setProperty("wrongDecisions", Long.toString(wrongDecisions));
        properties.setProperty("unexpectedReplies", Long.toString(unexpectedReplies));
        properties.setProperty("sendBackPressure", Long.toString(sendBackPressure));
        properties.setProperty("throughputPerS", Double.toString(throughputPerS));
        properties.setProperty("histogram", encode(histogram));
        properties.setProperty("sendLag", encode(sendLagNs));
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8))
        {
            properties.store(out, "load generator result");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    public static GeneratorResult read(final Path file) throws IOException
    {
        final Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            p.load(in);
        }
        return new GeneratorResult(
            Long.parseLong(p.getProperty("rate")),
            Double.parseDouble(p.getProperty("measuredSeconds")),
            Long.parseLong(p.getProperty("sent")),
            Long.parseLong(p.getProperty("replies")),
            Long.parseLong(p.getProperty("measuredRequests")),
            Long.parseLong(p.getProperty("measuredReplies")),
            Long.parseLong(p.getProperty("unanswered")),
            Long.parseLong(p.getProperty("wrongDecisions")),
            Long.parseLong(p.getProperty("unexpectedReplies")),
            Long.parseLong(p.getProperty("sendBackPressure")),
            Double.parseDouble(p.getProperty("throughputPerS")),
            decode(p.getProperty("histogram"), file),
            decode(p.getProperty("sendLag"), file));
    }

    private static String encode(final Histogram histogram)
    {
        final ByteBuffer encoded = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        final int length = histogram.encodeIntoCompressedByteBuffer(encoded);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(encoded.array(), length));
    }

    private static Histogram decode(final String base64, final Path file) throws IOException
    {
        try
        {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(base64)), 0);
        }
        catch (final DataFormatException | RuntimeException ex)
        {
            throw new IOException("a histogram in " + file + " is corrupt", ex);
        }
    }

    /** Every request of the run answered once, with the expected decision. */
    public boolean allAnswered()
    {
        return unanswered == 0 && wrongDecisions == 0 && unexpectedReplies == 0 && replies == sent;
    }
}
