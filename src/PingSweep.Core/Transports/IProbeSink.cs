using System;

namespace PingSweep.Transports
{
    /// <summary>Where a transport reports what it receives. Called on the transport's receiving thread.</summary>
    internal interface IProbeSink
    {
        /// <summary>A reply or an error report arrived; the sink checks that it is ours.</summary>
        void OnAnswer(ref ProbeAnswer answer);

        /// <summary>A packet was received and thrown away before it reached matching (too short, bad checksum, not a probe of ours).</summary>
        void OnRejected(AnswerRejection why);

        /// <summary>A transport with a bound on outstanding probes (<see cref="IProbeTransport.MaxOutstanding"/>) has room again.</summary>
        void OnCapacityFreed();

        /// <summary>
        /// The transport can no longer receive (an unexpected socket error, a defect). The sweep must end with an error
        /// naming <paramref name="fault"/>; hosts are never reported NoResponse because nobody was listening.
        /// </summary>
        void OnTransportFault(Exception fault);
    }
}
