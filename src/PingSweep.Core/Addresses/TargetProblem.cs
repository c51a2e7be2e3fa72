namespace PingSweep.Addresses
{
    /// <summary>Why <see cref="TargetSpecParser"/> refused a text, for callers that report the kinds differently (error ids).</summary>
    public enum TargetProblem
    {
        /// <summary>The text was accepted.</summary>
        None,

        /// <summary>The text is not a valid target: a syntax error, a value out of range, a rule broken.</summary>
        Invalid,

        /// <summary>The text is a valid IPv6 address whose zone (<c>%eth9</c>) names no interface of this machine.</summary>
        ZoneNotFound,

        /// <summary>The target is or holds the IPv4 limited broadcast address 255.255.255.255 (<see cref="NonUnicastTargets"/>).</summary>
        BroadcastRefused,

        /// <summary>The target is or holds an IPv4 multicast group, 224.0.0.0/4 (<see cref="NonUnicastTargets"/>).</summary>
        MulticastRefused,
    }
}
