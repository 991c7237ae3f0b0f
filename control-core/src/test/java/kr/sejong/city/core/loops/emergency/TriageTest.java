package kr.sejong.city.core.loops.emergency;

import kr.sejong.city.codecs.EventClass;
import kr.sejong.city.codecs.SensorKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The triage rules, one function at a time. */
class TriageTest
{
    @Test
    void familiesDecideWhatCorrelates()
    {
        assertTrue(Triage.compatible(EventClass.FIRE, EventClass.SMOKE));
        assertTrue(Triage.compatible(EventClass.FALL, EventClass.MEDICAL));
        assertTrue(Triage.compatible(EventClass.CRIME, EventClass.INTRUSION));
        assertFalse(Triage.compatible(EventClass.FIRE, EventClass.FALL));
        assertFalse(Triage.compatible(EventClass.CROWDING, EventClass.JAYWALKING));
        assertEquals(1000, Triage.correlationRadiusM(EventClass.WRONG_WAY, 150), 0.0);
        assertEquals(150, Triage.correlationRadiusM(EventClass.FIRE, 150), 0.0);
    }

    @Test
    void priorityMovesWithContextAndStaysWithinOneToThree()
    {
        assertEquals(1, Triage.priority(EventClass.FIRE, 900, false, false, false, false, 0));
        assertEquals(2, Triage.priority(EventClass.FIRE, 400, false, false, false, false, 0), "unsure");
        assertEquals(3, Triage.priority(EventClass.FIRE, 400, false, false, false, true, 0), "unsure and a doubtful camera");
        assertEquals(1, Triage.priority(EventClass.FIRE, 400, false, false, true, true, 0), "a call corroborates");
        assertEquals(2, Triage.priority(EventClass.FALL, 900, false, false, false, false, 0));
        assertEquals(1, Triage.priority(EventClass.FALL, 900, false, true, false, false, 0), "a fall at night");
        assertEquals(2, Triage.priority(EventClass.COLLISION, 900, false, true, false, false, 0), "night does not matter for a collision");
        assertEquals(1, Triage.priority(EventClass.CLIMB_OVER, 900, true, true, false, false, 0), "school at night");
        assertEquals(2, Triage.priority(EventClass.JAYWALKING, 900, false, false, false, false, 1), "escalated once");
        assertEquals(1, Triage.priority(EventClass.OTHER, 0, false, false, false, true, 5), "never above P1");
        assertEquals(3, Triage.priority(EventClass.OTHER, 0, false, false, false, true, 0), "never below P3");
    }

    @Test
    void agenciesAndSensorsByClass()
    {
        assertEquals(Triage.FIRE | Triage.EMS, Triage.agencies(EventClass.FIRE));
        assertEquals(Triage.POLICE | Triage.EMS, Triage.agencies(EventClass.COLLISION));
        assertEquals(Triage.POLICE | Triage.FIRE, Triage.agencies(EventClass.VEHICLE_STOPPED_IN_TUNNEL));
        assertEquals(Triage.CITY, Triage.agencies(EventClass.CROWDING));
        assertEquals(EventClass.SMOKE, Triage.sensorClass(SensorKind.SMOKE_DETECTOR));
        assertEquals(EventClass.FIRE, Triage.sensorClass(SensorKind.HEAT));
        assertEquals(EventClass.FIRE, Triage.leading(EventClass.SMOKE, EventClass.FIRE));
        assertEquals(EventClass.FIRE, Triage.leading(EventClass.FIRE, EventClass.SMOKE));
        assertTrue(Triage.night(23) && Triage.night(5) && !Triage.night(6) && !Triage.night(14));
    }
}
