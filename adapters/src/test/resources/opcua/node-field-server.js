// A field server written with node-opcua, an OPC UA stack independent of Eclipse Milo, for the client
// adapter's interoperability tests. It keeps the contract of docs/opcua.md for intersection controllers
// (with detectors) and ESS inverters: namespace urn:sejong-city:field:1, string NodeIds <Kind>/<id>/<Name>,
// the topology arrays, SetSignalState, LaneObservations with SourceTimestamps, the ESS set-points.
//
// Security: SignAndEncrypt with Basic256Sha256 only, user name and password only (no anonymous), its own PKI
// in PKI_DIR (kept between runs, so a restarted server shows the same certificate). It trusts any client
// certificate: the tests are about the client's trust, not the server's.
//
// Environment: PORT, PKI_DIR, FIELD_USER, FIELD_PASSWORD, SPEC = {"intersections":[{"id":101,"detectors":[1011]}],"ess":[301]},
// TICK_MS (default 200).
// stdout: one JSON object per line: {"event":"listening","endpoint":...} once, then {"event":"call",...} and
// {"event":"write",...} for every SetSignalState call and every write.
// stdin: one JSON command per line: {"cmd":"bad","node":"Ess/301/SocPermille","kind":"nan"|"range"|"type"},
// {"cmd":"alarms","ess":301,"bits":5}.
"use strict";

const readline = require("readline");
const {
    OPCUAServer, OPCUACertificateManager, Variant, DataType, VariantArrayType, StatusCodes, SecurityPolicy,
    MessageSecurityMode
} = require("node-opcua");

const NS = "urn:sejong-city:field:1";
const port = parseInt(process.env.PORT, 10);
const pkiDir = process.env.PKI_DIR;
const user = process.env.FIELD_USER;
const password = process.env.FIELD_PASSWORD;
const spec = JSON.parse(process.env.SPEC || '{"intersections":[],"ess":[]}');
const tickMs = parseInt(process.env.TICK_MS || "200", 10);

function out(json) {
    process.stdout.write(JSON.stringify(json) + "\n");
}

// one intersection layout for every controller: four approaches, six lanes, one movement per lane
const LANE_APPROACHES = [0, 1, 1, 2, 3, 3];
const LANE_LENGTHS_MM = [120000, 150000, 150000, 110000, 140000, 140000];
const LANE_SPEEDS = [833, 833, 833, 833, 833, 833];
const MOVEMENT_FROM_LANES = [0, 1, 2, 3, 4, 5];
const MOVEMENT_TO_APPROACHES = [6, 7, 4, 4, 5, -1];
const MOVEMENT_TURNS = "slsrsl";
const PROGRAM = ["GrrGrr", "yrryrr", "rGGrGG", "ryyryy"];
const DURATIONS = [20000, 3000, 25000, 3000];
const MIN_DURATIONS = [5000, 3000, 5000, 3000];
const MAX_DURATIONS = [40000, 3000, 45000, 3000];
const NS_GREEN = [0, 3];

function conflicts() {
    const n = MOVEMENT_FROM_LANES.length;
    const bytes = Buffer.alloc(Math.ceil(n * n / 8));
    for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
            if (NS_GREEN.includes(i) !== NS_GREEN.includes(j)) {
                const bit = i * n + j;
                bytes[bit >> 3] |= 1 << (bit & 7);
            }
        }
    }
    return bytes;
}

