package kr.sejong.city.adapters.opcua.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the adapter has done since it started, readable from any thread (tests, the status line, a benchmark).
 */
public final class OpcUaCounters
{
    final AtomicLong notifications = new AtomicLong();
    final AtomicLong published = new AtomicLong();
    final AtomicLong rejectedValues = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong reconnects = new AtomicLong();
    final AtomicLong connectFailures = new AtomicLong();
    final AtomicLong sessionsLost = new AtomicLong();
    final AtomicLong commandsSent = new AtomicLong();
    final AtomicLong commandsFailed = new AtomicLong();
    final AtomicLong commandsDropped = new AtomicLong();
    final AtomicLong heartbeatsWritten = new AtomicLong();
    final AtomicLong eventsLost = new AtomicLong();

    /** Values received from the servers' subscriptions (data changes). */
    public long notifications()
    {
        return notifications.get();
    }

    /** SBE frames offered to the node's ingress successfully. */
    public long published()
    {
        return published.get();
    }

    /** Values refused (wrong type, NaN, out of range, no SourceTimestamp) and never passed on. */
    public long rejectedValues()
    {
        return rejectedValues.get();
    }

    /** Frames the ingress did not take (not connected, or back-pressured past the retry limit). */
    public long dropped()
    {
        return dropped.get();
    }

    /** Sessions established, the first ones included. */
    public long connects()
    {
        return connects.get();
    }

    /** Sessions established again after a lost session or a failed attempt. */
    public long reconnects()
    {
        return reconnects.get();
    }

    /** Connection attempts that failed. */
    public long connectFailures()
    {
        return connectFailures.get();
    }

    /** Sessions lost (server gone, connection broken, session closed by the server). */
    public long sessionsLost()
    {
        return sessionsLost.get();
    }

    /** Commands (SetSignalState calls, set-point writes) the server accepted. */
    public long commandsSent()
    {
        return commandsSent.get();
    }

    /** Commands the server refused or that failed on the way; never retried. */
    public long commandsFailed()
    {
        return commandsFailed.get();
    }

    /** Commands for a device whose server was not connected: dropped, never replayed later. */
    public long commandsDropped()
    {
        return commandsDropped.get();
    }

    /** CentralHeartbeat writes the servers accepted. */
    public long heartbeatsWritten()
    {
        return heartbeatsWritten.get();
    }

    /** Video events an analytics gateway counted but the adapter never received. */
    public long eventsLost()
    {
        return eventsLost.get();
    }

    @Override
    public String toString()
    {
        return "notifications " + notifications() + ", published " + published() + ", rejected " + rejectedValues() +
            ", dropped " + dropped() + ", connects " + connects() + ", reconnects " + reconnects() + ", connect failures " +
            connectFailures() + ", sessions lost " + sessionsLost() + ", commands " + commandsSent() + " sent / " +
            commandsFailed() + " failed / " + commandsDropped() + " dropped, heartbeats " + heartbeatsWritten();
    }
}
