using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    internal static partial class Libc
    {
        /// <summary>SIOCGIFNAME: the name of the interface whose index is in struct ifreq's ifr_ifindex.</summary>
        public const ulong SiocGifName = 0x8910;

        /// <summary>IF_NAMESIZE: an interface name and its terminating NUL fit in 16 bytes.</summary>
        public const int IfNameSize = 16;

        /// <summary>sizeof(struct ifreq) on 64-bit Linux (a 16-byte name, then a 24-byte union); 32-bit uses less.</summary>
        public const int IfReqLength = 40;

        /// <summary>Offset of ifr_ifindex in struct ifreq: right after the name.</summary>
        public const int IfReqIndexOffset = 16;

        /// <summary>
        /// ioctl(2) with a pointer argument. An interface ioctl on any socket, a netlink one included, is answered in
        /// that socket's network namespace, which if_indextoname(3) (a new socket in the calling thread's namespace)
        /// would not be.
        /// </summary>
        [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
        public static extern unsafe int Ioctl(int fd, ulong request, void* argument);
    }
}
