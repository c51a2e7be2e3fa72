using PingSweep.Network;

namespace PingSweep.Probing
{
    /// <summary>The address a target is probed at, in the engine's family-neutral type.</summary>
    internal static class SweepAddress
    {
        /// <summary>The probed address of <paramref name="target"/>.</summary>
        public static NetAddress Of(SweepTarget target) => NetAddress.FromIPv4(target.Address.Value);
    }
}
