package kr.sejong.city.app;

import kr.sejong.city.config.ApiKeyHash;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

@Command(
    name = "gateway-key",
    mixinStandardHelpOptions = true,
    header = "Make an API key for a gateway client, and the hash to put in the configuration.",
    description = {
        "Prints a new random key (give it to the client; it is not stored anywhere) and its PBKDF2-HMAC-SHA-256 hash with a random salt, "
            + "for the client's keyHash in the gateway section of the city configuration (docs/gateway.md)." })
final class GatewayKeyCommand implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Option(names = "--client", required = true, paramLabel = "ID", description = "The client's id (lower-case letters, digits and '-'); the key starts with it.")
    String clientId;

    @Option(names = "--iterations", paramLabel = "N", description = "PBKDF2 iterations (default: ${DEFAULT-VALUE}).")
    int iterations = ApiKeyHash.DEFAULT_ITERATIONS;

    @Override
    public Integer call()
    {
        if (!clientId.matches("[a-z0-9][a-z0-9-]{0,62}"))
        {
            throw new BadInputException("--client must be lower-case letters, digits and '-' (at most 63), was \"" + clientId + "\"");
        }
        if (iterations < ApiKeyHash.MIN_ITERATIONS)
        {
            throw new BadInputException("--iterations must be >= " + ApiKeyHash.MIN_ITERATIONS + ", was " + iterations);
        }
        final String key = ApiKeyHash.newKey(clientId);
        final PrintWriter out = spec.commandLine().getOut();
        out.println("key:     " + key);
        out.println("keyHash: \"" + ApiKeyHash.of(key, iterations).encoded() + "\"");
        out.flush();
        return ExitCodes.OK;
    }
}
