package kr.sejong.city.adapters.twin;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The reference "fixed-time" figures of ../shared/scenarios/README.md, reproduced without the node: SUMO
 * runs each network's own program for the scenario's hour and on until every vehicle has arrived, seed
 * 42. The twin's metrics (from TraCI) are checked against the README and against SUMO's own tripinfo
 * output of the same run.
 */
class FixedTimeReferenceTest
{
    @TempDir
    Path dir;

    @BeforeAll
    static void sumoInstalled()
    {
        TwinTesting.requireSumo();
    }

    @ParameterizedTest
    @CsvSource({"single-intersection, 58.2", "grid2x2, 39.3", "grid4x4-lucas, 99.3"})
    void reproducesTheReadmeFigures(final String scenario, final double readmeMeanDelayS) throws Exception
    {
        final Path tripinfo = dir.resolve(scenario + ".tripinfo.xml");
        final TwinReport report = new TwinAdapter(new TwinAdapter.Context()
            .sumoConfig(TwinTesting.scenarioConfig(scenario))
            .mode(TwinMode.FIXED_TIME_REFERENCE)
            .seed(42)
            .logDir(dir)
            .addSumoArguments("--tripinfo-output", tripinfo.toString(), "--tripinfo-output.write-unfinished", "true"))
            .run();
        System.out.println("fixed-time reference: " + report.summary() + String.format(java.util.Locale.ROOT,
            " (%.1f s per simulated hour), README %.1f", report.wallSPerSimHour(), readmeMeanDelayS));

        // SUMO's own account of the same run
        final var trips = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(tripinfo.toFile())
            .getElementsByTagName("tripinfo");
        double delay = 0;
        double waiting = 0;
        for (int i = 0; i < trips.getLength(); i++)
        {
            final var trip = (org.w3c.dom.Element)trips.item(i);
            delay += Double.parseDouble(trip.getAttribute("timeLoss")) + Double.parseDouble(trip.getAttribute("departDelay"));
            waiting += Double.parseDouble(trip.getAttribute("waitingTime"));
        }
        final double tripinfoMeanDelayS = delay / trips.getLength();
        System.out.printf(java.util.Locale.ROOT, "  tripinfo: %d vehicles, meanDelay %.3f s, meanWaiting %.3f s; twin: meanDelay %.3f s, "
            + "meanWaiting %.3f s%n", trips.getLength(), tripinfoMeanDelayS, waiting / trips.getLength(), report.meanDelayS(), report.meanWaitingS());

        assertEquals(trips.getLength(), report.vehicles(), "vehicles");
        assertEquals(0, report.unfinished());
        assertEquals(0, report.notInserted());
        assertEquals(report.vehicles(), report.arrived());
        assertEquals(tripinfoMeanDelayS, report.meanDelayS(), 0.01 * tripinfoMeanDelayS, "the twin's delay vs SUMO's tripinfo");
        assertEquals(waiting / trips.getLength(), report.meanWaitingS(), 0.01 * report.meanWaitingS() + 0.05, "waiting vs tripinfo");
        assertEquals(readmeMeanDelayS, report.meanDelayS(), 0.01 * readmeMeanDelayS, "the README's fixed-time figure");
        assertTrue(report.simS() >= 3600 && report.simS() <= 3600 + 1800, "ran to the end and drained: " + report.simS());
        assertEquals(0, report.collisions());
    }
}
