// A node-opcua client (an OPC UA stack written independently of Eclipse Milo) against our Milo field server:
// SignAndEncrypt with Basic256Sha256 and a user name. Prints one JSON object per line, each with a "step":
//   connect         the session is up (or "error": why not, e.g. the server does not trust our certificate yet)
//   namespace       the field namespace's index, looked up by URI in the NamespaceArray
//   read            intersection variables, with their SourceTimestamps
//   subscribed      a monitored item on SUBSCRIBE_NODE exists: the test now feeds it
//   changed         the first Good value the monitored item received, with its SourceTimestamp
//   call            SetSignalState: a good state, a conflicting one, one of the wrong length
//   write           the ESS active power set-point: in range, out of range; a measurement
//   done            all went through
// Environment: ENDPOINT, PKI (this client's own PKI folder), SERVER_CERT (the server's DER certificate, trusted
// here), USER, PASSWORD, INTERSECTION, ESS, GOOD_STATE, CONFLICTING_STATE.
"use strict";

const fs = require("fs");
const {
    OPCUAClient, OPCUACertificateManager, MessageSecurityMode, SecurityPolicy, UserTokenType, AttributeIds, DataType,
    TimestampsToReturn, ClientSubscription, ClientMonitoredItem, StatusCodes
} = require("node-opcua");

const env = (name) => {
    const value = process.env[name];
    if (!value) {
        throw new Error("environment variable " + name + " is missing");
    }
    return value;
};
const print = (object) => process.stdout.write(JSON.stringify(object) + "\n");
const time = (dataValue) => dataValue.sourceTimestamp ? dataValue.sourceTimestamp.getTime() : null;
const plain = (value) => {
    if (value === null || value === undefined) {
        return null;
    }
    if (Buffer.isBuffer(value)) {
        return value.toString("hex");
    }
    if (ArrayBuffer.isView(value) || Array.isArray(value)) {
        return Array.from(value, (v) => (typeof v === "bigint" ? v.toString() : v));
    }
    if (typeof value === "bigint") {
        return value.toString();
    }
    return value;
};

async function main() {
    const certificateManager = new OPCUACertificateManager({
        rootFolder: env("PKI"),
        automaticallyAcceptUnknownCertificate: false,
        disableFileWatchers: true
    });
    await certificateManager.initialize();
    await certificateManager.trustCertificate(fs.readFileSync(env("SERVER_CERT")));

    const client = OPCUAClient.create({
        applicationName: "sejong-node-opcua-interop",
        securityMode: MessageSecurityMode.SignAndEncrypt,
        securityPolicy: SecurityPolicy.Basic256Sha256,
        endpointMustExist: false,
        clientCertificateManager: certificateManager,
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
        requestedSessionTimeout: 30000
    });
    let session;
    try {
        await client.connect(env("ENDPOINT"));
        session = await client.createSession({
            type: UserTokenType.UserName, userName: env("USER"), password: env("PASSWORD")
        });
    } catch (err) {
        print({ step: "connect", error: String(err && err.message ? err.message : err) });
        await client.disconnect().catch(() => {});
        return 3;
    }
    print({ step: "connect", ok: true, certificate: client.certificateFile });

    try {
        const namespaces = await session.read({ nodeId: "ns=0;i=2255", attributeId: AttributeIds.Value });
        const ns = namespaces.value.value.indexOf("urn:sejong-city:field:1");
        print({ step: "namespace", index: ns });
        const id = (identifier) => "ns=" + ns + ";s=" + identifier;
        const intersection = "Intersection/" + env("INTERSECTION");
        const ess = "Ess/" + env("ESS");

        const names = ["Name", "Mode", "SignalState", "ProgramStates", "Conflicts", "LaneApproaches", "Heartbeat"];
        const values = await session.read(names.map((name) => ({ nodeId: id(intersection + "/" + name), attributeId: AttributeIds.Value })));
        const read = {};
        names.forEach((name, i) => {
            read[name] = {
                status: values[i].statusCode.name, value: plain(values[i].value.value), dataType: DataType[values[i].value.dataType],
                sourceTimestamp: time(values[i])
            };
        });
        print({ step: "read", values: read });

        const subscription = ClientSubscription.create(session, {
            requestedPublishingInterval: 50, requestedMaxKeepAliveCount: 20, requestedLifetimeCount: 200, publishingEnabled: true
        });
        const changed = new Promise((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error("no change within 15 s")), 15000);
            const item = ClientMonitoredItem.create(subscription, { nodeId: id(env("SUBSCRIBE_NODE")), attributeId: AttributeIds.Value },
                { samplingInterval: 0, discardOldest: true, queueSize: 10 }, TimestampsToReturn.Both);
            item.on("changed", (dataValue) => {
                if (dataValue.statusCode.isGood()) {
                    clearTimeout(timer);
                    resolve(dataValue);
                }
            });
            item.on("initialized", () => print({ step: "subscribed", node: env("SUBSCRIBE_NODE") }));
        });
        const change = await changed;
        print({ step: "changed", value: plain(change.value.value), sourceTimestamp: time(change) });
        await subscription.terminate();

        const call = async (state) => {
            const result = await session.call({
                objectId: id(intersection), methodId: id(intersection + "/SetSignalState"),
                inputArguments: [
                    { dataType: DataType.String, value: state }, { dataType: DataType.UInt32, value: 5000 },
                    { dataType: DataType.Int32, value: 1 }, { dataType: DataType.Int32, value: 5 }]
            });
            return { state, status: result.statusCode.name, inputs: (result.inputArgumentResults || []).map((s) => s.name) };
        };
        const calls = [await call(env("GOOD_STATE")), await call(env("CONFLICTING_STATE")), await call("r")];
        const shown = await session.read({ nodeId: id(intersection + "/SignalState"), attributeId: AttributeIds.Value });
        print({ step: "call", results: calls, shown: shown.value.value });

        const write = async (node, dataType, value) => {
            const status = await session.write({
                nodeId: id(node), attributeId: AttributeIds.Value, value: { value: { dataType, value } }
            });
            return { node, value, status: status.name };
        };
        const writes = [
            await write(ess + "/ActivePowerSetpointW", DataType.Int32, -50000),
            await write(ess + "/ActivePowerSetpointW", DataType.Int32, 10000000),
            await write(ess + "/ActivePowerW", DataType.Int32, 1)];
        print({ step: "write", results: writes });
    } finally {
        await session.close().catch(() => {});
        await client.disconnect();
    }
    print({ step: "done", good: StatusCodes.Good.name });
    return 0;
}

main().then((code) => process.exit(code), (err) => {
    print({ step: "failed", error: String(err && err.stack ? err.stack : err) });
    process.exit(1);
});
