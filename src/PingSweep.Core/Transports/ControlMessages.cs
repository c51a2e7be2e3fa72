using System;

namespace PingSweep.Transports
{
    /// <summary>
    /// Walks the ancillary data (control messages) recvmsg returns: a sequence of cmsghdr { size_t len; int level;
    /// int type; } each followed by its data, aligned to size_t. Bounds-checked, since the buffer comes from the kernel
    /// but its lengths decide where we read.
    /// </summary>
    internal static unsafe class ControlMessages
    {
        private static readonly int HeaderLength = sizeof(UIntPtr) + 8;

        /// <summary>Finds the message of <paramref name="level"/> and <paramref name="type"/> with at least <paramref name="minimumLength"/> bytes of data.</summary>
        /// <returns>A pointer to its data, or null.</returns>
        public static byte* Find(byte* control, int controlLength, int level, int type, int minimumLength)
        {
            var offset = 0;
            while (offset + HeaderLength <= controlLength)
            {
                var length = (long)(ulong)*(UIntPtr*)(control + offset);
                if (length < HeaderLength || offset + length > controlLength)
                {
                    return null;
                }

                if (*(int*)(control + offset + sizeof(UIntPtr)) == level && *(int*)(control + offset + sizeof(UIntPtr) + 4) == type
                    && length - HeaderLength >= minimumLength)
                {
                    return control + offset + HeaderLength;
                }

                offset += (int)((length + sizeof(UIntPtr) - 1) & ~(sizeof(UIntPtr) - 1));
            }

            return null;
        }
    }
}
