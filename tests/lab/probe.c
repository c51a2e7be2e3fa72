/*
 * probe.c - a tiny, bounded ICMP echo prober for the PingSweep lab self-test.
 *
 * The CI machine has no ping (iputils) and the lab must not depend on the
 * sweep engine it exists to test, so the self-test uses this instead.
 * Raw IPPROTO_ICMP socket, so it also sees ICMP errors (destination
 * unreachable) that quote our requests.
 *
 * Modes:
 *   probe [-c COUNT] [-i INTERVAL_MS] [-W WAIT_MS] [--dgram] ADDRESS
 *       Sends COUNT (default 3, max 1000) echo requests INTERVAL_MS apart,
 *       then waits up to WAIT_MS (default 1000) for stragglers. One line per
 *       reply or destination-unreachable error that quotes our request, then:
 *       summary socket=raw|dgram addr=A sent=N received=R unreachable=U
 *               unreach_code=C unreach_from=F min_ms= avg_ms= max_ms=
 *       --dgram uses an unprivileged ICMP datagram ("ping") socket instead of
 *       a raw one (errors are then not seen; replies only).
 *
 *   probe --sweep PREFIX [-c ROUNDS] [-W WAIT_MS] [--rate PPS]
 *       Sends ROUNDS (default 1, max 10) echo requests to every address of
 *       PREFIX (length 16..32, so at most 65,536 hosts), round after round,
 *       unpaced unless --rate is given, receiving concurrently, then waits up
 *       to WAIT_MS after the last send.
 *       summary prefix=P rounds=K sent=N send_errors=E answered=R duplicates=D
 *               min_ms= avg_ms= max_ms= send_ms= total_ms= hist=0:a,1:b,...
 *       hist=k:n means n hosts answered exactly k of their ROUNDS probes.
 *
 * Every loop is bounded by a count and a deadline. Exit status 0 unless the
 * prober itself failed (socket, arguments); reachability is in the output.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labnet.h"

/* ICMP_FILTER from <linux/icmp.h>, which clashes with <netinet/ip_icmp.h>:
 * a bitmask of ICMP types a raw socket should NOT receive. */
#define RAW_ICMP_FILTER 1
struct raw_icmp_filter {
    uint32_t data;
};

#define MAGIC 0x50535750u /* "PSWP" at the start of our payload */
#define PAYLOAD 24        /* magic(4) + index(4) + send time ns(8) + pad(8) */


static int open_socket(int dgram)
{
    if (dgram) {
        /* Unprivileged ICMP "ping socket": allowed by net.ipv4.ping_group_range. */
        int d = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
        if (d < 0) {
            perror("probe: socket(SOCK_DGRAM, IPPROTO_ICMP) (check net.ipv4.ping_group_range)");
            exit(2);
        }
        return d;
    }
    int s = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (s < 0) {
        perror("probe: socket(SOCK_RAW, IPPROTO_ICMP) (needs root or CAP_NET_RAW)");
        exit(2);
    }
    int buf = 16 * 1024 * 1024;
    if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) < 0)
        setsockopt(s, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
    /* Only echo replies and destination-unreachable errors. */
    struct raw_icmp_filter filt = { .data = ~((1u << ICMP_ECHOREPLY) | (1u << ICMP_DEST_UNREACH)) };
    setsockopt(s, SOL_RAW, RAW_ICMP_FILTER, &filt, sizeof filt);
    return s;
}

static size_t build_echo(uint8_t *pkt, uint16_t id, uint16_t seq, uint32_t index, uint64_t t)
{
    struct icmphdr *h = (struct icmphdr *)pkt;
    uint32_t magic = htonl(MAGIC), idx = htonl(index);
    memset(pkt, 0, sizeof *h + PAYLOAD);
    h->type = ICMP_ECHO;
    h->un.echo.id = htons(id);
    h->un.echo.sequence = htons(seq);
    memcpy(pkt + 8, &magic, 4);
    memcpy(pkt + 12, &idx, 4);
    memcpy(pkt + 16, &t, 8);
    h->checksum = inet_checksum(pkt, 8 + PAYLOAD);
    return 8 + PAYLOAD;
}

/* One received packet, classified. */
struct event {
    int kind;             /* 0 = not ours, 1 = echo reply, 2 = dest unreachable */
    struct in_addr from;  /* reply source / error reporter                      */
    struct in_addr about; /* for errors: destination of the quoted request      */
    uint16_t seq;
    uint32_t index;
    uint64_t sent_ns;
    int code;
};

