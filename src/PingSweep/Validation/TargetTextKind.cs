namespace PingSweep.Validation
{
    /// <summary>Which grammar a target parameter's text must follow.</summary>
    internal enum TargetTextKind
    {
        /// <summary>An address, host name, CIDR or range (-ComputerName).</summary>
        Any,

        /// <summary>A CIDR, or an address with a dotted mask (-Subnet).</summary>
        Subnet,

        /// <summary>A first-last address range (-Range).</summary>
        Range,

        /// <summary>An address, range or CIDR; never a name (-Exclude).</summary>
        Exclusion,
    }
}