async function main() {
    const certificateManager = new OPCUACertificateManager({
        rootFolder: pkiDir,
        automaticallyAcceptUnknownCertificate: true,
        disableFileWatchers: true
    });
    await certificateManager.initialize();

    const server = new OPCUAServer({
        port,
        resourcePath: "/UA/Field",
        serverCertificateManager: certificateManager,
        securityPolicies: [SecurityPolicy.Basic256Sha256],
        securityModes: [MessageSecurityMode.SignAndEncrypt],
        allowAnonymous: false,
        userManager: { isValidUser: (name, pass) => name === user && pass === password },
        buildInfo: { productName: "node-field-server", productUri: "urn:sejong-city:test:node-field-server" },
        serverInfo: { applicationUri: "urn:sejong-city:test:node-field-server" }
    });
    await server.initialize();

    const addressSpace = server.engine.addressSpace;
    const ns = addressSpace.registerNamespace(NS);
    const field = ns.addFolder(addressSpace.rootFolder.objects, { browseName: "Field", nodeId: "s=Field" });
    const folders = {};
    for (const name of ["Intersections", "Ess"]) {
        folders[name] = ns.addFolder(field, { browseName: name, nodeId: "s=Field/" + name });
    }

    function variable(parent, nodeId, name, dataType, value, options = {}) {
        const v = ns.addVariable({
            componentOf: parent,
            browseName: name,
            nodeId: "s=" + nodeId,
            dataType,
            valueRank: options.array ? 1 : -1,
            accessLevel: options.writable ? "CurrentRead | CurrentWrite" : "CurrentRead",
            userAccessLevel: options.writable ? "CurrentRead | CurrentWrite" : "CurrentRead"
        });
        set(v, value, options.variantType || dataType, options.array);
        return v;
    }

    function set(v, value, type, array) {
        v.setValueFromSource(new Variant({
            dataType: DataType[type],
            arrayType: array ? VariantArrayType.Array : VariantArrayType.Scalar,
            value
        }), StatusCodes.Good, new Date());
    }

    const nodes = {};
    const tickers = [];

    for (const intersection of spec.intersections) {
        const id = intersection.id;
        const p = "Intersection/" + id;
        const obj = ns.addObject({ organizedBy: folders.Intersections, browseName: String(id), nodeId: "s=" + p });
        const state = { phase: 0, elapsedMs: 0, mode: 2, heartbeat: 0, tick: 0, central: 0, signalState: PROGRAM[0] };
        variable(obj, p + "/Name", "Name", "String", "tl" + id);
        const mode = variable(obj, p + "/Mode", "Mode", "Int32", state.mode);
        const phaseIndex = variable(obj, p + "/PhaseIndex", "PhaseIndex", "UInt16", 0);
        const elapsed = variable(obj, p + "/PhaseElapsedMs", "PhaseElapsedMs", "UInt32", 0);
        const signalState = variable(obj, p + "/SignalState", "SignalState", "String", state.signalState);
        const heartbeat = variable(obj, p + "/Heartbeat", "Heartbeat", "UInt32", 0);
        ns.addVariable({
            componentOf: obj, browseName: "CentralHeartbeat", nodeId: "s=" + p + "/CentralHeartbeat", dataType: "UInt32",
            accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
            value: {
                get: () => new Variant({ dataType: DataType.UInt32, value: state.central }),
                set: (variant) => {
                    state.central = variant.value;
                    out({ event: "write", node: p + "/CentralHeartbeat", value: variant.value });
                    return StatusCodes.Good;
                }
            }
        });
        variable(obj, p + "/WatchdogMs", "WatchdogMs", "UInt32", 3000);
        const lanes = variable(obj, p + "/LaneObservations", "LaneObservations", "UInt16", new Uint16Array(18), { array: true });
        variable(obj, p + "/LaneApproaches", "LaneApproaches", "UInt16", new Uint16Array(LANE_APPROACHES), { array: true });
        variable(obj, p + "/LaneLengthsMm", "LaneLengthsMm", "Int32", new Int32Array(LANE_LENGTHS_MM), { array: true });
        variable(obj, p + "/LaneSpeedLimitsCmPerS", "LaneSpeedLimitsCmPerS", "UInt16", new Uint16Array(LANE_SPEEDS), { array: true });
        variable(obj, p + "/MovementFromLanes", "MovementFromLanes", "UInt16", new Uint16Array(MOVEMENT_FROM_LANES), { array: true });
        variable(obj, p + "/MovementToApproaches", "MovementToApproaches", "Int32", new Int32Array(MOVEMENT_TO_APPROACHES), { array: true });
        variable(obj, p + "/MovementTurns", "MovementTurns", "String", MOVEMENT_TURNS);
        variable(obj, p + "/Conflicts", "Conflicts", "ByteString", conflicts());
        variable(obj, p + "/ProgramStates", "ProgramStates", "String", PROGRAM, { array: true });
        variable(obj, p + "/ProgramDurationsMs", "ProgramDurationsMs", "UInt32", new Uint32Array(DURATIONS), { array: true });
        variable(obj, p + "/ProgramMinDurationsMs", "ProgramMinDurationsMs", "UInt32", new Uint32Array(MIN_DURATIONS), { array: true });
        variable(obj, p + "/ProgramMaxDurationsMs", "ProgramMaxDurationsMs", "UInt32", new Uint32Array(MAX_DURATIONS), { array: true });

        const method = ns.addMethod(obj, {
            browseName: "SetSignalState",
            nodeId: "s=" + p + "/SetSignalState",
            inputArguments: [
                { name: "SignalState", dataType: DataType.String },
                { name: "DurationMs", dataType: DataType.UInt32 },
                { name: "Mode", dataType: DataType.Int32 },
                { name: "Reason", dataType: DataType.Int32 }
            ],
            outputArguments: []
        });
        method.bindMethod((inputs, context, callback) => {
            const [s, duration, m, reason] = inputs.map((x) => x.value);
            out({ event: "call", method: "SetSignalState", intersection: id, signalState: s, durationMs: duration, mode: m, reason });
            if (typeof s !== "string" || s.length !== MOVEMENT_FROM_LANES.length || !/^[rRgGyYuoOs]*$/.test(s)) {
                return callback(null, { statusCode: StatusCodes.BadInvalidArgument });
            }
            state.signalState = s;
            state.mode = m;
            state.elapsedMs = 0;
            set(signalState, s, "String");
            set(mode, m, "Int32");
            set(elapsed, 0, "UInt32");
            callback(null, { statusCode: StatusCodes.Good, outputArguments: [] });
        });

        const detectors = [];
        for (const detectorId of intersection.detectors || []) {
            const dp = p + "/Detector/" + detectorId;
            const det = ns.addObject({ componentOf: obj, browseName: "Detector" + detectorId, nodeId: "s=" + dp });
            detectors.push(variable(det, dp + "/Counts", "Counts", "UInt32", new Uint32Array([1000, 0, 0, 0]), { array: true }));
        }

        tickers.push(() => {
            state.tick++;
            state.elapsedMs += tickMs;
            if (state.mode === 2 && state.elapsedMs >= DURATIONS[state.phase]) {
                state.phase = (state.phase + 1) % PROGRAM.length;
                state.elapsedMs = 0;
                state.signalState = PROGRAM[state.phase];
                set(phaseIndex, state.phase, "UInt16");
                set(signalState, state.signalState, "String");
            }
            set(elapsed, state.elapsedMs, "UInt32");
            const sample = new Uint16Array(18);
            for (let lane = 0; lane < 6; lane++) {
                const vehicles = (state.tick + lane) % 9;
                sample[lane * 3] = vehicles;
                sample[lane * 3 + 1] = Math.floor(vehicles / 2);
                sample[lane * 3 + 2] = vehicles * 40;
            }
            set(lanes, sample, "UInt16", true);
            if (state.tick % Math.max(1, Math.round(1000 / tickMs)) === 0) {
                state.heartbeat++;
                set(heartbeat, state.heartbeat, "UInt32");
                for (const d of detectors) {
                    const count = state.tick % 5;
                    set(d, new Uint32Array([1000, count, count * 100, count > 0 ? 1 : 0]), "UInt32", true);
                }
            }
        });
    }

    for (const id of spec.ess) {
        const p = "Ess/" + id;
        const obj = ns.addObject({ organizedBy: folders.Ess, browseName: String(id), nodeId: "s=" + p });
        const state = { setpointW: 0, setpointVar: 0, soc: 500, alarms: 0 };
        // declared BaseDataType so that the tests can inject a value of the wrong type
        const power = variable(obj, p + "/ActivePowerW", "ActivePowerW", "BaseDataType", 0, { variantType: "Int32" });
        const reactive = variable(obj, p + "/ReactivePowerVar", "ReactivePowerVar", "Int32", 0);
        const soc = variable(obj, p + "/SocPermille", "SocPermille", "BaseDataType", state.soc, { variantType: "UInt16" });
        nodes[p + "/ActivePowerW"] = { v: power, type: "Int32" };
        nodes[p + "/SocPermille"] = { v: soc, type: "UInt16" };
        variable(obj, p + "/MaxChargePowerW", "MaxChargePowerW", "Int32", 2000000);
        variable(obj, p + "/MaxDischargePowerW", "MaxDischargePowerW", "Int32", 2000000);
        variable(obj, p + "/SocMinPermille", "SocMinPermille", "UInt16", 100);
        variable(obj, p + "/SocMaxPermille", "SocMaxPermille", "UInt16", 900);
        const alarms = variable(obj, p + "/Alarms", "Alarms", "UInt32", 0);
        nodes[p + "/Alarms"] = { v: alarms, type: "UInt32" };
        for (const [name, key] of [["ActivePowerSetpointW", "setpointW"], ["ReactivePowerSetpointVar", "setpointVar"]]) {
            ns.addVariable({
                componentOf: obj, browseName: name, nodeId: "s=" + p + "/" + name, dataType: "Int32",
                accessLevel: "CurrentRead | CurrentWrite", userAccessLevel: "CurrentRead | CurrentWrite",
                value: {
                    get: () => new Variant({ dataType: DataType.Int32, value: state[key] }),
                    set: (variant) => {
                        state[key] = variant.value;
                        out({ event: "write", node: p + "/" + name, value: variant.value });
                        return StatusCodes.Good;
                    }
                }
            });
        }
        let n = 0;
        tickers.push(() => {
            if (++n % 3 !== 0) {
                return;
            }
            const p1 = nodes[p + "/ActivePowerW"];
            if (!p1.frozen) {
                set(power, state.setpointW, "Int32");
            }
            set(reactive, state.setpointVar, "Int32");
            state.soc = Math.max(100, Math.min(900, state.soc + Math.sign(state.setpointW)));
            if (!nodes[p + "/SocPermille"].frozen) {
                set(soc, state.soc, "UInt16");
            }
        });
    }

    await server.start();
    setInterval(() => tickers.forEach((t) => t()), tickMs);

    readline.createInterface({ input: process.stdin }).on("line", (line) => {
        if (!line.trim()) {
            return;
        }
        const command = JSON.parse(line);
        if (command.cmd === "bad") {
            const node = nodes[command.node];
            node.frozen = true;
            const value = command.kind === "nan" ? new Variant({ dataType: DataType.Double, value: NaN })
                : command.kind === "type" ? new Variant({ dataType: DataType.String, value: "not a number" })
                    : new Variant({ dataType: DataType[node.type], value: command.value });
            node.v.setValueFromSource(value, StatusCodes.Good, new Date());
            out({ event: "bad", node: command.node, kind: command.kind });
            // good values again a little later, so the device can recover
            setTimeout(() => { node.frozen = false; }, command.holdMs || 1000);
        } else if (command.cmd === "alarms") {
            const node = nodes["Ess/" + command.ess + "/Alarms"];
            set(node.v, command.bits, "UInt32");
            out({ event: "alarms", ess: command.ess, bits: command.bits });
        }
    });
    process.stdin.on("end", () => server.shutdown(0).then(() => process.exit(0)));

    out({ event: "listening", endpoint: server.getEndpointUrl(), port });
}

main().catch((err) => {
    out({ event: "error", message: String(err && err.stack || err) });
    process.exit(1);
});