/* Classify an ICMP message (icmp points at the ICMP header, from is the IP
 * source). check_id is 0 for ping sockets, where the kernel owns the id. */
static struct event classify_icmp(const uint8_t *icmp, size_t n, struct in_addr from, uint16_t id, int check_id)
{
    struct event ev;
    memset(&ev, 0, sizeof ev);
    if (n < 8)
        return ev;
    const struct icmphdr *h = (const struct icmphdr *)icmp;
    ev.from = from;
    if (h->type == ICMP_ECHOREPLY) {
        uint32_t magic, idx;
        if (n < 8 + PAYLOAD || (check_id && ntohs(h->un.echo.id) != id))
            return ev;
        if (check_id && inet_checksum(icmp, n) != 0)
            return ev; /* a corrupt reply is not an answer (ping sockets verify for us) */
        memcpy(&magic, icmp + 8, 4);
        if (ntohl(magic) != MAGIC)
            return ev;
        memcpy(&idx, icmp + 12, 4);
        memcpy(&ev.sent_ns, icmp + 16, 8);
        ev.index = ntohl(idx);
        ev.seq = ntohs(h->un.echo.sequence);
        ev.kind = 1;
    } else if (h->type == ICMP_DEST_UNREACH) {
        /* Quoted: original IP header + first 8 bytes of our echo request. */
        const uint8_t *q = icmp + 8;
        size_t qlen = n - 8;
        if (qlen < sizeof(struct iphdr))
            return ev;
        const struct iphdr *qip = (const struct iphdr *)q;
        size_t qihl = (size_t)qip->ihl * 4;
        if (qlen < qihl + 8 || qip->protocol != IPPROTO_ICMP)
            return ev;
        const struct icmphdr *qh = (const struct icmphdr *)(q + qihl);
        if (qh->type != ICMP_ECHO || ntohs(qh->un.echo.id) != id)
            return ev;
        ev.about.s_addr = qip->daddr;
        ev.seq = ntohs(qh->un.echo.sequence);
        ev.code = h->code;
        ev.kind = 2;
    }
    return ev;
}

/* Raw sockets deliver the IP header too. */
static struct event classify(const uint8_t *buf, ssize_t n, uint16_t id)
{
    struct event none;
    memset(&none, 0, sizeof none);
    if (n < (ssize_t)sizeof(struct iphdr))
        return none;
    const struct iphdr *ip = (const struct iphdr *)buf;
    size_t ihl = (size_t)ip->ihl * 4;
    if ((size_t)n < ihl + 8)
        return none;
    struct in_addr from = { .s_addr = ip->saddr };
    return classify_icmp(buf + ihl, (size_t)n - ihl, from, id, 1);
}

static int parse_ms(const char *s, long lo, long hi, const char *what)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*end || v < lo || v > hi) {
        fprintf(stderr, "probe: %s must be %ld..%ld\n", what, lo, hi);
        exit(2);
    }
    return (int)v;
}

