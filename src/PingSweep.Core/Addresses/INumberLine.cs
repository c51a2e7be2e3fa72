namespace PingSweep.Addresses
{
    /// <summary>
    /// The arithmetic a <see cref="RunList{TPoint, TLine}"/> needs on one number line: order, adjacency, one step
    /// either way, and the way back from points to addresses. Implemented by empty structs, so the JIT compiles a separate, fully inlined run list for each line
    /// (<see cref="IPv4Line"/> on 32-bit numbers, <see cref="IPv6Line"/> on 128-bit ones) instead of calling through
    /// an interface.
    /// </summary>
    /// <typeparam name="TPoint">A point on the line.</typeparam>
    internal interface INumberLine<TPoint>
        where TPoint : struct
    {
        /// <summary>True when <paramref name="a"/> is before <paramref name="b"/>.</summary>
        bool Less(TPoint a, TPoint b);

        /// <summary>True when <paramref name="b"/> is the point right after <paramref name="a"/> (never true at the end of the line).</summary>
        bool IsSuccessor(TPoint a, TPoint b);

        /// <summary>The point after <paramref name="a"/>; only called when there is one.</summary>
        TPoint Next(TPoint a);

        /// <summary>The point before <paramref name="a"/>; only called when there is one.</summary>
        TPoint Previous(TPoint a);

        /// <summary>How many points <paramref name="first"/> to <paramref name="last"/> hold, both included, saturating at <see cref="ulong.MaxValue"/>.</summary>
        ulong Count(TPoint first, TPoint last);

        /// <summary>The addresses <paramref name="first"/> to <paramref name="last"/> on the link <paramref name="scopeId"/> (0 for none, always for IPv4).</summary>
        AddressRange ToRange(TPoint first, TPoint last, uint scopeId);
    }
}
