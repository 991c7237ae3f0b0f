package kr.sejong.city.bench.mobility;

import kr.sejong.city.bench.e2e.MachineInfo;
import kr.sejong.city.config.CityConfig;
import kr.sejong.city.config.ConfigLoader;
import kr.sejong.city.core.loops.mobility.ShuttleNetwork;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How long jsprit takes on a morning peak of the default city, and how far the shuttles drive, for a few instance
 * sizes and iteration counts: to choose what the bench command runs. Arguments (all optional):
 * {@code --requests 200,500,1000 --iterations 200,1000,2000 --seed 1 --threads 1 --span 3600}.
 */
public final class JspritOfflineTimings
{
    private JspritOfflineTimings()
    {
    }

    public static void main(final String[] args)
    {
        List<Integer> sizes = List.of(200, 500, 1000);
        List<Integer> iterations = List.of(200, 1000, 2000);
        long seed = 1;
        int threads = 1;
        long spanS = 3600;
        for (int i = 0; i + 1 < args.length; i += 2)
        {
            switch (args[i])
            {
                case "--requests" -> sizes = ints(args[i + 1]);
                case "--iterations" -> iterations = ints(args[i + 1]);
                case "--seed" -> seed = Long.parseLong(args[i + 1]);
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                case "--span" -> spanS = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        final CityConfig config = ConfigLoader.loadDefault().config();
        final ShuttleNetwork network = ShuttleNetwork.from(config);
        System.out.println("# " + MachineInfo.cores() + " cores, " + MachineInfo.cpu() + ", " + MachineInfo.jdk() + ", load " + MachineInfo.loadAverage());
        System.out.println("# requests iterations seed served unassigned distance_km shuttles violations mismatches solve_s");
        for (final int n : sizes)
        {
            final List<OfflineRequest> requests = MorningPeak.generate(network, n, seed, 0, spanS);
            for (final int it : iterations)
            {
                final JspritOffline.Result r = JspritOffline.solve(config, requests, new JspritOffline.Settings(it, seed, threads, 0));
                System.out.println(String.format(Locale.ROOT, "%d %d %d %d %d %.3f %d %d %d %.1f",
                    n, it, seed, r.served().size(), r.unassigned().size(), r.totalDistanceM() / 1000.0, r.routes().size(),
                    r.violations(), r.modelMismatches(), r.solveMillis() / 1000.0));
                if (r.violations() > 0)
                {
                    r.check().details().forEach(line -> System.out.println("#   " + line));
                }
            }
        }
    }

    private static List<Integer> ints(final String csv)
    {
        final List<Integer> out = new ArrayList<>();
        for (final String part : csv.split(","))
        {
            out.add(Integer.parseInt(part.trim()));
        }
        return out;
    }
}
