using System;
using System.Collections.Generic;

namespace PingSweep.Mapping
{
    /// <summary>
    /// The escape sequences a terminal map colours its letters with, keyed by <see cref="MapLegendEntry.Key"/>. The core
    /// knows no PowerShell: the module builds a palette from <c>$PSStyle</c> where colour is allowed, and passes none where
    /// it is not (OutputRendering PlainText, Windows PowerShell 5.1), so the map is then letters only.
    /// </summary>
    public sealed class TerminalPalette
    {
        private readonly Dictionary<string, string> _starts;

        /// <summary>Creates a palette.</summary>
        /// <param name="starts">The sequence that starts each kind's colour, by legend key; a kind without one is not coloured.</param>
        /// <param name="reset">The sequence that ends a colour.</param>
        /// <param name="blocks">True when the colours are backgrounds: a cell is then painted two characters wide, a block
        /// with its letter in it, rather than a coloured letter.</param>
        public TerminalPalette(IReadOnlyDictionary<string, string> starts, string reset, bool blocks = false)
        {
            if (starts is null)
            {
                throw new ArgumentNullException(nameof(starts));
            }

            _starts = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in starts)
            {
                if (!string.IsNullOrEmpty(pair.Value))
                {
                    _starts[pair.Key] = pair.Value;
                }
            }

            Reset = reset ?? throw new ArgumentNullException(nameof(reset));
            Blocks = blocks;
        }

        /// <summary>True when the colours are backgrounds, so a cell is painted as a block two characters wide.</summary>
        public bool Blocks { get; }

        /// <summary>The sequence that ends a colour.</summary>
        public string Reset { get; }

        /// <summary>The sequence that starts the colour of <paramref name="entry"/>, or null when it is not coloured.</summary>
        public string? StartOf(MapLegendEntry entry) => _starts.TryGetValue(entry.Key, out var start) ? start : null;

        /// <summary><paramref name="text"/> in the colour of <paramref name="entry"/>.</summary>
        public string Paint(MapLegendEntry entry, string text)
        {
            var start = StartOf(entry);
            return start is null ? text : start + text + Reset;
        }
    }
}
