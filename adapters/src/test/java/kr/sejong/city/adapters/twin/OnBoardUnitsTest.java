package kr.sejong.city.adapters.twin;

import kr.sejong.city.codecs.VehicleRole;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The on-board units' naming rules (their requests are tested against SUMO in {@link OnBoardUnitsEndToEndTest}). */
class OnBoardUnitsTest
{
    @Test
    void aTransitLinesTripIsItsBasePlusTheFlowIndexEveryoneElseIsNumberedFromAMillion()
    {
        final OnBoardUnits units = new OnBoardUnits(null, List.of(), 300, Map.of("brt_WE", 7000, "line.A", 8000, "top", Integer.MAX_VALUE));
        assertEquals(7003, units.vehicleId("brt_WE.3"));
        assertEquals(7000, units.vehicleId("brt_WE.0"));
        assertEquals(8012, units.vehicleId("line.A.12"), "the name is everything before the last dot");
        assertEquals(1_000_000, units.vehicleId("ambulance_1"));
        assertEquals(1_000_001, units.vehicleId("brt_EW.3"), "not a line of the configuration");
        assertEquals(1_000_002, units.vehicleId("brt_WE.x"), "not a flow index");
        assertEquals(1_000_003, units.vehicleId("brt_WE."));
        assertEquals(7003, units.vehicleId("brt_WE.3"), "the same trip, the same unit");
        assertEquals(Integer.MAX_VALUE + 999_999_999L, units.vehicleId("top.999999999"), "still a uint32");
        assertEquals(1_000_004, units.vehicleId("top.1000000000"), "a flow index of more than 9 digits is no trip");
    }

    @Test
    void theRoleComesFromTheVehicleType()
    {
        assertEquals(VehicleRole.AMBULANCE, OnBoardUnits.emergencyRole("ambulance"));
        assertEquals(VehicleRole.AMBULANCE, OnBoardUnits.emergencyRole("Ambulance_KTAS1"));
        assertEquals(VehicleRole.FIRE, OnBoardUnits.emergencyRole("fire"));
        assertEquals(VehicleRole.FIRE, OnBoardUnits.emergencyRole("FireEngine"));
        assertEquals(VehicleRole.POLICE, OnBoardUnits.emergencyRole("police_car"));
        assertEquals(VehicleRole.AMBULANCE, OnBoardUnits.emergencyRole("emergency"), "any other emergency vehicle");
    }

    @Test
    void categoriesFromSumosVehicleClass()
    {
        assertEquals(VehicleCategory.EMERGENCY, VehicleCategory.of("emergency"));
        assertEquals(VehicleCategory.TRANSIT, VehicleCategory.of("bus"));
        assertEquals(VehicleCategory.BACKGROUND, VehicleCategory.of("passenger"));
        assertEquals(VehicleCategory.BACKGROUND, VehicleCategory.of("delivery"));
        assertEquals(VehicleCategory.BACKGROUND, VehicleCategory.of("coach"));
    }
}
