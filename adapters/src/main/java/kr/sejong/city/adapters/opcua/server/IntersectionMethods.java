package kr.sejong.city.adapters.opcua.server;

import kr.sejong.city.adapters.opcua.FieldNodes;
import org.agrona.concurrent.EpochNanoClock;
import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.methods.InvalidArgumentException;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.NodeIds;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.types.builtin.DiagnosticInfo;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;

/**
 * The methods of an intersection object (docs/opcua.md), each a thin shell around its
 * {@link IntersectionController}: the arguments in, Good or Bad_InvalidArgument out. A refusal carries its
 * reason in words as the offending argument's DiagnosticInfo ({@code additionalInfo}), and is logged.
 */
final class IntersectionMethods
{
    private static final Logger LOG = LoggerFactory.getLogger(IntersectionMethods.class);
    private static final Argument[] NONE = new Argument[0];

    static final Argument[] SET_SIGNAL_STATE_ARGUMENTS = {
        argument("SignalState", NodeIds.String, "one letter per movement, SUMO's rRgGyYuoOs"),
        argument("DurationMs", NodeIds.UInt32, "how long the central system means to show it"),
        argument("Mode", NodeIds.Int32, "the SignalMode to report while it is shown (ADAPTIVE 1 normally)"),
        argument("Reason", NodeIds.Int32, "the SignalReason of the command")};
    static final Argument[] REQUEST_PHASE_ARGUMENTS = {
        argument("PhaseIndex", NodeIds.UInt16, "the phase of the local program to go to next")};
    static final Argument[] HOLD_ARGUMENTS = {
        argument("Active", NodeIds.Boolean, "true: stay in the current phase (up to its maximum)")};
    static final Argument[] PREEMPT_ARGUMENTS = {
        argument("Input", NodeIds.UInt16, "the preemption input: an approach index"),
        argument("Active", NodeIds.Boolean, "true while the preemption is called")};

    private IntersectionMethods()
    {
    }

    static Argument argument(final String name, final NodeId dataType, final String description)
    {
        return new Argument(name, dataType, ValueRanks.Scalar, null, LocalizedText.english(description));
    }

    /** The handler of one method of one intersection. */
    static AbstractMethodInvocationHandler handler(final UaMethodNode node, final String method,
        final IntersectionController controller, final EpochNanoClock clock, final Runnable afterCall)
    {
        return switch (method)
        {
            case FieldNodes.SET_SIGNAL_STATE -> new Handler(node, SET_SIGNAL_STATE_ARGUMENTS, afterCall)
            {
                @Override
                String apply(final Variant[] in)
                {
                    final String state = (String)in[0].getValue();
                    final long durationMs = ((Number)in[1].getValue()).longValue();
                    final int mode = (Integer)in[2].getValue();
                    final int reason = (Integer)in[3].getValue();
                    return controller.setSignalState(state, durationMs, mode, reason, clock.nanoTime());
                }

                @Override
                int argumentOf(final String problem)
                {
                    return problem.startsWith("Mode") ? 2 : problem.startsWith("Reason") ? 3 : problem.startsWith("DurationMs") ? 1 : 0;
                }
            };
            case FieldNodes.REQUEST_PHASE -> new Handler(node, REQUEST_PHASE_ARGUMENTS, afterCall)
            {
                @Override
                String apply(final Variant[] in)
                {
                    return controller.requestPhase(((Number)in[0].getValue()).intValue(), clock.nanoTime());
                }
            };
            case FieldNodes.HOLD -> new Handler(node, HOLD_ARGUMENTS, afterCall)
            {
                @Override
                String apply(final Variant[] in)
                {
                    controller.hold((Boolean)in[0].getValue(), clock.nanoTime());
                    return null;
                }
            };
            case FieldNodes.FORCE_OFF -> new Handler(node, NONE, afterCall)
            {
                @Override
                String apply(final Variant[] in)
                {
                    controller.forceOff(clock.nanoTime());
                    return null;
                }
            };
            case FieldNodes.PREEMPT -> new Handler(node, PREEMPT_ARGUMENTS, afterCall)
            {
                @Override
                String apply(final Variant[] in)
                {
                    return controller.preempt(((Number)in[0].getValue()).intValue(), (Boolean)in[1].getValue(), clock.nanoTime());
                }
            };
            default -> throw new IllegalArgumentException("no method " + method);
        };
    }

    private abstract static class Handler extends AbstractMethodInvocationHandler
    {
        private final Argument[] inputs;
        private final Runnable afterCall;

        Handler(final UaMethodNode node, final Argument[] inputs, final Runnable afterCall)
        {
            super(node);
            this.inputs = inputs;
            this.afterCall = afterCall;
        }

        /** @return null when done, else what is wrong. */
        abstract String apply(Variant[] in);

        /** Which argument a problem is about. */
        int argumentOf(final String problem)
        {
            return 0;
        }

        @Override
        public Argument[] getInputArguments()
        {
            return inputs;
        }

        @Override
        public Argument[] getOutputArguments()
        {
            return NONE;
        }

        @Override
        protected Variant[] invoke(final InvocationContext context, final Variant[] in) throws InvalidArgumentException
        {
            final String problem = apply(in);
            afterCall.run();
            if (problem == null)
            {
                return new Variant[0];
            }
            LOG.warn("{}: refused: {}", context.getObjectId().getIdentifier() + "/" + getNode().getBrowseName().getName(), problem);
            final StatusCode[] results = new StatusCode[inputs.length];
            final DiagnosticInfo[] diagnostics = new DiagnosticInfo[inputs.length];
            Arrays.fill(results, StatusCode.GOOD);
            Arrays.fill(diagnostics, DiagnosticInfo.NULL_VALUE);
            if (inputs.length > 0)
            {
                final int index = argumentOf(problem);
                results[index] = new StatusCode(StatusCodes.Bad_InvalidArgument);
                diagnostics[index] = new DiagnosticInfo(-1, -1, -1, -1, problem, null, null);
            }
            throw new InvalidArgumentException(results, diagnostics);
        }
    }
}
