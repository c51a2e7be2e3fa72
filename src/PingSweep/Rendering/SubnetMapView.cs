using System.Collections.Generic;
using System.Management.Automation;
using PingSweep.Mapping;

namespace PingSweep.Rendering
{
    /// <summary>
    /// How PingSweep.Format.ps1xml draws a <see cref="SubnetMap"/> at the prompt: letters always, and <c>$PSStyle</c>'s
    /// colours where colour is allowed.
    /// </summary>
    /// <remarks>
    /// <para>Show-SweepMap writes SubnetMap objects, not strings, and their view draws them. That is what makes colour
    /// appear only on a terminal: PowerShell renders a view when the object reaches the host, and under
    /// <c>$PSStyle.OutputRendering = 'Host'</c> it removes the escape sequences of a view's output that goes to a file
    /// (<c>&gt; map.txt</c>, Out-File, Out-String). A string with colour in it would keep its escapes in the file. Under
    /// PlainText, and in Windows PowerShell 5.1 (no $PSStyle), the map is drawn without colour: its letters carry it.</para>
    /// <para>Coloured by status, the letters take the colours of the results table (green, yellow, dim, red). Coloured by
    /// round-trip time, each answering host is a block in its bin's background colour with a black or white digit,
    /// because the dark end of the ramp cannot be seen as a letter on a dark terminal, nor the light end on a light one;
    /// the other cells look as in the status map.</para>
    /// </remarks>
    public static class SubnetMapView
    {
        /// <summary>The grid as the prompt shows it, line by line.</summary>
        /// <param name="map">The grid.</param>
        /// <param name="psStyle">The session's <c>$PSStyle</c>, or null where there is none.</param>
        /// <remarks>
        /// Lines, not one string: the view writes each line as an item of its own. Given one string with line breaks and
        /// colours, PowerShell's custom view repeats every escape sequence of a line at the start of the next one.
        /// </remarks>
        public static string[] Render(SubnetMap map, object? psStyle) => TerminalMapRenderer.RenderLines(map, PaletteFor(map.Legend, psStyle));

        /// <summary>The palette for <paramref name="legend"/> from <paramref name="psStyle"/>, or null when colour is not allowed.</summary>
        internal static TerminalPalette? PaletteFor(MapLegend legend, object? psStyle)
        {
            if (psStyle is null)
            {
                return null;
            }

            var style = PSObject.AsPSObject(psStyle);
            if (string.Equals(style.Properties["OutputRendering"]?.Value?.ToString(), "PlainText", System.StringComparison.Ordinal))
            {
                return null;
            }

            var foreground = PSObject.AsPSObject(style.Properties["Foreground"]?.Value ?? new object());
            var background = PSObject.AsPSObject(style.Properties["Background"]?.Value ?? new object());
            var reset = Text(style, "Reset");
            var starts = new Dictionary<string, string>();
            if (legend.Colouring == MapColouring.Status)
            {
                starts["alive"] = Text(foreground, "Green");
                starts["loss"] = Text(foreground, "Yellow");
                starts["noresponse"] = Text(style, "Dim");
                starts["unreachable"] = Text(foreground, "Red");
                return new TerminalPalette(starts, reset);
            }

            foreach (var entry in legend.Entries)
            {
                switch (entry.Status)
                {
                    // The hosts without a time look as they do in the status map; only times are blocks.
                    case MapStatus.NoResponse: starts[entry.Key] = Text(style, "Dim"); break;
                    case MapStatus.Unreachable: starts[entry.Key] = Text(foreground, "Red"); break;
                    case MapStatus.NotSwept: break;
                    default:
                        var letter = IsLight(entry.Rgb) ? Text(foreground, "Black") : Text(foreground, "BrightWhite");
                        starts[entry.Key] = FromRgb(background, entry.Rgb) + letter;
                        break;
                }
            }

            return new TerminalPalette(starts, reset, blocks: true);
        }

        private static string Text(PSObject owner, string property) => owner.Properties[property]?.Value as string ?? string.Empty;

        private static string FromRgb(PSObject colours, int rgb)
        {
            var method = colours.Methods["FromRgb"];
            return method is null ? string.Empty : method.Invoke(rgb) as string ?? string.Empty;
        }

        /// <summary>True when black text reads better than white on <paramref name="rgb"/> (relative luminance above 0.3).</summary>
        private static bool IsLight(int rgb)
        {
            static double Linear(int channel)
            {
                var c = channel / 255.0;
                return c <= 0.03928 ? c / 12.92 : System.Math.Pow((c + 0.055) / 1.055, 2.4);
            }

            var luminance = (0.2126 * Linear((rgb >> 16) & 0xFF)) + (0.7152 * Linear((rgb >> 8) & 0xFF)) + (0.0722 * Linear(rgb & 0xFF));
            return luminance > 0.3;
        }
    }
}
