namespace PingSweep.Transports
{
    /// <summary>Why a received packet was not counted. The counts are shown by <c>-Verbose</c>, so a hostile or noisy network is visible.</summary>
    public enum AnswerRejection
    {
        /// <summary>Shorter than the headers it claims, or not an IP/ICMP packet at all.</summary>
        Malformed = 0,

        /// <summary>The ICMP checksum does not add up.</summary>
        BadChecksum = 1,

        /// <summary>An echo reply or error that names no probe of this sweep (another pinger's, or a forged id).</summary>
        NotOurProbe = 2,

        /// <summary>It names an outstanding probe but lacks the keyed check value only this sweep can compute.</summary>
        BadCheckValue = 3,

        /// <summary>A reply from an address other than the probed one, or an error quoting another destination.</summary>
        WrongSource = 4,

        /// <summary>The probe was already answered (a duplicate) or had timed out (late).</summary>
        DuplicateOrLate = 5,

        /// <summary>The packet's parser failed on it; the receiver carried on.</summary>
        ParserFault = 6,
    }
}
