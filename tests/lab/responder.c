/*
 * responder.c - answers ICMP echo requests after a fixed delay.
 *
 * Part of the PingSweep test lab (tests/lab/lab.sh). The lab kernel has no
 * sch_netem, so "tc qdisc ... netem delay" is not available; this program
 * gives the DELAYED range real, measurable round-trip times instead.
 *
 * It runs inside its own network namespace, where
 * net.ipv4.icmp_echo_ignore_all=1 keeps the kernel silent, so every echo
 * reply in that namespace comes from here.
 *
 * Design:
 *   - One raw IPPROTO_ICMP socket (receives a copy of every ICMP packet
 *     delivered locally) with IP_HDRINCL, so the reply's source address is
 *     exactly the address that was probed (the namespace owns a whole prefix
 *     through an AnyIP "local" route, and a sweeper must see replies coming
 *     from the target it asked).
 *   - The delay is fixed, so due times are monotonic in arrival order: a FIFO
 *     ring of pending replies is already a sorted timer queue. One timerfd is
 *     armed for the head of the ring. No thread per packet, no polling sleep.
 *   - The ring is bounded (--queue); requests arriving while it is full are
 *     dropped and counted, like a router's full queue would drop them.
 *   - Identifier, sequence and payload are copied back unchanged; only the
 *     type changes and the checksum is recomputed over the whole ICMP message.
 *   - SIGTERM/SIGINT arrive through a signalfd and end the loop cleanly,
 *     printing counters to stderr.
 *
 * Usage: responder [--delay-ms N] [--queue N] [--prefix A.B.C.D/LEN]
 *   --prefix limits answers to destinations inside that prefix (default: all).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
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

/* Largest IPv4 datagram we keep. Bigger requests are not answered (counted). */
#define MAX_PACKET 1500

