using System;
using System.Runtime.InteropServices;

namespace PingSweep.Transports.Native
{
    /// <summary>struct iovec: one buffer of a message.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public IntPtr Base;
        public UIntPtr Length;
    }

    /// <summary>struct msghdr (Linux, LP64 and ILP32 alike thanks to pointer-sized fields).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public IntPtr Name;
        public uint NameLength;
        public IntPtr IoVecs;
        public UIntPtr IoVecCount;
        public IntPtr Control;
        public UIntPtr ControlLength;
        public int Flags;
    }

    /// <summary>struct mmsghdr: a message and the byte count the kernel fills in (recvmmsg, sendmmsg).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }
}
