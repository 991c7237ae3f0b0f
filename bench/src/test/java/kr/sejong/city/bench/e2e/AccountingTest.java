package kr.sejong.city.bench.e2e;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's books: latency from the intended send time, unanswered requests counted, not dropped. */
class AccountingTest
{
    private static final long MS = 1_000_000L;

    @Test
    void fixedRateCountsFromTheIntendedSendTimeSoAStallIsNotHidden()
    {
        // 1000/s for 10 ms after 2 ms of warmup: 12 requests, one due every ms from t = 0
        final Accounting books = new Accounting(1000, 0, 2 * MS, 10 * MS, 0);
        assertEquals(12, books.total());
        assertEquals(1, books.dueBy(0));
        assertEquals(6, books.dueBy(5 * MS + 1));
        for (long seq = 0; seq < 12; seq++)
        {
            books.sent(seq, seq * MS);
        }
        // the system stalls for 5 ms: every reply comes at t = 16 ms, whenever its request was due
        for (long seq = 0; seq < 12; seq++)
        {
            books.onReply(seq, 16 * MS, true);
        }
        assertTrue(books.complete());
        final GeneratorResult result = books.finish(16 * MS, 0);
        assertEquals(10, result.measuredRequests(), "the two warmup requests are not measured");
        assertEquals(10, result.histogram().getTotalCount());
        assertEquals(14 * MS, result.histogram().getMaxValue(), 14 * MS / 500.0, "request 2, due at 2 ms, waited 14 ms");
        assertEquals(5 * MS, result.histogram().getMinValue(), 5 * MS / 500.0, "request 11, due at 11 ms, waited 5 ms");
        assertTrue(result.allAnswered());
    }

    @Test
    void unansweredRequestsAreCountedWithTheirWaitWhenTheRunGivesUp()
    {
        final Accounting books = new Accounting(1000, 0, 0, 4 * MS, 0);
        for (long seq = 0; seq < 4; seq++)
        {
            books.sent(seq, seq * MS);
        }
        books.onReply(0, MS, true);
        books.onReply(1, 2 * MS, false);
        books.onReply(1, 2 * MS, true); // a second reply to the same request
        assertFalse(books.complete());
        final GeneratorResult result = books.finish(100 * MS, 0);
        assertEquals(2, result.unanswered());
        assertEquals(1, result.wrongDecisions());
        assertEquals(1, result.unexpectedReplies());
        assertEquals(4, result.histogram().getTotalCount(), "answered and unanswered alike");
        assertEquals(98 * MS, result.histogram().getMaxValue(), 98 * MS / 500.0, "request 2, due at 2 ms, given up at 100 ms");
        assertFalse(result.allAnswered());
    }

    @Test
    void saturatingCountsFromTheRealSendTimeAndKeepsAWindow()
    {
        final Accounting books = new Accounting(0, 0, 0, 10 * MS, 4);
        books.sent(0, MS);
        books.sent(1, 2 * MS);
        assertEquals(2, books.outstanding());
        books.onReply(1, 3 * MS, true);
        books.onReply(0, 4 * MS, true);
        assertTrue(books.complete());
        final GeneratorResult result = books.finish(11 * MS, 0);
        assertEquals(2, result.measuredReplies());
        assertEquals(3 * MS, result.histogram().getMaxValue(), 3 * MS / 500.0);
        assertEquals(200.0, result.throughputPerS(), 1e-9, "2 replies in the 10 ms measured");
    }

    @Test
    void aReplyCarryingOnlyTheLow32BitsIsMatchedToItsRequest()
    {
        final Accounting books = new Accounting(0, 0, 0, 10 * MS, 4);
        final long big = (3L << 32) + 5;
        books.sent(big, MS);
        assertEquals(big, books.unwrap(5));
        assertEquals(big - 1, books.unwrap(4));
    }
}
