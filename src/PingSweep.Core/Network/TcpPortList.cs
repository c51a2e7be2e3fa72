using System;
using System.Collections;
using System.Collections.Generic;

namespace PingSweep
{
    /// <summary>
    /// The probed TCP ports of a <see cref="PingResult"/>, in the order they were given; empty when no TCP probe was made.
    /// </summary>
    /// <remarks>
    /// A list of its own, rather than an array, for the sake of its text: Export-Csv and string conversion write a
    /// property's ToString(), which for an array is only its type name. This one reads "22/Open 443/Closed", so a CSV
    /// cell says what was found. ConvertTo-Json still writes it as an array of objects.
    /// </remarks>
    public sealed class TcpPortList : IReadOnlyList<TcpPortResult>
    {
        private readonly TcpPortResult[] _ports;

        /// <summary>Creates the list; <paramref name="ports"/> is copied.</summary>
        public TcpPortList(IEnumerable<TcpPortResult>? ports)
        {
            _ports = ports is null ? Array.Empty<TcpPortResult>() : new List<TcpPortResult>(ports).ToArray();
        }

        /// <summary>The empty list: no TCP probe was made.</summary>
        public static TcpPortList Empty { get; } = new TcpPortList(null);

        /// <inheritdoc/>
        public int Count => _ports.Length;

        /// <inheritdoc/>
        public TcpPortResult this[int index] => _ports[index];

        /// <summary>True when any port answered, Open or Closed: the host is up.</summary>
        public bool AnyAnswered
        {
            get
            {
                foreach (var port in _ports)
                {
                    if (port.State != TcpPortState.Filtered)
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        /// <inheritdoc/>
        public IEnumerator<TcpPortResult> GetEnumerator() => ((IEnumerable<TcpPortResult>)_ports).GetEnumerator();

        /// <inheritdoc/>
        IEnumerator IEnumerable.GetEnumerator() => _ports.GetEnumerator();

        /// <summary>e.g. "22/Open 443/Closed 3389/Filtered"; empty when no port was probed.</summary>
        public override string ToString() => string.Join(" ", Array.ConvertAll(_ports, p => p.ToString()));
    }
}
