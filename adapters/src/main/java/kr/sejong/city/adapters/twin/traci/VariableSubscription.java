package kr.sejong.city.adapters.twin.traci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The latest values of one variable subscription: one object (a lane, a vehicle, the simulation ...)
 * and the variables asked for. SUMO sends them with the answer to the subscription and then with every
 * {@link TraciClient#simulationStep}; the client writes them here in place. Numbers (int, double, byte)
 * are kept as doubles; strings and string lists as such.
 * <p>
 * {@link #updatedAtStep()} tells whether the values are fresh: SUMO stops sending results for an object
 * that has left the simulation (a vehicle that arrived), and its last values then stay here.
 */
public final class VariableSubscription
{
    private final int domain;
    private final String objectId;
    private final int[] variables;
    private final double[] numbers;
    private final double[] secondNumbers;
    private final String[] strings;
    private final List<List<String>> lists;
    private long updatedAtStep = -1;

    VariableSubscription(final int domain, final String objectId, final int[] variables)
    {
        this.domain = domain;
        this.objectId = objectId;
        this.variables = variables.clone();
        this.numbers = new double[variables.length];
        this.secondNumbers = new double[variables.length];
        this.strings = new String[variables.length];
        this.lists = new ArrayList<>(variables.length);
        for (int i = 0; i < variables.length; i++)
        {
            lists.add(new ArrayList<>());
        }
        Arrays.fill(numbers, Double.NaN);
    }

    /** The domain's get command id, e.g. {@link TraciConstants#CMD_GET_LANE_VARIABLE}. */
    public int domain()
    {
        return domain;
    }

    public String objectId()
    {
        return objectId;
    }

    /** The step counter of the client when these values arrived (0 = the subscription's own answer). */
    public long updatedAtStep()
    {
        return updatedAtStep;
    }

    void updatedAtStep(final long step)
    {
        updatedAtStep = step;
    }

    int slot(final int variable)
    {
        for (int i = 0; i < variables.length; i++)
        {
            if (variables[i] == variable)
            {
                return i;
            }
        }
        return -1;
    }

    private int requireSlot(final int variable)
    {
        final int slot = slot(variable);
        if (slot < 0)
        {
            throw new IllegalArgumentException("variable 0x" + Integer.toHexString(variable) + " is not part of the subscription of "
                + objectId);
        }
        return slot;
    }

    /** A numeric variable (int, double, byte); NaN until SUMO has sent it. */
    public double number(final int variable)
    {
        return numbers[requireSlot(variable)];
    }

    /** A numeric variable as an int (truncated). */
    public int integer(final int variable)
    {
        return (int)numbers[requireSlot(variable)];
    }

    /** The y of a position variable (its x is {@link #number}). */
    public double secondNumber(final int variable)
    {
        return secondNumbers[requireSlot(variable)];
    }

    public String string(final int variable)
    {
        return strings[requireSlot(variable)];
    }

    /** A string-list variable; the list is reused and refilled on every update. */
    public List<String> list(final int variable)
    {
        return lists.get(requireSlot(variable));
    }

    void setNumber(final int slot, final double value)
    {
        numbers[slot] = value;
    }

    void setPosition(final int slot, final double x, final double y)
    {
        numbers[slot] = x;
        secondNumbers[slot] = y;
    }

    void setString(final int slot, final String value)
    {
        strings[slot] = value;
    }

    List<String> clearedList(final int slot)
    {
        final List<String> list = lists.get(slot);
        list.clear();
        return list;
    }

    @Override
    public String toString()
    {
        return "VariableSubscription{domain=0x" + Integer.toHexString(domain) + ", object=" + objectId + ", variables="
            + Arrays.toString(variables) + '}';
    }
}
