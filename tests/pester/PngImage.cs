// A minimal PNG reader for the browser test: 8-bit RGB or RGBA, non-interlaced, as Chromium writes its screenshots.
// It exists because System.Drawing is not supported on Linux, and the test must look at real pixels.
using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace PingSweep.PesterTests
{
    public sealed class PngImage
    {
        private static readonly byte[] Signature = { 137, 80, 78, 71, 13, 10, 26, 10 };
        private readonly byte[] _rgb; // 3 bytes per pixel, row by row

        private PngImage(int width, int height, byte[] rgb)
        {
            Width = width;
            Height = height;
            _rgb = rgb;
        }

        public int Width { get; }

        public int Height { get; }

        public static PngImage Read(string path)
        {
            var data = File.ReadAllBytes(path);
            for (var i = 0; i < Signature.Length; i++)
            {
                if (data.Length < 8 || data[i] != Signature[i]) throw new InvalidDataException(path + " is not a PNG file.");
            }

            int width = 0, height = 0, channels = 0;
            var idat = new MemoryStream();
            var at = 8;
            while (at + 8 <= data.Length)
            {
                var length = (data[at] << 24) | (data[at + 1] << 16) | (data[at + 2] << 8) | data[at + 3];
                var type = System.Text.Encoding.ASCII.GetString(data, at + 4, 4);
                var body = at + 8;
                if (type == "IHDR")
                {
                    width = (data[body] << 24) | (data[body + 1] << 16) | (data[body + 2] << 8) | data[body + 3];
                    height = (data[body + 4] << 24) | (data[body + 5] << 16) | (data[body + 6] << 8) | data[body + 7];
                    int depth = data[body + 8], colour = data[body + 9], interlace = data[body + 12];
                    if (depth != 8 || interlace != 0 || (colour != 2 && colour != 6))
                        throw new NotSupportedException($"PNG depth {depth}, colour type {colour}, interlace {interlace} is not read here.");
                    channels = colour == 6 ? 4 : 3;
                }
                else if (type == "IDAT")
                {
                    idat.Write(data, body, length);
                }
                else if (type == "IEND")
                {
                    break;
                }

                at = body + length + 4; // + CRC
            }

            if (width <= 0 || height <= 0) throw new InvalidDataException(path + " has no IHDR.");
            idat.Position = 0;
            var stride = width * channels;
            var raw = new byte[(stride + 1) * height];
            using (var z = new ZLibStream(idat, CompressionMode.Decompress))
            {
                var read = 0;
                int n;
                while (read < raw.Length && (n = z.Read(raw, read, raw.Length - read)) > 0) read += n;
                if (read != raw.Length) throw new InvalidDataException($"{path}: the image data is {read} bytes, {raw.Length} expected.");
            }

            var pixels = new byte[stride * height];
            for (var y = 0; y < height; y++)
            {
                var filter = raw[y * (stride + 1)];
                var src = y * (stride + 1) + 1;
                var row = y * stride;
                for (var x = 0; x < stride; x++)
                {
                    int a = x >= channels ? pixels[row + x - channels] : 0;
                    int b = y > 0 ? pixels[row - stride + x] : 0;
                    int c = x >= channels && y > 0 ? pixels[row - stride + x - channels] : 0;
                    int value = raw[src + x];
                    switch (filter)
                    {
                        case 0: break;
                        case 1: value += a; break;
                        case 2: value += b; break;
                        case 3: value += (a + b) / 2; break;
                        case 4: value += Paeth(a, b, c); break;
                        default: throw new InvalidDataException($"{path}: unknown filter {filter} on row {y}.");
                    }

                    pixels[row + x] = (byte)value;
                }
            }

            var rgb = new byte[width * height * 3];
            for (int p = 0, q = 0; p < pixels.Length; p += channels, q += 3)
            {
                rgb[q] = pixels[p];
                rgb[q + 1] = pixels[p + 1];
                rgb[q + 2] = pixels[p + 2];
            }

            return new PngImage(width, height, rgb);
        }

        /// <summary>How many pixels have exactly each colour, keyed 0xRRGGBB.</summary>
        public Dictionary<int, int> Histogram()
        {
            var counts = new Dictionary<int, int>();
            for (var q = 0; q < _rgb.Length; q += 3)
            {
                var key = (_rgb[q] << 16) | (_rgb[q + 1] << 8) | _rgb[q + 2];
                counts.TryGetValue(key, out var n);
                counts[key] = n + 1;
            }

            return counts;
        }

        /// <summary>The colour of one pixel as 0xRRGGBB.</summary>
        public int Pixel(int x, int y)
        {
            var q = ((y * Width) + x) * 3;
            return (_rgb[q] << 16) | (_rgb[q + 1] << 8) | _rgb[q + 2];
        }

        private static int Paeth(int a, int b, int c)
        {
            int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
            return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
        }
    }
}
