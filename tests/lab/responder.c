/*
 * responder.c - answers ICMP and ICMPv6 echo requests after a fixed delay.
 *
 * Part of the PingSweep test lab (tests/lab/lab.sh). The lab kernel has no
 * sch_netem, so "tc qdisc ... netem delay" is not available; this program
 * gives the DELAYED ranges real, measurable round-trip times instead.
 *
 * It runs inside its own network namespace, where
 * net.ipv4.icmp_echo_ignore_all=1 and net.ipv6.icmp.echo_ignore_all=1 keep
 * the kernel silent, so every echo reply in that namespace comes from here.
 *
 * Design:
 *   - IPv4: one raw IPPROTO_ICMP socket (receives a copy of every ICMP packet
 *     delivered locally) with IP_HDRINCL, so the reply's source address is
 *     exactly the address that was probed (the namespace owns a whole prefix
 *     through an AnyIP "local" route, and a sweeper must see replies coming
 *     from the target it asked).
 *   - IPv6 (with --prefix6): one raw IPPROTO_ICMPV6 socket. A raw IPv6 socket
 *     has no header-include mode worth using, so the probed address comes in
 *     as IPV6_PKTINFO ancillary data and goes back out as the reply's source
 *     the same way. An AnyIP address is not an assigned address, so the socket
 *     needs IPV6_FREEBIND to use it as a source. The kernel verifies the
 *     checksum of what a raw ICMPv6 socket receives and computes it for what
 *     it sends (RFC 3542, section 3.1).
 *   - The delay is fixed, so due times are monotonic in arrival order: a FIFO
 *     ring of pending replies (both families in one ring) is already a sorted
 *     timer queue. One timerfd is armed for the head of the ring. No thread
 *     per packet, no polling sleep.
 *   - The ring is bounded (--queue); requests arriving while it is full are
 *     dropped and counted, like a router's full queue would drop them.
 *   - Identifier, sequence and payload are copied back unchanged; only the
 *     type changes and the checksum is recomputed over the whole ICMP message.
 *   - SIGTERM/SIGINT arrive through a signalfd and end the loop cleanly,
 *     printing counters to stderr.
 *
 * Usage: responder [--delay-ms N] [--queue N] [--prefix A.B.C.D/LEN] [--prefix6 X:Y::/LEN]
 *   --prefix limits IPv4 answers to destinations inside that prefix (default: all).
 *   --prefix6 also answers ICMPv6 echo requests to destinations inside that prefix
 *   (without it, IPv6 is left alone).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "labnet.h"

/* ICMP_FILTER from <linux/icmp.h>, which clashes with <netinet/ip_icmp.h>:
 * a bitmask of ICMP types a raw socket should NOT receive. */
#define RAW_ICMP_FILTER 1
struct raw_icmp_filter {
    uint32_t data;
};

/* IPV6_FREEBIND from <linux/in6.h> (kernel 4.15), which older C libraries lack. */
#ifndef IPV6_FREEBIND
#define IPV6_FREEBIND 78
#endif

/* Largest datagram we keep. Bigger requests are not answered (counted). */
#define MAX_PACKET 1500

struct pending {
    uint64_t due_ns;          /* CLOCK_MONOTONIC time the reply is sent         */
    int family;               /* AF_INET or AF_INET6                             */
    struct in_addr dst;       /* IPv4: reply destination = requester             */
    struct sockaddr_in6 to6;  /* IPv6: reply destination = requester             */
    struct in6_addr src6;     /* IPv6: reply source = address that was probed    */
    uint16_t len;             /* bytes of buf to send                            */
    uint8_t buf[MAX_PACKET];  /* IPv4: IP header + ICMP message; IPv6: ICMPv6 message */
};

/* An IPv6 prefix: the address bits that must match. */
struct prefix6 {
    uint8_t net[16];
    uint8_t mask[16];
};