struct pending {
    uint64_t due_ns;          /* CLOCK_MONOTONIC time the reply is sent */
    struct in_addr src;       /* reply source = address that was probed  */
    struct in_addr dst;       /* reply destination = requester            */
    uint16_t icmp_len;        /* bytes of ICMP message in buf              */
    uint8_t buf[MAX_PACKET];  /* reply packet: IP header + ICMP message    */
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

int main(int argc, char **argv)
{
    long delay_ms = 20;
    long queue_len = 4096;
    uint32_t pfx_net = 0, pfx_mask = 0;
    unsigned long long received = 0, answered = 0, dropped_full = 0, ignored = 0;

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
        } else {
            fprintf(stderr, "usage: %s [--delay-ms N] [--queue N] [--prefix A.B.C.D/LEN]\n", argv[0]);
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

    struct pending *ring = calloc((size_t)queue_len, sizeof *ring);
    if (!ring) {
        perror("responder: calloc");
        return 1;
    }
    size_t head = 0, count = 0;
    const uint64_t delay_ns = (uint64_t)delay_ms * 1000000ull;

    int sock = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (sock < 0) {
        perror("responder: socket(SOCK_RAW, IPPROTO_ICMP)");
        return 1;
    }
    int on = 1;
    if (setsockopt(sock, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0) {
        perror("responder: IP_HDRINCL");
        return 1;
    }
    /* Bursts from a sweep must not overflow the default ~200 KB buffer. */
    int rcvbuf = 8 * 1024 * 1024;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    /* Only echo requests are interesting; filter the rest in the kernel. */
    struct raw_icmp_filter filt = { .data = ~(1u << ICMP_ECHO) };
    setsockopt(sock, SOL_RAW, RAW_ICMP_FILTER, &filt, sizeof filt);

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

    fprintf(stderr, "responder: pid %d, delay %ld ms, queue %ld\n", (int)getpid(), delay_ms, queue_len);

    struct pollfd pfds[3] = {
        { .fd = sock, .events = POLLIN },
        { .fd = tfd, .events = POLLIN },
        { .fd = sfd, .events = POLLIN },
    };
    int running = 1;
    while (running) {
        if (poll(pfds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            perror("responder: poll");
            return 1;
        }
        if (pfds[2].revents & POLLIN)
            running = 0;

        if (pfds[0].revents & POLLIN) {
            /* Drain what is queued now (bounded: at most one ring's worth
             * per wake-up, so the timer is never starved). */
            for (long n = 0; n < queue_len; n++) {
                uint8_t in[MAX_PACKET];
                ssize_t got = recv(sock, in, sizeof in, MSG_TRUNC);
                if (got < 0)
                    break; /* EAGAIN: drained */
                received++;
                if ((size_t)got > sizeof in || got < (ssize_t)sizeof(struct iphdr)) {
                    ignored++;
                    continue;
                }
                const struct iphdr *ip = (const struct iphdr *)in;
                size_t ihl = (size_t)ip->ihl * 4;
                if (ihl < sizeof(struct iphdr) || (size_t)got < ihl + 8) {
                    ignored++;
                    continue;
                }
                const struct icmphdr *icmp = (const struct icmphdr *)(in + ihl);
                if (icmp->type != ICMP_ECHO || icmp->code != 0 ||
                    (ip->frag_off & htons(IP_MF | IP_OFFMASK)) ||
                    (pfx_mask && (ip->daddr & pfx_mask) != pfx_net)) {
                    ignored++;
                    continue;
                }
                size_t icmp_len = (size_t)got - ihl;
                if (inet_checksum(in + ihl, icmp_len) != 0) {
                    ignored++; /* corrupt request: a real host drops it */
                    continue;
                }
                if (count == (size_t)queue_len) {
                    dropped_full++;
                    continue;
                }
                struct pending *p = &ring[(head + count) % (size_t)queue_len];
                p->due_ns = now_ns() + delay_ns;
                p->src.s_addr = ip->daddr;
                p->dst.s_addr = ip->saddr;
                p->icmp_len = (uint16_t)icmp_len;

                struct iphdr *rip = (struct iphdr *)p->buf;
                memset(rip, 0, sizeof *rip);
                rip->version = 4;
                rip->ihl = 5;
                rip->ttl = 64;
                rip->protocol = IPPROTO_ICMP;
                rip->saddr = ip->daddr;
                rip->daddr = ip->saddr;
                rip->tot_len = htons((uint16_t)(sizeof *rip + icmp_len));
                /* id 0 and check 0: the kernel fills both for IP_HDRINCL. */
                uint8_t *ricmp = p->buf + sizeof *rip;
                memcpy(ricmp, in + ihl, icmp_len); /* id, seq, payload unchanged */
                ((struct icmphdr *)ricmp)->type = ICMP_ECHOREPLY;
                ((struct icmphdr *)ricmp)->checksum = 0;
                ((struct icmphdr *)ricmp)->checksum = inet_checksum(ricmp, icmp_len);
                if (count++ == 0)
                    arm_timer(tfd, p->due_ns);
            }
        }

        if (pfds[1].revents & POLLIN) {
            uint64_t expirations;
            if (read(tfd, &expirations, sizeof expirations) < 0 && errno != EAGAIN) {
                perror("responder: read timerfd");
                return 1;
            }
        }

        /* Send every reply that is due, then re-arm for the next one. */
        if (count > 0) {
            uint64_t t = now_ns();
            while (count > 0 && ring[head].due_ns <= t) {
                struct pending *p = &ring[head];
                struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = p->dst };
                size_t len = sizeof(struct iphdr) + p->icmp_len;
                if (sendto(sock, p->buf, len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)len)
                    answered++;
                head = (head + 1) % (size_t)queue_len;
                count--;
            }
            arm_timer(tfd, count > 0 ? ring[head].due_ns : 0);
        }
    }

    fprintf(stderr, "responder: exiting; received %llu, answered %llu, dropped (queue full) %llu, ignored %llu\n",
            received, answered, dropped_full, ignored);
    free(ring);
    return 0;
}