static int ping_one(const char *addr, int count, int interval_ms, int wait_ms, int dgram)
{
    struct sockaddr_in to = { .sin_family = AF_INET };
    if (inet_pton(AF_INET, addr, &to.sin_addr) != 1) {
        fprintf(stderr, "probe: bad address '%s'\n", addr);
        return 2;
    }
    int s = open_socket(dgram);
    uint16_t id = (uint16_t)(getpid() ^ 0x5a5a);
    uint8_t pkt[64], buf[2048];
    uint8_t seen[1000] = { 0 };
    int sent = 0, received = 0, unreachable = 0, last_code = -1;
    char unreach_from[INET_ADDRSTRLEN] = "-";
    double min = 1e9, max = 0, sum = 0;

    uint64_t next_send = now_ns();
    uint64_t deadline = next_send + (uint64_t)(count - 1) * (uint64_t)interval_ms * 1000000ull
                        + (uint64_t)wait_ms * 1000000ull;
    while (1) {
        uint64_t t = now_ns();
        if (sent < count && t >= next_send) {
            size_t len = build_echo(pkt, id, (uint16_t)sent, (uint32_t)sent, t);
            if (sendto(s, pkt, len, 0, (struct sockaddr *)&to, sizeof to) < 0)
                printf("send seq=%d error=%s\n", sent, strerror(errno));
            sent++;
            next_send += (uint64_t)interval_ms * 1000000ull;
            continue;
        }
        if (t >= deadline || (sent == count && received + unreachable >= count))
            break;
        uint64_t until = sent < count && next_send < deadline ? next_send : deadline;
        struct pollfd p = { .fd = s, .events = POLLIN };
        int timeout = (int)((until - t + 999999) / 1000000);
        if (poll(&p, 1, timeout) <= 0)
            continue;
        for (int k = 0; k < 1000; k++) { /* bounded drain */
            struct sockaddr_in src;
            socklen_t srclen = sizeof src;
            ssize_t n = recvfrom(s, buf, sizeof buf, 0, (struct sockaddr *)&src, &srclen);
            if (n < 0)
                break;
            /* Ping sockets return only the ICMP message, and own the id. */
            struct event ev = dgram ? classify_icmp(buf, (size_t)n, src.sin_addr, id, 0) : classify(buf, n, id);
            char from[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &ev.from, from, sizeof from);
            if (ev.kind == 1 && ev.from.s_addr == to.sin_addr.s_addr && ev.index < (uint32_t)count) {
                double rtt = (double)(now_ns() - ev.sent_ns) / 1e6;
                int dup = seen[ev.index]++;
                printf("reply from=%s seq=%u rtt_ms=%.3f%s\n", from, ev.seq, rtt, dup ? " DUP" : "");
                if (dup)
                    continue;
                received++;
                sum += rtt;
                if (rtt < min) min = rtt;
                if (rtt > max) max = rtt;
            } else if (ev.kind == 2 && ev.about.s_addr == to.sin_addr.s_addr) {
                unreachable++;
                last_code = ev.code;
                strcpy(unreach_from, from);
                printf("unreachable from=%s seq=%u code=%d%s\n", from, ev.seq, ev.code,
                       ev.code == ICMP_HOST_UNREACH ? " (host unreachable)" : "");
            }
        }
    }
    if (received == 0)
        min = 0;
    printf("summary socket=%s addr=%s sent=%d received=%d unreachable=%d unreach_code=%d unreach_from=%s "
           "min_ms=%.3f avg_ms=%.3f max_ms=%.3f\n",
           dgram ? "dgram" : "raw", addr, sent, received, unreachable, last_code, unreach_from,
           min, received ? sum / received : 0.0, max);
    close(s);
    return 0;
}