static int parse_prefix(const char *text, uint32_t *net, uint32_t *mask)
{
    char copy[64];
    char *slash;
    struct in_addr a;
    long len;
    if (strlen(text) >= sizeof copy)
        return -1;
    strcpy(copy, text);
    slash = strchr(copy, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    len = strtol(slash + 1, NULL, 10);
    if (len < 0 || len > 32 || inet_pton(AF_INET, copy, &a) != 1)
        return -1;
    *mask = len == 0 ? 0 : htonl(0xffffffffu << (32 - len));
    *net = a.s_addr & *mask;
    return 0;
}

static int parse_prefix6(const char *text, struct prefix6 *p)
{
    char copy[64];
    char *slash;
    struct in6_addr a;
    long len;
    if (strlen(text) >= sizeof copy)
        return -1;
    strcpy(copy, text);
    slash = strchr(copy, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    len = strtol(slash + 1, NULL, 10);
    if (len < 0 || len > 128 || inet_pton(AF_INET6, copy, &a) != 1)
        return -1;
    for (int i = 0; i < 16; i++) {
        long bits = len - 8 * i;
        p->mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
        p->net[i] = a.s6_addr[i] & p->mask[i];
    }
    return 0;
}

static int in_prefix6(const struct prefix6 *p, const struct in6_addr *a)
{
    for (int i = 0; i < 16; i++)
        if ((a->s6_addr[i] & p->mask[i]) != p->net[i])
            return 0;
    return 1;
}

static void arm_timer(int tfd, uint64_t due_ns)
{
    struct itimerspec its;
    memset(&its, 0, sizeof its);
    if (due_ns != 0) {
        its.it_value.tv_sec = (time_t)(due_ns / 1000000000ull);
        its.it_value.tv_nsec = (long)(due_ns % 1000000000ull);
        if (its.it_value.tv_sec == 0 && its.it_value.tv_nsec == 0)
            its.it_value.tv_nsec = 1; /* all-zero would disarm */
    }
    if (timerfd_settime(tfd, TFD_TIMER_ABSTIME, &its, NULL) < 0) {
        perror("responder: timerfd_settime");
        exit(1);
    }
}

/* The ring of pending replies, oldest first, and the counters it keeps. */
struct ring {
    struct pending *slots;
    size_t capacity, head, count;
    uint64_t delay_ns;
    unsigned long long received, answered, dropped_full, ignored;
};

/* The slot for a new reply, or NULL (counted) when the ring is full. */
static struct pending *ring_reserve(struct ring *r)
{
    if (r->count == r->capacity) {
        r->dropped_full++;
        return NULL;
    }
    struct pending *p = &r->slots[(r->head + r->count) % r->capacity];
    p->due_ns = now_ns() + r->delay_ns;
    return p;
}

/* Commits the slot from ring_reserve; arms the timer when it is the only one. */
static void ring_commit(struct ring *r, int tfd)
{
    if (r->count++ == 0)
        arm_timer(tfd, r->slots[r->head].due_ns);
}

static int open_icmp4(void)
{
    int sock = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (sock < 0) {
        perror("responder: socket(SOCK_RAW, IPPROTO_ICMP)");
        exit(1);
    }
    int on = 1;
    if (setsockopt(sock, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0) {
        perror("responder: IP_HDRINCL");
        exit(1);
    }
    /* Bursts from a sweep must not overflow the default ~200 KB buffer. */
    int rcvbuf = 8 * 1024 * 1024;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    /* Only echo requests are interesting; filter the rest in the kernel. */
    struct raw_icmp_filter filt = { .data = ~(1u << ICMP_ECHO) };
    setsockopt(sock, SOL_RAW, RAW_ICMP_FILTER, &filt, sizeof filt);
    return sock;
}

static int open_icmp6(void)
{
    int sock = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    if (sock < 0) {
        perror("responder: socket(SOCK_RAW, IPPROTO_ICMPV6)");
        exit(1);
    }
    int on = 1;
    /* The probed address arrives as IPV6_PKTINFO; it is not assigned (AnyIP), hence FREEBIND to send from it. */
    if (setsockopt(sock, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) < 0 ||
        setsockopt(sock, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof on) < 0) {
        perror("responder: IPV6_RECVPKTINFO/IPV6_FREEBIND");
        exit(1);
    }
    int rcvbuf = 8 * 1024 * 1024;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct icmp6_filter filt;
    ICMP6_FILTER_SETBLOCKALL(&filt);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REQUEST, &filt);
    if (setsockopt(sock, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof filt) < 0) {
        perror("responder: ICMP6_FILTER");
        exit(1);
    }
    return sock;
}

/* Queues a reply for every IPv4 echo request waiting on sock (bounded: one ring's worth per call). */
static void drain_icmp4(int sock, struct ring *r, int tfd, uint32_t pfx_net, uint32_t pfx_mask)
{
    for (size_t n = 0; n < r->capacity; n++) {
        uint8_t in[MAX_PACKET];
        ssize_t got = recv(sock, in, sizeof in, MSG_TRUNC);
        if (got < 0)
            return; /* EAGAIN: drained */
        r->received++;
        if ((size_t)got > sizeof in || got < (ssize_t)sizeof(struct iphdr)) {
            r->ignored++;
            continue;
        }
        const struct iphdr *ip = (const struct iphdr *)in;
        size_t ihl = (size_t)ip->ihl * 4;
        if (ihl < sizeof(struct iphdr) || (size_t)got < ihl + 8) {
            r->ignored++;
            continue;
        }
        const struct icmphdr *icmp = (const struct icmphdr *)(in + ihl);
        if (icmp->type != ICMP_ECHO || icmp->code != 0 ||
            (ip->frag_off & htons(IP_MF | IP_OFFMASK)) ||
            (pfx_mask && (ip->daddr & pfx_mask) != pfx_net)) {
            r->ignored++;
            continue;
        }
        size_t icmp_len = (size_t)got - ihl;
        if (inet_checksum(in + ihl, icmp_len) != 0) {
            r->ignored++; /* corrupt request: a real host drops it */
            continue;
        }
        struct pending *p = ring_reserve(r);
        if (!p)
            continue;
        p->family = AF_INET;
        p->dst.s_addr = ip->saddr;
        p->len = (uint16_t)(sizeof(struct iphdr) + icmp_len);

        struct iphdr *rip = (struct iphdr *)p->buf;
        memset(rip, 0, sizeof *rip);
        rip->version = 4;
        rip->ihl = 5;
        rip->ttl = 64;
        rip->protocol = IPPROTO_ICMP;
        rip->saddr = ip->daddr;
        rip->daddr = ip->saddr;
        rip->tot_len = htons(p->len);
        /* id 0 and check 0: the kernel fills both for IP_HDRINCL. */
        uint8_t *ricmp = p->buf + sizeof *rip;
        memcpy(ricmp, in + ihl, icmp_len); /* id, seq, payload unchanged */
        ((struct icmphdr *)ricmp)->type = ICMP_ECHOREPLY;
        ((struct icmphdr *)ricmp)->checksum = 0;
        ((struct icmphdr *)ricmp)->checksum = inet_checksum(ricmp, icmp_len);
        ring_commit(r, tfd);
    }
}

/* Queues a reply for every ICMPv6 echo request waiting on sock (bounded: one ring's worth per call). */
static void drain_icmp6(int sock, struct ring *r, int tfd, const struct prefix6 *pfx)
{
    for (size_t n = 0; n < r->capacity; n++) {
        uint8_t in[MAX_PACKET];
        union {
            struct cmsghdr align;
            uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
        } control;
        struct sockaddr_in6 from;
        struct iovec iov = { .iov_base = in, .iov_len = sizeof in };
        struct msghdr msg = {
            .msg_name = &from, .msg_namelen = sizeof from,
            .msg_iov = &iov, .msg_iovlen = 1,
            .msg_control = control.buf, .msg_controllen = sizeof control.buf,
        };
        ssize_t got = recvmsg(sock, &msg, MSG_TRUNC);
        if (got < 0)
            return; /* EAGAIN: drained (a request with a bad checksum never gets here) */
        r->received++;
        const struct in6_pktinfo *info = NULL;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
                info = (const struct in6_pktinfo *)CMSG_DATA(c);
        const struct icmp6_hdr *icmp = (const struct icmp6_hdr *)in;
        if ((size_t)got > sizeof in || got < (ssize_t)sizeof *icmp || !info ||
            icmp->icmp6_type != ICMP6_ECHO_REQUEST || icmp->icmp6_code != 0 ||
            !in_prefix6(pfx, &info->ipi6_addr)) {
            r->ignored++;
            continue;
        }
        struct pending *p = ring_reserve(r);
        if (!p)
            continue;
        p->family = AF_INET6;
        p->to6 = from;
        p->src6 = info->ipi6_addr;
        p->len = (uint16_t)got;
        memcpy(p->buf, in, (size_t)got); /* id, seq, payload unchanged */
        ((struct icmp6_hdr *)p->buf)->icmp6_type = ICMP6_ECHO_REPLY;
        ((struct icmp6_hdr *)p->buf)->icmp6_cksum = 0; /* the kernel computes it */
        ring_commit(r, tfd);
    }
}

static int send_reply(int sock4, int sock6, const struct pending *p)
{
    if (p->family == AF_INET) {
        struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = p->dst };
        return sendto(sock4, p->buf, p->len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)p->len;
    }
    union {
        struct cmsghdr align;
        uint8_t buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
    } control;
    memset(&control, 0, sizeof control);
    struct iovec iov = { .iov_base = (void *)p->buf, .iov_len = p->len };
    struct msghdr msg = {
        .msg_name = (void *)&p->to6, .msg_namelen = sizeof p->to6,
        .msg_iov = &iov, .msg_iovlen = 1,
        .msg_control = control.buf, .msg_controllen = sizeof control.buf,
    };
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = IPPROTO_IPV6;
    c->cmsg_type = IPV6_PKTINFO;
    c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
    struct in6_pktinfo info = { .ipi6_addr = p->src6, .ipi6_ifindex = 0 };
    memcpy(CMSG_DATA(c), &info, sizeof info);
    return sendmsg(sock6, &msg, 0) == (ssize_t)p->len;
}

int main(int argc, char **argv)
{
    long delay_ms = 20;
    long queue_len = 4096;
    uint32_t pfx_net = 0, pfx_mask = 0;
    struct prefix6 pfx6;
    int with_ipv6 = 0;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--delay-ms") && i + 1 < argc) {
            delay_ms = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--queue") && i + 1 < argc) {
            queue_len = strtol(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--prefix") && i + 1 < argc) {
            if (parse_prefix(argv[++i], &pfx_net, &pfx_mask) < 0) {
                fprintf(stderr, "responder: bad --prefix '%s'\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--prefix6") && i + 1 < argc) {
            if (parse_prefix6(argv[++i], &pfx6) < 0) {
                fprintf(stderr, "responder: bad --prefix6 '%s'\n", argv[i]);
                return 2;
            }
            with_ipv6 = 1;
        } else {
            fprintf(stderr, "usage: %s [--delay-ms N] [--queue N] [--prefix A.B.C.D/LEN] [--prefix6 X:Y::/LEN]\n", argv[0]);
            return 2;
        }
    }
    if (delay_ms < 0 || delay_ms > 60000 || queue_len < 1 || queue_len > 65536) {
        fprintf(stderr, "responder: --delay-ms must be 0..60000 and --queue 1..65536\n");
        return 2;
    }

    /* Started in the background by lab.sh: drop inherited descriptors (pipes
     * of whoever ran `lab.sh up`) so no caller waits on us for EOF. */
    close_range(3, ~0u, 0);

    struct ring ring = { .capacity = (size_t)queue_len, .delay_ns = (uint64_t)delay_ms * 1000000ull };
    ring.slots = calloc(ring.capacity, sizeof *ring.slots);
    if (!ring.slots) {
        perror("responder: calloc");
        return 1;
    }

    int sock4 = open_icmp4();
    int sock6 = with_ipv6 ? open_icmp6() : -1;

    int tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    if (tfd < 0) {
        perror("responder: timerfd_create");
        return 1;
    }

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0) {
        perror("responder: signalfd");
        return 1;
    }

    fprintf(stderr, "responder: pid %d, delay %ld ms, queue %ld, ipv6 %s\n", (int)getpid(), delay_ms, queue_len,
            with_ipv6 ? "on" : "off");

    /* poll ignores a negative fd: without --prefix6 the IPv6 slot stays empty. */
    struct pollfd pfds[4] = {
        { .fd = sock4, .events = POLLIN },
        { .fd = tfd, .events = POLLIN },
        { .fd = sfd, .events = POLLIN },
        { .fd = sock6, .events = POLLIN },
    };
    int running = 1;
    while (running) {
        if (poll(pfds, 4, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("responder: poll");
            return 1;
        }
        if (pfds[2].revents & POLLIN)
            running = 0;
        if (pfds[0].revents & POLLIN)
            drain_icmp4(sock4, &ring, tfd, pfx_net, pfx_mask);
        if (pfds[3].revents & POLLIN)
            drain_icmp6(sock6, &ring, tfd, &pfx6);

        if (pfds[1].revents & POLLIN) {
            uint64_t expirations;
            if (read(tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN) {
                perror("responder: read timerfd");
                return 1;
            }
        }

        /* Send every reply that is due, then re-arm for the next one. */
        if (ring.count > 0) {
            uint64_t t = now_ns();
            while (ring.count > 0 && ring.slots[ring.head].due_ns <= t) {
                if (send_reply(sock4, sock6, &ring.slots[ring.head]))
                    ring.answered++;
                ring.head = (ring.head + 1) % ring.capacity;
                ring.count--;
            }
            arm_timer(tfd, ring.count > 0 ? ring.slots[ring.head].due_ns : 0);
        }
    }

    fprintf(stderr, "responder: exiting; received %llu, answered %llu, dropped (queue full) %llu, ignored %llu\n",
            ring.received, ring.answered, ring.dropped_full, ring.ignored);
    free(ring.slots);
    return 0;
}
