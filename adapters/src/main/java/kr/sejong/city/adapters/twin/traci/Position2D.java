package kr.sejong.city.adapters.twin.traci;

/** A point in the network's coordinates, metres. */
public record Position2D(double x, double y)
{
}
