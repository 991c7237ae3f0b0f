package kr.sejong.city.adapters.twin;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the twin needs from a SUMO configuration file (.sumocfg): the network file (its
 * {@code <net-file value=".."/>}, relative to the configuration's folder), its additional files (so that a run which
 * adds one of its own on SUMO's command line, where it would replace them, can name them too) and the simulated time
 * span ({@code <begin>}, {@code <end>}, in seconds or as h:m:s).
 *
 * @param path            the configuration file.
 * @param netFile         the network file it names, resolved.
 * @param beginS          simulation begin, s (0 when not given).
 * @param endS            the scenario's end, s (NaN when the configuration gives none).
 * @param additionalFiles its {@code <additional-files value="a,b"/>}, resolved, in order (empty when none).
 */
public record SumoConfigFile(Path path, Path netFile, double beginS, double endS, List<Path> additionalFiles)
{
    public SumoConfigFile
    {
        additionalFiles = List.copyOf(additionalFiles);
    }

    /** Read a .sumocfg; throws {@link TwinInputException} naming the file and the problem. */
    public static SumoConfigFile read(final Path path)
    {
        if (!Files.isRegularFile(path))
        {
            throw new TwinInputException("SUMO config file not found: " + path);
        }
        String netFile = null;
        String begin = null;
        String end = null;
        String additional = null;
        try (InputStream in = Files.newInputStream(path))
        {
            final XMLStreamReader xml = Xml.factory().createXMLStreamReader(in);
            boolean root = true;
            while (xml.hasNext())
            {
                if (xml.next() != XMLStreamConstants.START_ELEMENT)
                {
                    continue;
                }
                final String name = xml.getLocalName();
                if (root)
                {
                    root = false;
                    if (!"configuration".equals(name) && !"sumoConfiguration".equals(name))
                    {
                        throw new TwinInputException("not a SUMO config file (root element <" + name + ">): " + path);
                    }
                    continue;
                }
                final String value = xml.getAttributeValue(null, "value");
                switch (name)
                {
                    case "net-file" -> netFile = value;
                    case "begin" -> begin = value;
                    case "end" -> end = value;
                    case "additional-files" -> additional = value;
                    default ->
                    {
                        // not the twin's business
                    }
                }
            }
        }
        catch (final XMLStreamException ex)
        {
            throw new TwinInputException("SUMO config file is not valid XML: " + path + ": " + ex.getMessage(), ex);
        }
        catch (final IOException ex)
        {
            throw new TwinInputException("cannot read SUMO config file " + path + ": " + ex.getMessage(), ex);
        }
        if (netFile == null || netFile.isBlank())
        {
            throw new TwinInputException("SUMO config file names no network (<net-file value=\"...\"/>): " + path);
        }
        final Path dir = path.toAbsolutePath().getParent();
        final Path net = dir.resolve(netFile.trim()).normalize();
        if (!Files.isRegularFile(net))
        {
            throw new TwinInputException("network file " + net + " named by " + path + " does not exist");
        }
        final List<Path> additionalFiles = new ArrayList<>();
        if (additional != null)
        {
            for (final String name : additional.split("[,\\s]+"))
            {
                if (!name.isBlank())
                {
                    additionalFiles.add(dir.resolve(name.trim()).normalize());
                }
            }
        }
        return new SumoConfigFile(path, net, begin == null ? 0.0 : time(begin, "begin", path), end == null ? Double.NaN : time(end, "end", path),
            additionalFiles);
    }

    /** Seconds from "3600", "3600.5" or "1:00:00". */
    static double time(final String value, final String what, final Path path)
    {
        final String text = value.trim();
        try
        {
            if (text.contains(":"))
            {
                final String[] parts = text.split(":");
                double seconds = 0;
                for (final String part : parts)
                {
                    seconds = seconds * 60 + Double.parseDouble(part);
                }
                return seconds;
            }
            return Double.parseDouble(text);
        }
        catch (final NumberFormatException ex)
        {
            throw new TwinInputException("SUMO config file " + path + ": <" + what + " value=\"" + value + "\"/> is not a time", ex);
        }
    }

    /** The scenario's name: the file name without ".sumocfg". */
    public String scenarioName()
    {
        final String name = path.getFileName().toString();
        return name.endsWith(".sumocfg") ? name.substring(0, name.length() - ".sumocfg".length()) : name;
    }

    /** Factory with safe settings for reading SUMO's files (no DTDs, no external entities). */
    static final class Xml
    {
        private Xml()
        {
        }

        static XMLInputFactory factory()
        {
            final XMLInputFactory factory = XMLInputFactory.newFactory();
            factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
            factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
            factory.setProperty(XMLInputFactory.IS_COALESCING, false);
            return factory;
        }
    }
}
