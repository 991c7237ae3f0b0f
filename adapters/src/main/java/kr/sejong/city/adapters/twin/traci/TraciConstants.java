package kr.sejong.city.adapters.twin.traci;

/**
 * The TraCI protocol numbers this client uses: command ids, variable ids, type codes and result codes,
 * as SUMO's TraCI documentation lists them (SUMO 1.15, API version 20). Variable ids are per domain:
 * the same number means different things to different domains (0x7a is a vehicle's waiting time and
 * the simulation's arrived ids).
 */
public final class TraciConstants
{
    private TraciConstants()
    {
    }

    // ---- control commands
    public static final int CMD_GETVERSION = 0x00;
    public static final int CMD_SIMSTEP = 0x02;
    public static final int CMD_SETORDER = 0x03;
    public static final int CMD_CLOSE = 0x7F;

    // ---- domains: a get command id; set = get + 0x20, subscribe = get + 0x30, its response = subscribe + 0x10
    public static final int CMD_GET_INDUCTIONLOOP_VARIABLE = 0xa0;
    public static final int CMD_GET_TL_VARIABLE = 0xa2;
    public static final int CMD_GET_LANE_VARIABLE = 0xa3;
    public static final int CMD_GET_VEHICLE_VARIABLE = 0xa4;
    public static final int CMD_GET_SIM_VARIABLE = 0xab;

    public static final int CMD_SET_TL_VARIABLE = 0xc2;

    public static final int CMD_SUBSCRIBE_INDUCTIONLOOP_VARIABLE = 0xd0;
    public static final int CMD_SUBSCRIBE_TL_VARIABLE = 0xd2;
    public static final int CMD_SUBSCRIBE_LANE_VARIABLE = 0xd3;
    public static final int CMD_SUBSCRIBE_VEHICLE_VARIABLE = 0xd4;
    public static final int CMD_SUBSCRIBE_SIM_VARIABLE = 0xdb;

    /** Offset from a get command to the response carrying its value. */
    public static final int RESPONSE_OFFSET = 0x10;
    /** Offset from a get command to the domain's set command. */
    public static final int SET_OFFSET = 0x20;
    /** Offset from a get command to the domain's variable subscription command. */
    public static final int SUBSCRIBE_OFFSET = 0x30;

    // ---- variables shared by several domains
    public static final int ID_LIST = 0x00;
    public static final int ID_COUNT = 0x01;
    public static final int LAST_STEP_VEHICLE_NUMBER = 0x10;
    public static final int LAST_STEP_MEAN_SPEED = 0x11;
    public static final int LAST_STEP_VEHICLE_ID_LIST = 0x12;
    public static final int LAST_STEP_OCCUPANCY = 0x13;
    public static final int LAST_STEP_VEHICLE_HALTING_NUMBER = 0x14;

    // ---- traffic lights
    public static final int TL_RED_YELLOW_GREEN_STATE = 0x20;
    public static final int TL_PHASE_INDEX = 0x22;
    public static final int TL_PROGRAM = 0x23;
    public static final int TL_CONTROLLED_LANES = 0x26;
    public static final int TL_CONTROLLED_LINKS = 0x27;
    public static final int TL_CURRENT_PHASE = 0x28;
    public static final int TL_CURRENT_PROGRAM = 0x29;
    public static final int TL_COMPLETE_DEFINITION_RYG = 0x2b;

    // ---- lanes
    public static final int VAR_MAXSPEED = 0x41;
    public static final int VAR_LENGTH = 0x44;

