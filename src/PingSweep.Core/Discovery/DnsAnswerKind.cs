namespace PingSweep.Discovery
{
    /// <summary>What an answer to a PTR query said.</summary>
    internal enum DnsAnswerKind
    {
        /// <summary>Not a response to this query (another id or question, or malformed): ignore it and keep waiting.</summary>
        NotAnAnswer,

        /// <summary>The address has a name.</summary>
        Name,

        /// <summary>The address has no name (NXDOMAIN, or no PTR record).</summary>
        NoName,

        /// <summary>This server could not answer (SERVFAIL, REFUSED, ...): another may.</summary>
        AskElsewhere,
    }
}
