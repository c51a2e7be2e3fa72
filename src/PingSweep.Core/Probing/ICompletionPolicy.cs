using PingSweep.Addresses;
using PingSweep.Transports;

namespace PingSweep.Probing
{
    /// <summary>
    /// Decides how a host is probed and what its closed probes amount to, through the tally it makes for each host. A sweep
    /// finishes a host after a fixed number of probes (<see cref="CountCompletionPolicy"/>, one <see cref="PingResult"/>
    /// each); a watch probes in rounds, never finishes a host on its own, and hands over state changes. The scheduler
    /// only paces, matches and times out; it never knows which.
    /// </summary>
    /// <typeparam name="TResult">What the caller's thread receives.</typeparam>
    internal interface ICompletionPolicy<TResult>
        where TResult : class
    {
        /// <summary>
        /// Makes the tally of a submitted host, on the caller's thread, in the order hosts are submitted. The tally picks
        /// its probes' transports from <paramref name="transports"/>; when none can reach the host's family it says why
        /// (<see cref="HostTally{TResult}.Unprobeable"/>) and the scheduler gives it up at once.
        /// </summary>
        HostTally<TResult> Admit(SweepTarget target, NetAddress address, TransportSet transports);

        /// <summary>
        /// Takes back a tally the scheduler has finished with (final, and no probe slot or due entry points at it any more),
        /// on the sender thread. A policy may keep it for <see cref="Admit"/> to reuse, or let it go.
        /// </summary>
        void Recycle(HostTally<TResult> tally);
    }
}
