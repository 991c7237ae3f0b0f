package kr.sejong.city.config;

/**
 * A load that demand response may reduce.
 *
 * @param id             device id.
 * @param name           human name.
 * @param maxReductionKw largest reduction it can give.
 */
public record ControllableLoad(int id, String name, double maxReductionKw)
{
}
