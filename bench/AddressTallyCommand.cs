// AddressTallyCommand.cs - compiled by bench/Bench-SweepSlash8.ps1 (Add-Type) into its child pwsh.
//
// Proves "every address is reported exactly once" for a sweep of up to 2^24 addresses without keeping
// 16 million results or strings: one bit per address of the swept range. A result whose bit is already
// set is a duplicate, one outside the range is unexpected; at the end, Distinct == Count with no
// duplicates and nothing unexpected means each address came exactly once. 2 MB for a /8.
//
// A compiled sink, because a script block (ForEach-Object) would cost several microseconds per result,
// 16.7 million times. It reads the results' Address and Status properties by name (through reflection on
// the result's .NET type, looked up once per type), so it depends on no PingSweep type.
#nullable enable
using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Reflection;

namespace PingSweepBench
{
    /// <summary>What <see cref="AddressTallyCommand"/> counted.</summary>
    public sealed class AddressTally
    {
        /// <summary>Results received.</summary>
        public long Results { get; set; }

        /// <summary>Addresses of the range reported at least once.</summary>
        public long Distinct { get; set; }

        /// <summary>Results for an address already reported.</summary>
        public long Duplicates { get; set; }

        /// <summary>Results for an address outside the range (or with no IPv4 address).</summary>
        public long Unexpected { get; set; }

        /// <summary>Results whose Status is Alive.</summary>
        public long Alive { get; set; }

        /// <summary>Addresses in the range.</summary>
        public long Expected { get; set; }

        /// <summary>True when every address of the range was reported exactly once and nothing else was.</summary>
        public bool ExactlyOnce => Distinct == Expected && Duplicates == 0 && Unexpected == 0 && Results == Expected;
    }

    /// <summary>
    /// <c>Measure-AddressTally -First 127.0.0.1 -Count 16777214</c>: consumes sweep results from the pipeline
    /// and writes one <see cref="AddressTally"/> at the end.
    /// </summary>
    [Cmdlet(VerbsDiagnostic.Measure, "AddressTally")]
    [OutputType(typeof(AddressTally))]
    public sealed class AddressTallyCommand : PSCmdlet
    {
        private BitArray? _seen;
        private uint _first;
        private readonly AddressTally _tally = new AddressTally();
        private Type? _resultType;
        private PropertyInfo? _address;
        private PropertyInfo? _status;

        /// <summary>The first address of the range, e.g. 127.0.0.1 for 127.0.0.0/8.</summary>
        [Parameter(Mandatory = true)]
        public string First { get; set; } = "";

        /// <summary>How many addresses the range holds (at most 2^24).</summary>
        [Parameter(Mandatory = true)]
        [ValidateRange(1, 1 << 24)]
        public int Count { get; set; }

        /// <summary>One sweep result.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        public PSObject? InputObject { get; set; }

        /// <inheritdoc/>
        protected override void BeginProcessing()
        {
            _first = ToUInt32(IPAddress.Parse(First));
            _seen = new BitArray(Count);
            _tally.Expected = Count;
        }

        /// <inheritdoc/>
        protected override void ProcessRecord()
        {
            var result = InputObject!.BaseObject;
            var type = result.GetType();
            if (type != _resultType)
            {
                _resultType = type;
                _address = type.GetProperty("Address");
                _status = type.GetProperty("Status");
            }

            _tally.Results++;
            if (_status?.GetValue(result)?.ToString() == "Alive")
            {
                _tally.Alive++;
            }

            if (!TryGetIPv4(_address?.GetValue(result), out var value) || value - _first >= (uint)Count)
            {
                _tally.Unexpected++;
                return;
            }

            var index = (int)(value - _first);
            if (_seen![index])
            {
                _tally.Duplicates++;
            }
            else
            {
                _seen[index] = true;
                _tally.Distinct++;
            }
        }

        /// <inheritdoc/>
        protected override void EndProcessing() => WriteObject(_tally);

        private static bool TryGetIPv4(object? address, out uint value)
        {
            value = 0;
            var ip = address as IPAddress;
            if (ip is null && (address is null || !IPAddress.TryParse(address.ToString(), out ip)))
            {
                return false;
            }

            if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
            {
                return false;
            }

            value = ToUInt32(ip);
            return true;
        }

        private static uint ToUInt32(IPAddress ip)
        {
            var b = ip.GetAddressBytes();
            return ((uint)b[0] << 24) | ((uint)b[1] << 16) | ((uint)b[2] << 8) | b[3];
        }
    }
}
