package kr.sejong.city.bench;

import kr.sejong.city.codecs.IngressRecordEncoder;
import kr.sejong.city.codecs.JournalRecordKind;
import kr.sejong.city.codecs.MessageHeaderEncoder;
import kr.sejong.city.codecs.RejectReason;
import kr.sejong.city.core.journal.ChainHash;
import kr.sejong.city.core.journal.JournalLayout;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The journal's hash chain link for one entry ({@link ChainHash#seal}: SHA-256 over the previous link and
 * the entry), which the journal agent computes for every input and the egress writer for every output,
 * on top of the append that {@link JournalAppendBenchmark} measures. The entry is the IngressRecord of
 * the end-to-end benchmark's request (a LaneObservations of 8 lanes, 96 bytes; 146 bytes with the record).
 * Expected allocation: none.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ChainHashBenchmark extends BenchmarkDefaults
{
    private final ChainHash chain = new ChainHash().continueFrom(null);
    private final ExpandableArrayBuffer entry = new ExpandableArrayBuffer(1024);
    private int length;

    @Setup
    public void setUp()
    {
        final ExpandableArrayBuffer frame = new ExpandableArrayBuffer(512);
        final int frameLength = new Junctions().encodeObservations(frame, 0, 101, 3);
        final IngressRecordEncoder record = new IngressRecordEncoder().wrapAndApplyHeader(entry, 0, new MessageHeaderEncoder())
            .sequence(1_000_000)
            .timeNs(1_780_000_000_000_000_000L)
            .kind(JournalRecordKind.INPUT)
            .rejectReason(RejectReason.NULL_VAL)
            .receivedLength(frameLength)
            .putChain(new byte[ChainHash.LENGTH], 0, ChainHash.LENGTH)
            .putFrame(frame, 0, frameLength);
        length = MessageHeaderEncoder.ENCODED_LENGTH + record.encodedLength();
    }

    @Benchmark
    public byte sealIngressRecord()
    {
        chain.seal(entry.byteArray(), length, JournalLayout.INGRESS_CHAIN_OFFSET);
        return entry.byteArray()[JournalLayout.INGRESS_CHAIN_OFFSET];
    }
}
