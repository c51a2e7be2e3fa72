using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>send(2): on an unconnected netlink socket the message goes to the kernel.</summary>
        [DllImport("libc", EntryPoint = "send", SetLastError = true)]
        public static extern unsafe long Send(int fd, void* buffer, ulong length, int flags);
    }
}
