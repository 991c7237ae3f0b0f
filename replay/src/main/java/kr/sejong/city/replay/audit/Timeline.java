package kr.sejong.city.replay.audit;

import kr.sejong.city.replay.Position;

import java.nio.file.Path;
import java.util.List;

/**
 * What an audit found: every input and decision in [from, to] that touched the subject, in order of
 * time and ingress sequence, each output right after the input that caused it.
 *
 * @param notes what the reader should know about the journal itself (damaged entries skipped)
 */
public record Timeline(Path dataDir, AuditSubject subject, Position from, Position to, List<AuditRow> rows, List<String> notes)
{
    public long inputs()
    {
        return rows.stream().filter(r -> r.direction() == AuditRow.Direction.IN).count();
    }

    public long outputs()
    {
        return rows.size() - inputs();
    }
}
