package kr.sejong.city.replay.indiana;

/**
 * The event codes we write, from the Indiana Traffic Signal Hi Resolution Data Logger Enumerations
 * (Sturdevant et al., INDOT and Purdue University, 2012; the 2019 TPF-5(377) revision keeps these
 * numbers). The table with where each comes from in our journal is in replay/README.md.
 */
public enum IndianaEventCode
{
    PHASE_BEGIN_GREEN(1, "Phase Begin Green"),
    PHASE_BEGIN_YELLOW_CLEARANCE(8, "Phase Begin Yellow Clearance"),
    PHASE_END_YELLOW_CLEARANCE(9, "Phase End Yellow Clearance"),
    PHASE_BEGIN_RED_CLEARANCE(10, "Phase Begin Red Clearance"),
    PHASE_END_RED_CLEARANCE(11, "Phase End Red Clearance"),
    DETECTOR_OFF(81, "Detector Off"),
    DETECTOR_ON(82, "Detector On"),
    PREEMPT_CALL_INPUT_ON(102, "Preempt (Call) Input On"),
    PREEMPT_CALL_INPUT_OFF(104, "Preempt (Call) Input Off"),
    PREEMPT_ENTRY_STARTED(105, "Preempt Entry Started"),
    PREEMPTION_BEGIN_TRACK_CLEARANCE(106, "Preemption Begin Track Clearance"),
    PREEMPTION_BEGIN_DWELL_SERVICE(107, "Preemption Begin Dwell Service"),
    PREEMPTION_BEGIN_EXIT_INTERVAL(111, "Preemption Begin Exit Interval"),
    TSP_CHECK_IN(112, "TSP Check In"),
    TSP_ADJUSTMENT_TO_EARLY_GREEN(113, "TSP Adjustment to Early Green"),
    TSP_ADJUSTMENT_TO_EXTEND_GREEN(114, "TSP Adjustment to Extend Green"),
    TSP_CHECK_OUT(115, "TSP Check Out");

    private final int code;
    private final String description;

    IndianaEventCode(final int code, final String description)
    {
        this.code = code;
        this.description = description;
    }

    /** The number written in the EventCode column. */
    public int code()
    {
        return code;
    }

    /** The event's name in the enumerations document. */
    public String description()
    {
        return description;
    }
}
