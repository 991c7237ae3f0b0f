package kr.sejong.city.core.journal;

import kr.sejong.city.codecs.EgressRecordDecoder;
import kr.sejong.city.codecs.IngressRecordDecoder;
import kr.sejong.city.codecs.MessageHeaderDecoder;

/** Where fields sit inside an encoded journal entry (header + record), for the hash chain. */
public final class JournalLayout
{
    /** Offset of the chain hash in an IngressRecord entry of the current version. */
    public static final int INGRESS_CHAIN_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + IngressRecordDecoder.chainEncodingOffset();
    /** Offset of the chain hash in an EgressRecord entry of the current version. */
    public static final int EGRESS_CHAIN_OFFSET = MessageHeaderDecoder.ENCODED_LENGTH + EgressRecordDecoder.chainEncodingOffset();

    private JournalLayout()
    {
    }

    /** Whether an entry of this block length carries a chain hash (version 2 and later). */
    public static boolean ingressHasChain(final int blockLength)
    {
        return blockLength >= IngressRecordDecoder.chainEncodingOffset() + ChainHash.LENGTH;
    }

    public static boolean egressHasChain(final int blockLength)
    {
        return blockLength >= EgressRecordDecoder.chainEncodingOffset() + ChainHash.LENGTH;
    }
}
