package kr.sejong.city.bench;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every benchmark once, briefly, through the JMH runner: each must run to the end in a forked
 * JVM and report a positive score. Only that: the figures of a 100 ms iteration without warmup mean
 * nothing, and benchmarks are not tests.
 * <p>
 * The forks get the flags of the benchmarks' own {@code @Fork} and nothing from this JVM (JMH would
 * otherwise pass on this JVM's arguments, surefire's argLine included, and hide a missing flag).
 */
class BenchmarkSmokeTest
{
    @Test
    void codec() throws RunnerException
    {
        runBriefly(CodecBenchmark.class, 8);
    }

    @Test
    void frameValidator() throws RunnerException
    {
        runBriefly(FrameValidatorBenchmark.class, 3);
    }

    @Test
    void journalAppend() throws RunnerException
    {
        runBriefly(JournalAppendBenchmark.class, 2);
    }

    @Test
    void ringHop() throws RunnerException
    {
        runBriefly(RingHopBenchmark.class, 4);
    }

    @Test
    void chainHash() throws RunnerException
    {
        runBriefly(ChainHashBenchmark.class, 1);
    }

    @Test
    void signalLoop() throws RunnerException
    {
        runBriefly(SignalLoopBenchmark.class, 4); // tick, laneObservations, twinStep, preemptedStep
    }

    @Test
    void triageLoop() throws RunnerException
    {
        runBriefly(kr.sejong.city.bench.emergency.TriageLoopBenchmark.class, 4); // repeatEvent, changedEvent, tick, p1Incident
    }

    @Test
    void dispatchLoop() throws RunnerException
    {
        runBriefly(kr.sejong.city.bench.mobility.DispatchLoopBenchmark.class, 4); // request, tick; 50 and 500 shuttles
    }

    private static void runBriefly(final Class<?> benchmark, final int expectedRuns) throws RunnerException
    {
        final Options options = new OptionsBuilder()
            .include("^" + Pattern.quote(benchmark.getName() + ".") + "\\w+$")
            .forks(1)
            .jvmArgs() // none from this JVM; @Fork's jvmArgsAppend still apply
            .warmupIterations(0)
            .measurementIterations(1)
            .measurementTime(TimeValue.milliseconds(100))
            .shouldFailOnError(true)
            .build();

        final Collection<RunResult> results = new Runner(options).run();

        final List<String> runs = new ArrayList<>();
        for (final RunResult result : results)
        {
            final String label = result.getParams().getBenchmark() + " " + result.getParams().getParamsKeys().stream()
                .map(key -> key + "=" + result.getParams().getParam(key)).toList();
            final double score = result.getPrimaryResult().getScore();
            assertTrue(score > 0 && Double.isFinite(score), label + " scored " + score);
            runs.add(label);
        }
        assertEquals(expectedRuns, runs.size(), "runs of " + benchmark.getSimpleName() + ": " + runs);
    }
}
