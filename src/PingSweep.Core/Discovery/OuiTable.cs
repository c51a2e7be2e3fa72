using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace PingSweep.Discovery
{
    /// <summary>
    /// The IEEE MAC prefix registry in memory: 24-bit (MA-L), 28-bit (MA-M) and 36-bit (MA-S, IAB) prefixes, each with
    /// its organisation, looked up longest prefix first.
    /// </summary>
    /// <remarks>
    /// The text is what tools/Update-OuiData.ps1 writes: <c>#</c> comment lines, then <c>PREFIX&lt;TAB&gt;name</c> lines
    /// whose upper-case hex prefix is 6, 7 or 9 digits long. A line that is not that is skipped, so a damaged file
    /// loses lines, not the lookup.
    /// </remarks>
    internal sealed class OuiTable
    {
        private readonly Dictionary<ulong, string> _byPrefix;

        private OuiTable(Dictionary<ulong, string> byPrefix, int skippedLines)
        {
            _byPrefix = byPrefix;
            SkippedLines = skippedLines;
        }

        /// <summary>How many prefixes the table holds.</summary>
        public int Count => _byPrefix.Count;

        /// <summary>Lines that were neither comments nor valid entries.</summary>
        public int SkippedLines { get; }

        /// <summary>Reads the table from its text.</summary>
        public static OuiTable Read(TextReader reader)
        {
            var byPrefix = new Dictionary<ulong, string>(50_000);

            // The registry repeats names (one vendor, hundreds of blocks): one string per name, not per block.
            var names = new Dictionary<string, string>(StringComparer.Ordinal);
            var skipped = 0;
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var tab = line.IndexOf('\t');
                if ((tab != 6 && tab != 7 && tab != 9) || tab == line.Length - 1
                    || !ulong.TryParse(line.Substring(0, tab), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var prefix))
                {
                    skipped++;
                    continue;
                }

                var name = line.Substring(tab + 1);
                if (names.TryGetValue(name, out var shared))
                {
                    name = shared;
                }
                else
                {
                    names[name] = name;
                }

                byPrefix[Key(tab * 4, prefix)] = name;
            }

            return new OuiTable(byPrefix, skipped);
        }

        /// <summary>Reads the table from gzip-compressed text (UTF-8).</summary>
        public static OuiTable ReadCompressed(Stream compressed)
        {
            using var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, new UTF8Encoding(false), false, 64 * 1024);
            return Read(reader);
        }

        /// <summary>The organisation of the longest registered prefix of <paramref name="address"/> (36, then 28, then 24 bits), or null.</summary>
        public string? Find(MacAddress address)
        {
            var value = address.Value;
            if (_byPrefix.TryGetValue(Key(36, value >> 12), out var name)
                || _byPrefix.TryGetValue(Key(28, value >> 20), out name)
                || _byPrefix.TryGetValue(Key(24, value >> 24), out name))
            {
                return name;
            }

            return null;
        }

        // The prefix length above the 36 bits a prefix can use keeps 001122 (24 bits) and 0001122 (28) apart.
        private static ulong Key(int bits, ulong prefix) => ((ulong)bits << 40) | prefix;
    }
}
