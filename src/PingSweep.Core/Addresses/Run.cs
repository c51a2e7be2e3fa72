namespace PingSweep.Addresses
{
    /// <summary>An inclusive run of points on one number line, as a <see cref="RunList{TPoint, TLine}"/> stores it.</summary>
    /// <typeparam name="TPoint">A point on the line: a <see cref="uint"/> for IPv4 (8 bytes a run), an <see cref="IPv6Number"/> for IPv6 (32).</typeparam>
    internal readonly struct Run<TPoint>
        where TPoint : struct
    {
        public Run(TPoint first, TPoint last)
        {
            First = first;
            Last = last;
        }

        /// <summary>The first point of the run.</summary>
        public TPoint First { get; }

        /// <summary>The last point of the run (included).</summary>
        public TPoint Last { get; }
    }
}