static int sweep(const char *prefix, int rounds, int wait_ms, long rate)
{
    char copy[64];
    if (strlen(prefix) >= sizeof copy) {
        fprintf(stderr, "probe: bad prefix\n");
        return 2;
    }
    strcpy(copy, prefix);
    char *slash = strchr(copy, '/');
    struct in_addr base;
    if (!slash) {
        fprintf(stderr, "probe: prefix needs /LEN\n");
        return 2;
    }
    *slash = '\0';
    int len = parse_ms(slash + 1, 16, 32, "prefix length");
    if (inet_pton(AF_INET, copy, &base) != 1) {
        fprintf(stderr, "probe: bad prefix address\n");
        return 2;
    }
    uint32_t hosts = 1u << (32 - len);
    uint32_t first = ntohl(base.s_addr) & (len == 32 ? 0xffffffffu : ~(hosts - 1));
    uint32_t total = hosts * (uint32_t)rounds; /* probe i goes to host i % hosts */

    int s = open_socket(0);
    uint16_t id = (uint16_t)(getpid() ^ 0xa5a5);
    uint8_t *seen = calloc(total, 1);   /* per probe: answered? */
    uint8_t *per_host = calloc(hosts, 1); /* per host: replies received */
    if (!seen || !per_host) {
        perror("probe: calloc");
        return 2;
    }
    uint8_t pkt[64], buf[2048];
    uint32_t sent = 0, send_errors = 0, answered = 0, dups = 0;
    double rtt_min = 1e9, rtt_max = 0, rtt_sum = 0;
    uint64_t start = now_ns(), send_done = 0;
    uint64_t gap_ns = rate > 0 ? 1000000000ull / (uint64_t)rate : 0;
    /* Hard cap on the whole run: sending may not take more than 60 s. */
    uint64_t hard_deadline = start + 60ull * 1000000000ull, deadline = hard_deadline;

    while (now_ns() < deadline) {
        /* Send a batch (or until the socket pushes back). */
        if (sent < total) {
            for (int b = 0; b < 64 && sent < total; b++) {
                uint64_t t = now_ns();
                if (gap_ns && t < start + sent * gap_ns)
                    break;
                struct sockaddr_in to = { .sin_family = AF_INET };
                to.sin_addr.s_addr = htonl(first + sent % hosts);
                size_t l = build_echo(pkt, id, (uint16_t)sent, sent, t);
                if (sendto(s, pkt, l, 0, (struct sockaddr *)&to, sizeof to) < 0) {
                    if (errno == EAGAIN || errno == ENOBUFS)
                        break; /* let the receive side drain, retry this one */
                    send_errors++;
                }
                sent++;
            }
            if (sent == total) {
                send_done = now_ns();
                deadline = send_done + (uint64_t)wait_ms * 1000000ull;
            }
        }
        if (sent == total && answered >= total - send_errors)
            break;
        struct pollfd p = { .fd = s, .events = POLLIN | (sent < total ? POLLOUT : 0) };
        int timeout;
        uint64_t t = now_ns();
        if (sent < total && gap_ns) {
            uint64_t next = start + sent * gap_ns;
            timeout = next > t ? (int)((next - t) / 1000000) : 0;
        } else if (sent < total) {
            timeout = 100; /* woken by POLLOUT as soon as the socket has room */
        } else {
            timeout = deadline > t ? (int)((deadline - t + 999999) / 1000000) : 0;
        }
        if (poll(&p, 1, timeout) <= 0 || !(p.revents & POLLIN))
            continue;
        for (int k = 0; k < 4096; k++) { /* bounded drain */
            ssize_t n = recv(s, buf, sizeof buf, 0);
            if (n < 0)
                break;
            struct event ev = classify(buf, n, id);
            if (ev.kind != 1 || ev.index >= total || ntohl(ev.from.s_addr) != first + ev.index % hosts)
                continue;
            if (seen[ev.index]++) {
                dups++;
                continue;
            }
            answered++;
            per_host[ev.index % hosts]++;
            double rtt = (double)(now_ns() - ev.sent_ns) / 1e6;
            rtt_sum += rtt;
            if (rtt < rtt_min) rtt_min = rtt;
            if (rtt > rtt_max) rtt_max = rtt;
        }
    }
    uint64_t end = now_ns();
    if (!send_done)
        send_done = end;
    char pfx[INET_ADDRSTRLEN];
    struct in_addr fa = { .s_addr = htonl(first) };
    inet_ntop(AF_INET, &fa, pfx, sizeof pfx);
    /* hist=k:n means n hosts answered exactly k of their probes. */
    uint32_t hist[11] = { 0 };
    for (uint32_t h = 0; h < hosts; h++)
        hist[per_host[h]]++;
    printf("summary prefix=%s/%d rounds=%d sent=%u send_errors=%u answered=%u duplicates=%u "
           "min_ms=%.3f avg_ms=%.3f max_ms=%.3f send_ms=%.1f total_ms=%.1f hist=",
           pfx, len, rounds, sent, send_errors, answered, dups,
           answered ? rtt_min : 0.0, answered ? rtt_sum / answered : 0.0, rtt_max,
           (double)(send_done - start) / 1e6, (double)(end - start) / 1e6);
    for (int k = 0; k <= rounds; k++)
        printf("%s%d:%u", k ? "," : "", k, hist[k]);
    printf("\n");
    free(seen);
    free(per_host);
    close(s);
    return 0;
}

int main(int argc, char **argv)
{
    int count = 3, interval_ms = 200, wait_ms = 1000, dgram = 0, count_given = 0;
    long rate = 0;
    const char *sweep_prefix = NULL, *addr = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-c") && i + 1 < argc)
            count = parse_ms(argv[++i], 1, 1000, "-c"), count_given = 1;
        else if (!strcmp(argv[i], "--dgram"))
            dgram = 1;
        else if (!strcmp(argv[i], "-i") && i + 1 < argc)
            interval_ms = parse_ms(argv[++i], 0, 10000, "-i");
        else if (!strcmp(argv[i], "-W") && i + 1 < argc)
            wait_ms = parse_ms(argv[++i], 0, 30000, "-W");
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = parse_ms(argv[++i], 1, 10000000, "--rate");
        else if (!strcmp(argv[i], "--sweep") && i + 1 < argc)
            sweep_prefix = argv[++i];
        else if (argv[i][0] != '-' && !addr)
            addr = argv[i];
        else {
            fprintf(stderr, "usage: probe [-c N] [-i MS] [-W MS] [--dgram] ADDRESS\n"
                            "       probe --sweep PREFIX [-c ROUNDS(1..10)] [-W MS] [--rate PPS]\n");
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (sweep_prefix)
        return sweep(sweep_prefix, count_given ? (count > 10 ? 10 : count) : 1, wait_ms, rate);
    if (!addr) {
        fprintf(stderr, "probe: no address given\n");
        return 2;
    }
    return ping_one(addr, count, interval_ms, wait_ms, dgram);
}
