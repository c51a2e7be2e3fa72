namespace PingSweep.Mapping
{
    /// <summary>What the colour of a sweep map's cell tells: the host's status, or how fast it answered.</summary>
    public enum MapColouring
    {
        /// <summary>One colour and letter per <see cref="MapStatus"/>.</summary>
        Status,

        /// <summary>Answering hosts by their mean round-trip time on an <see cref="RttScale"/>; the others by status.</summary>
        Rtt,
    }
}
