#!/usr/bin/env python3
"""Time lost per vehicle on sejong-ring, by demand group, against each vehicle's route driven alone.

Usage: time-lost-by-group.py TRIPINFO.xml [TRIPINFO.xml ...]

Each TRIPINFO.xml is SUMO's --tripinfo-output of one twin run (see ../README.md, "Where the delay is lost",
for the wrapper that adds it to a run). The free-flow time loss of a vehicle is that of its route driven by
one vehicle of its type alone on the network with every light off: every distinct route of
sejong-ring.rou.xml once, 600 s apart, in one SUMO run (sumo --tls.all-off true), averaged over SUMO seeds
1-20. One seed is not enough: a car's desired speed is drawn at random (10 % deviation) and SUMO's dawdling
costs a slower car more, so one route alone (106 -> tunnel -> 102) loses 22-49 s by the seed, and
the mean over the network's vehicles is 13.3-15.6 s by the seed, 14.4 s over the twenty. A group is a flow's
name without its digits (out101_W and out108_E are both "out"); the flows are in sejong-ring.flows.xml.
Prints, per group, the mean delay (timeLoss + departDelay) of each run, the free-flow loss and each run's
excess over it; the last line is over every vehicle.
"""
import collections
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
NET = os.path.join(HERE, "sejong-ring.net.xml")
ROUTES = os.path.join(HERE, "sejong-ring.rou.xml")
FLOWS = os.path.join(HERE, "sejong-ring.flows.xml")
SEEDS = 20
SPACING_S = 600  # longer than any route takes alone (the longest, about 350 s), so that no two meet


def free_flow_loss():
    """Vehicle id -> time loss of its route driven alone with the lights off."""
    routes = ET.parse(ROUTES).getroot()
    distinct = {}
    owner = {}
    for vehicle in routes.iter("vehicle"):
        edges = vehicle.find("route").get("edges")
        key = (vehicle.get("type"), vehicle.get("departLane"), edges)
        if key not in distinct:
            distinct[key] = "u%d" % len(distinct)
        owner[vehicle.get("id")] = distinct[key]
    with tempfile.TemporaryDirectory() as tmp:
        lines = ["<routes>"]
        for vtype in ET.parse(FLOWS).getroot().iter("vType"):
            lines.append(ET.tostring(vtype, encoding="unicode").strip())
        for (vtype, lane, edges), uid in distinct.items():
            depart = SPACING_S * int(uid[1:])
            lines.append('<vehicle id="%s" type="%s" depart="%d" departLane="%s" departSpeed="max"><route edges="%s"/></vehicle>'
                         % (uid, vtype, depart, lane, edges))
        lines.append("</routes>")
        rou = os.path.join(tmp, "distinct.rou.xml")
        with open(rou, "w") as f:
            f.write("\n".join(lines))
        alone = collections.Counter()
        for seed in range(1, SEEDS + 1):
            out = os.path.join(tmp, "tripinfo-%d.xml" % seed)
            subprocess.run(["sumo", "-n", NET, "-r", rou, "--tls.all-off", "true", "--xml-validation", "never",
                            "--no-step-log", "true", "--seed", str(seed), "--tripinfo-output", out],
                           check=True, stdout=subprocess.DEVNULL)
            for t in ET.parse(out).getroot().iter("tripinfo"):
                alone[t.get("id")] += float(t.get("timeLoss")) / SEEDS
    return {vid: alone[uid] for vid, uid in owner.items()}


def delays(path):
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit("%s: not a readable SUMO tripinfo file (%s)" % (path, e))
    return {t.get("id"): float(t.get("timeLoss")) + float(t.get("departDelay")) for t in root.iter("tripinfo")}


def main(paths):
    if not paths:
        sys.exit(__doc__)
    runs = [delays(p) for p in paths]
    try:
        free = free_flow_loss()
    except FileNotFoundError:
        sys.exit("sumo is not on the PATH (Debian/Ubuntu: apt-get install sumo; bin/test installs it)")
    for p, run in zip(paths, runs):
        if set(run) != set(free):
            sys.exit("%s: %d vehicles, the routes file has %d (not a complete sejong-ring run)" % (p, len(run), len(free)))
    groups = collections.defaultdict(list)
    for vid in free:
        groups[re.sub(r"\d", "", vid.split(".")[0].split("_")[0])].append(vid)
    groups["all"] = list(free)
    header = "%-10s %5s" % ("group", "n") + "".join(" %8s" % ("run%d" % (i + 1)) for i in range(len(runs))) + " %8s" % "alone" \
        + "".join(" %8s" % ("excess%d" % (i + 1)) for i in range(len(runs)))
    print(header)
    order = sorted((g for g in groups if g != "all"), key=lambda g: -len(groups[g])) + ["all"]
    for g in order:
        ids = groups[g]
        n = len(ids)
        means = [sum(run[v] for v in ids) / n for run in runs]
        alone = sum(free[v] for v in ids) / n
        print("%-10s %5d" % (g, n) + "".join(" %8.1f" % m for m in means) + " %8.1f" % alone
              + "".join(" %8.1f" % (m - alone) for m in means))


if __name__ == "__main__":
    main(sys.argv[1:])
