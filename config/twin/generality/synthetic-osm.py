#!/usr/bin/env python3
"""Write a small synthetic OpenStreetMap extract (no download: nothing but Maven Central, Debian and npm is reachable
here) with what real OSM imports bring to a SUMO network: a dual-carriageway arterial (two one-way ways 24 m apart,
three lanes, turn:lanes, a bus lane) crossed by three two-way streets with signals on both carriageways (netconvert
joins each pair into one light, a 'cluster_...'), a signalised T junction, a signalised pedestrian crossing, a zebra,
and a railway with a level crossing. Usage: synthetic-osm.py OUT.osm"""
import sys

LAT0, LON0 = 36.48, 127.26          # Sejong


def latlon(x, y):
    """Metres east and north of (LAT0, LON0) to latitude and longitude."""
    return LAT0 + y / 111000.0, LON0 + x / 89500.0


nodes = {}
ways = []


def node(x, y, tags=None):
    nodes[len(nodes) + 1] = (x, y, tags or {})
    return len(nodes)


def way(refs, tags):
    ways.append([refs, tags])
    return len(ways) - 1


SIGNALS = {'highway': 'traffic_signals'}
xs = [-800, -400, 0, 400, 800]
north = [node(x, 12, SIGNALS if x in (-400, 0, 400) else None) for x in xs]
south = [node(x, -12, SIGNALS if x in (-400, 0, 400) else None) for x in xs]
way(north, {'highway': 'primary', 'oneway': 'yes', 'lanes': '3', 'maxspeed': '60',
            'turn:lanes': 'left|through|through;right', 'name': 'Hannuri-daero'})
way(list(reversed(south)), {'highway': 'primary', 'oneway': 'yes', 'lanes': '3', 'maxspeed': '60',
                            'busway': 'lane', 'lanes:bus': '1', 'name': 'Hannuri-daero'})
streets = []
for i, x in enumerate((-400, 0, 400)):
    streets.append(way([node(x, 400), north[1 + i], south[1 + i], node(x, -400)],
                       {'highway': 'secondary', 'lanes': '2', 'maxspeed': '50', 'name': 'Street %d' % i}))
# street 0: a signalised T junction at y = 200 with a residential side street to the west
t = node(-400, 200, SIGNALS)
ways[streets[0]][0].insert(1, t)
way([t, node(-800, 200)], {'highway': 'residential', 'maxspeed': '30'})
# street 2: a signalised pedestrian crossing at y = 200 and a zebra at y = -200
signalled = node(400, 200, {'highway': 'traffic_signals', 'crossing': 'traffic_signals'})
zebra = node(400, -200, {'highway': 'crossing', 'crossing': 'uncontrolled'})
ways[streets[2]][0].insert(1, signalled)
ways[streets[2]][0].insert(4, zebra)
way([node(370, 200), signalled, node(430, 200)], {'highway': 'footway'})
way([node(370, -200), zebra, node(430, -200)], {'highway': 'footway'})
# street 1: a level crossing with a railway at y = -300
crossing = node(0, -300, {'railway': 'level_crossing'})
ways[streets[1]][0].insert(3, crossing)
way([node(-700, -300), crossing, node(700, -300)], {'railway': 'rail'})

with open(sys.argv[1], 'w') as f:
    f.write('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="synthetic-osm.py">\n')
    for k, (x, y, tags) in nodes.items():
        lat, lon = latlon(x, y)
        if tags:
            f.write('  <node id="%d" lat="%.7f" lon="%.7f">\n' % (k, lat, lon))
            for key, value in tags.items():
                f.write('    <tag k="%s" v="%s"/>\n' % (key, value))
            f.write('  </node>\n')
        else:
            f.write('  <node id="%d" lat="%.7f" lon="%.7f"/>\n' % (k, lat, lon))
    for i, (refs, tags) in enumerate(ways):
        f.write('  <way id="%d">\n' % (1000 + i))
        for ref in refs:
            f.write('    <nd ref="%d"/>\n' % ref)
        for key, value in tags.items():
            f.write('    <tag k="%s" v="%s"/>\n' % (key, value))
        f.write('  </way>\n')
    f.write('</osm>\n')