    // ---- vehicles
    public static final int VAR_SPEED = 0x40;
    public static final int VAR_POSITION = 0x42;
    public static final int VAR_VEHICLECLASS = 0x49;
    public static final int VAR_TYPE = 0x4f;
    public static final int VAR_ROAD_ID = 0x50;
    public static final int VAR_LANE_ID = 0x51;
    public static final int VAR_ROUTE_ID = 0x53;
    public static final int VAR_EDGES = 0x54;
    public static final int VAR_LANEPOSITION = 0x56;
    /** Index of the vehicle's current edge in its route (on a junction's internal lane: of the edge before it). */
    public static final int VAR_ROUTE_INDEX = 0x69;
    public static final int VAR_WAITING_TIME = 0x7a;
    public static final int VAR_ACCUMULATED_WAITING_TIME = 0x87;
    public static final int VAR_TIMELOSS = 0x8c;

    // ---- simulation
    public static final int VAR_TIME = 0x66;
    public static final int VAR_LOADED_VEHICLES_NUMBER = 0x71;
    public static final int VAR_LOADED_VEHICLES_IDS = 0x72;
    public static final int VAR_DEPARTED_VEHICLES_NUMBER = 0x73;
    public static final int VAR_DEPARTED_VEHICLES_IDS = 0x74;
    public static final int VAR_TELEPORT_STARTING_VEHICLES_NUMBER = 0x75;
    public static final int VAR_ARRIVED_VEHICLES_NUMBER = 0x79;
    public static final int VAR_ARRIVED_VEHICLES_IDS = 0x7a;
    public static final int VAR_DELTA_T = 0x7b;
    public static final int VAR_MIN_EXPECTED_VEHICLES = 0x7d;
    public static final int VAR_COLLIDING_VEHICLES_NUMBER = 0x80;
    public static final int VAR_PENDING_VEHICLES = 0x94;

    // ---- value types
    public static final int POSITION_2D = 0x01;
    public static final int TYPE_UBYTE = 0x07;
    public static final int TYPE_BYTE = 0x08;
    public static final int TYPE_INTEGER = 0x09;
    public static final int TYPE_DOUBLE = 0x0B;
    public static final int TYPE_STRING = 0x0C;
    public static final int TYPE_STRINGLIST = 0x0E;
    public static final int TYPE_COMPOUND = 0x0F;
    public static final int TYPE_DOUBLELIST = 0x10;

    // ---- results
    public static final int RTYPE_OK = 0x00;
    public static final int RTYPE_NOTIMPLEMENTED = 0x01;
    public static final int RTYPE_ERR = 0xFF;

    /** "Not given" for doubles, e.g. the begin and end of a subscription that starts now and never ends. */
    public static final double INVALID_DOUBLE_VALUE = -1073741824.0;

    /** A readable name of a command id for error messages, e.g. "getTrafficLightVariable (0xa2)". */
    public static String commandName(final int commandId)
    {
        final String name = switch (commandId)
        {
            case CMD_GETVERSION -> "getVersion";
            case CMD_SIMSTEP -> "simulationStep";
            case CMD_SETORDER -> "setOrder";
            case CMD_CLOSE -> "close";
            case CMD_GET_INDUCTIONLOOP_VARIABLE -> "getInductionLoopVariable";
            case CMD_GET_TL_VARIABLE -> "getTrafficLightVariable";
            case CMD_GET_LANE_VARIABLE -> "getLaneVariable";
            case CMD_GET_VEHICLE_VARIABLE -> "getVehicleVariable";
            case CMD_GET_SIM_VARIABLE -> "getSimulationVariable";
            case CMD_SET_TL_VARIABLE -> "setTrafficLightVariable";
            case CMD_SUBSCRIBE_INDUCTIONLOOP_VARIABLE -> "subscribeInductionLoopVariable";
            case CMD_SUBSCRIBE_TL_VARIABLE -> "subscribeTrafficLightVariable";
            case CMD_SUBSCRIBE_LANE_VARIABLE -> "subscribeLaneVariable";
            case CMD_SUBSCRIBE_VEHICLE_VARIABLE -> "subscribeVehicleVariable";
            case CMD_SUBSCRIBE_SIM_VARIABLE -> "subscribeSimulationVariable";
            default -> "command";
        };
        return name + " (0x" + Integer.toHexString(commandId) + ")";
    }
}
