package kr.sejong.city.replay;

import java.util.List;

/** CSV as RFC 4180 writes it: CRLF line ends; a field with a comma, quote or line break is quoted, quotes doubled. */
public final class Csv
{
    public static final String LINE_END = "\r\n";

    private Csv()
    {
    }

    public static String field(final String value)
    {
        if (value == null)
        {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0)
        {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    /** One record, without its line end. */
    public static String record(final List<String> fields)
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < fields.size(); i++)
        {
            if (i > 0)
            {
                line.append(',');
            }
            line.append(field(fields.get(i)));
        }
        return line.toString();
    }
}
