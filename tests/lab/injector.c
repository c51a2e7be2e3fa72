/*
 * injector.c - forges hostile ICMP and ICMPv6 answers to a sweep in progress (issue 11, section 4).
 *
 * Part of the PingSweep test lab (tests/lab/lab.sh). It runs in a target namespace (psw-dead, psw-delay) next to
 * whatever answers there, sees every echo request the sweep sends to that namespace, and for each one sends hostile
 * packets back to the sweeper, each of a named kind:
 *
 *   IPv4 (raw IPPROTO_ICMP socket with IP_HDRINCL, so every header field is ours)
 *     trunc4     an echo reply for the request cut to an ICMP length of 0..19 bytes (one length per request, in turn,
 *                so a sweep covers every length; the checksum is right for what is left from 4 bytes on). 20 bytes
 *                are a header and the probe data, the least that can name a probe.
 *     badsum4    the request's own reply, payload and all, with a wrong ICMP checksum (a corrupted true reply)
 *     options4   an IPv4 header with options (IHL 6: NOP NOP NOP EOL) carrying a wrongcheck4 reply
 *     wrongcheck4  a reply with the request's identifier, sequence and probe number but a wrong check value
 *     foreign4   the request's own reply, correct in every byte, but from --foreign, an address never probed
 *     dup4       --dups more copies of the wrongcheck4 reply (a flood of duplicates)
 *     errunsent4 destination unreachable (type 3 code 1) quoting an echo request never sent: random id and sequence
 *     errtrunc4  destination unreachable quoting the real request cut to 0..27 bytes (short of the IPv4 header and
 *                the 8 ICMP bytes RFC 792 requires), one length per request in turn
 *     errcheck4  destination unreachable quoting the whole real request with a wrong check value
 *     late4      (--late-dups N, where a real responder answers first) N copies of the request's true reply, --late-ms
 *                after the request: duplicates of an answer already counted
 *   IPv6 (raw IPPROTO_RAW socket: the IPv6 header and the ICMPv6 checksum are ours, so a wrong one goes out wrong)
 *     trunc6, badsum6, wrongcheck6, foreign6 (from --foreign6), dup6, errunsent6 (type 1 code 3), errtrunc6 (quote cut
 *     to 0..47 bytes: short of the IPv6 header and 8 ICMPv6 bytes), errcheck6, late6: as for IPv4;
 *     exthdr6    a wrongcheck6 reply behind a Destination Options extension header (IPv6's counterpart of options4)
 *
 * None of these carries a probe's true check value from the probed address, except late4/late6 (sent after the
 * real answer, so only ever a duplicate): an attacker on the path sees the whole request and can always answer it,
 * which no receiver can tell from the truth. What a receiver must survive is everything else.
 *
 * Bounded: --pps caps the forged packets per second (a request whose whole set does not fit the budget is skipped
 * and counted), --max-packets and --max-seconds end the run. SIGTERM/SIGINT end it as well. On exit it prints, on
 * stderr, one line per kind: "injector: sent KIND N failed F", and the requests it saw and skipped.
 * Safety: it answers only requests from the lab's benchmarking ranges (198.18.0.0/15, 2001:2::/48), so it can
 * send nothing anywhere else, and only requests to --prefix / --prefix6.
 *
 * Usage: injector [--prefix A.B.C.D/LEN] [--prefix6 X::/LEN] [--foreign A.B.C.D] [--foreign6 X::Y] [--dups N]
 *                 [--late-dups N] [--late-ms MS] [--pps N] [--max-packets N] [--max-seconds N] [--seed N]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "labnet.h"

/* ICMP_FILTER from <linux/icmp.h>, which clashes with <netinet/ip_icmp.h>. */
#define RAW_ICMP_FILTER 1
struct raw_icmp_filter {
    uint32_t data;
};

#define MAX_PACKET 1500
#define PROBE_DATA 12          /* the module's probe data: probe number (4) and check value (8) after the header */
#define ECHO_MIN (8 + PROBE_DATA)
#define CHECK_OFFSET 12        /* the check value's offset in the ICMP message */
#define TRUNC_LENGTHS ECHO_MIN /* trunc: ICMP lengths 0..19 */
#define QUOTE4_MIN 28          /* errtrunc4: quotes of 0..27 bytes */
#define QUOTE6_MIN 48          /* errtrunc6: quotes of 0..47 bytes */
#define LATE_QUEUE 4096

enum kind {
    TRUNC4, BADSUM4, OPTIONS4, WRONGCHECK4, FOREIGN4, DUP4, ERRUNSENT4, ERRTRUNC4, ERRCHECK4, LATE4,
    TRUNC6, BADSUM6, EXTHDR6, WRONGCHECK6, FOREIGN6, DUP6, ERRUNSENT6, ERRTRUNC6, ERRCHECK6, LATE6,
    KINDS
};
static const char *const kind_names[KINDS] = {
    "trunc4", "badsum4", "options4", "wrongcheck4", "foreign4", "dup4", "errunsent4", "errtrunc4", "errcheck4", "late4",
    "trunc6", "badsum6", "exthdr6", "wrongcheck6", "foreign6", "dup6", "errunsent6", "errtrunc6", "errcheck6", "late6",
};

struct settings {
    uint32_t net4, mask4;
    uint8_t net6[16], mask6[16];
    int with4, with6, with_foreign4, with_foreign6;
    struct in_addr foreign4;
    struct in6_addr foreign6;
    long dups, late_dups, late_ms, pps, max_seconds;
    unsigned long long max_packets;
    uint64_t seed;
};

/* A true reply waiting to be sent again as a late duplicate. */
struct late {
    uint64_t due_ns;
    int family;
    struct in6_addr src, dst; /* IPv4 uses the first 4 bytes */
    uint16_t len;             /* ICMP message */
    uint8_t icmp[MAX_PACKET];
};

struct state {
    struct settings cfg;
    int sock4, raw6;
    uint64_t rng;
    double tokens;
    uint64_t refilled_ns;
    unsigned long long sent[KINDS], failed[KINDS], total;
    unsigned long long requests4, requests6, skipped, ignored, late_dropped;
    unsigned trunc_next4, trunc_next6, quote_next4, quote_next6;
    unsigned long long trunc_seen4[TRUNC_LENGTHS], trunc_seen6[TRUNC_LENGTHS];
    unsigned long long quote_seen4[QUOTE4_MIN], quote_seen6[QUOTE6_MIN];
    int first_errno[KINDS];
    struct late *late;
    size_t late_head, late_count;
};

static uint64_t next_random(struct state *s)
{
    /* xorshift64*: reproducible from --seed, which is printed */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ull;
}

static int parse_prefix4(const char *text, uint32_t *net, uint32_t *mask)
{
    char copy[64];
    struct in_addr a;
    if (strlen(text) >= sizeof copy)
        return -1;
    strcpy(copy, text);
    char *slash = strchr(copy, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    long len = strtol(slash + 1, NULL, 10);
    if (len < 0 || len > 32 || inet_pton(AF_INET, copy, &a) != 1)
        return -1;
    *mask = len == 0 ? 0 : htonl(0xffffffffu << (32 - len));
    *net = a.s_addr & *mask;
    return 0;
}

static int parse_prefix6(const char *text, uint8_t net[16], uint8_t mask[16])
{
    char copy[64];
    struct in6_addr a;
    if (strlen(text) >= sizeof copy)
        return -1;
    strcpy(copy, text);
    char *slash = strchr(copy, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    long len = strtol(slash + 1, NULL, 10);
    if (len < 0 || len > 128 || inet_pton(AF_INET6, copy, &a) != 1)
        return -1;
    for (int i = 0; i < 16; i++) {
        long bits = len - 8 * i;
        mask[i] = bits >= 8 ? 0xff : bits <= 0 ? 0 : (uint8_t)(0xff << (8 - bits));
        net[i] = a.s6_addr[i] & mask[i];
    }
    return 0;
}

static int in_prefix6(const uint8_t net[16], const uint8_t mask[16], const struct in6_addr *a)
{
    for (int i = 0; i < 16; i++)
        if ((a->s6_addr[i] & mask[i]) != net[i])
            return 0;
    return 1;
}

/* The lab's benchmarking ranges: the only places the injector ever sends to. */
static int lab_address4(uint32_t a) { return (ntohl(a) & 0xfffe0000u) == 0xc6120000u; } /* 198.18.0.0/15 */
static int lab_address6(const struct in6_addr *a)
{
    static const uint8_t p[6] = { 0x20, 0x01, 0x00, 0x02, 0x00, 0x00 }; /* 2001:2::/48 */
    return memcmp(a->s6_addr, p, sizeof p) == 0;
}

/* Takes n packets from the per-second budget; false (nothing taken) when they do not fit. */
static int take_tokens(struct state *s, unsigned n)
{
    uint64_t t = now_ns();
    double burst = s->cfg.pps / 10.0 > 256 ? s->cfg.pps / 10.0 : 256;
    s->tokens += (double)(t - s->refilled_ns) * s->cfg.pps / 1e9;
    if (s->tokens > burst)
        s->tokens = burst;
    s->refilled_ns = t;
    if (s->total + n > s->cfg.max_packets || s->tokens < n)
        return 0;
    s->tokens -= n;
    return 1;
}

static void count(struct state *s, enum kind k, int ok)
{
    if (ok) {
        s->sent[k]++;
        s->total++;
    } else {
        if (!s->failed[k])
            s->first_errno[k] = errno;
        s->failed[k]++;
    }
}

/* ---- IPv4 ---- */

/* Sends an IPv4 packet from src to dst: a 20-byte header plus optlen bytes of options, then the ICMP bytes as given. */
static void send4(struct state *s, enum kind k, uint32_t src, uint32_t dst, const uint8_t *opts, size_t optlen,
                  const uint8_t *icmp, size_t len)
{
    uint8_t pkt[MAX_PACKET + 64];
    struct iphdr *ip = (struct iphdr *)pkt;
    size_t hl = sizeof *ip + optlen;
    memset(ip, 0, sizeof *ip);
    ip->version = 4;
    ip->ihl = (unsigned)(hl / 4);
    ip->ttl = 64;
    ip->protocol = IPPROTO_ICMP;
    ip->saddr = src;
    ip->daddr = dst;
    /* tot_len, id and the header checksum: the kernel fills them for IP_HDRINCL. */
    if (optlen)
        memcpy(pkt + sizeof *ip, opts, optlen);
    memcpy(pkt + hl, icmp, len);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr.s_addr = dst };
    count(s, k, sendto(s->sock4, pkt, hl + len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)(hl + len));
}

static void set_checksum4(uint8_t *icmp, size_t len)
{
    if (len < 4)
        return;
    icmp[2] = icmp[3] = 0;
    uint16_t sum = inet_checksum(icmp, len);
    memcpy(icmp + 2, &sum, 2);
}

/* An ICMPv4 error of type 3 code 1 around quote (qlen bytes), into out; returns its length. */
static size_t build_error4(uint8_t *out, const uint8_t *quote, size_t qlen)
{
    memset(out, 0, 8);
    out[0] = ICMP_DEST_UNREACH;
    out[1] = ICMP_HOST_UNREACH;
    memcpy(out + 8, quote, qlen);
    set_checksum4(out, 8 + qlen);
    return 8 + qlen;
}

static void forge4(struct state *s, const uint8_t *in, size_t got)
{
    const struct iphdr *ip = (const struct iphdr *)in;
    size_t ihl = (size_t)ip->ihl * 4;
    const uint8_t *req = in + ihl;
    size_t len = got - ihl;
    uint32_t probed = ip->daddr, sweeper = ip->saddr;
    unsigned need = 8 + (unsigned)s->cfg.dups + (s->cfg.with_foreign4 ? 1 : 0);
    if (!take_tokens(s, need)) {
        s->skipped++;
        return;
    }
    uint8_t reply[MAX_PACKET], wrong[MAX_PACKET], pkt[MAX_PACKET + 64];
    memcpy(reply, req, len);
    reply[0] = ICMP_ECHOREPLY;
    set_checksum4(reply, len);
    memcpy(wrong, reply, len);
    for (int i = 0; i < 8; i++)
        wrong[CHECK_OFFSET + i] ^= (uint8_t)(0xa5 + i);
    set_checksum4(wrong, len);

    /* trunc4: the true reply cut short, one length per request in turn */
    unsigned cut = s->trunc_next4++ % TRUNC_LENGTHS;
    memcpy(pkt, reply, cut);
    set_checksum4(pkt, cut);
    s->trunc_seen4[cut]++;
    send4(s, TRUNC4, probed, sweeper, NULL, 0, pkt, cut);

    /* badsum4: the true reply with a checksum that does not add up */
    memcpy(pkt, reply, len);
    pkt[2] ^= 0x01;
    pkt[3] ^= 0x10;
    send4(s, BADSUM4, probed, sweeper, NULL, 0, pkt, len);

    static const uint8_t nops[4] = { 1, 1, 1, 0 }; /* NOP NOP NOP EOL */
    send4(s, OPTIONS4, probed, sweeper, nops, sizeof nops, wrong, len);
    send4(s, WRONGCHECK4, probed, sweeper, NULL, 0, wrong, len);
    if (s->cfg.with_foreign4)
        send4(s, FOREIGN4, s->cfg.foreign4.s_addr, sweeper, NULL, 0, reply, len);
    for (long i = 0; i < s->cfg.dups; i++)
        send4(s, DUP4, probed, sweeper, NULL, 0, wrong, len);

    /* errunsent4: an error quoting an echo request this sweeper never sent */
    uint8_t quote[MAX_PACKET];
    struct iphdr *qip = (struct iphdr *)quote;
    memcpy(quote, in, sizeof *qip);
    qip->ihl = 5;
    qip->tot_len = htons((uint16_t)(sizeof *qip + len));
    uint8_t *qicmp = quote + sizeof *qip;
    memcpy(qicmp, req, len);
    uint64_t r = next_random(s);
    memcpy(qicmp + 4, &r, 4);                /* identifier and sequence */
    memcpy(qicmp + 8, qicmp + 4, 4);         /* the probe number agrees with them, as in a real probe */
    memcpy(qicmp + CHECK_OFFSET, &r, 8);     /* and a check value nobody computed */
    send4(s, ERRUNSENT4, probed, sweeper, NULL, 0, pkt, build_error4(pkt, quote, sizeof *qip + len));

    /* errtrunc4: an error quoting the real request cut short of header + 8 bytes */
    unsigned qcut = s->quote_next4++ % QUOTE4_MIN;
    size_t avail = ihl + len < qcut ? ihl + len : qcut;
    s->quote_seen4[qcut]++;
    send4(s, ERRTRUNC4, probed, sweeper, NULL, 0, pkt, build_error4(pkt, in, avail));

    /* errcheck4: an error quoting the whole real request, but with a wrong check value */
    memcpy(quote, in, sizeof *qip);
    qip->ihl = 5;
    memcpy(qicmp, req, len);
    for (int i = 0; i < 8; i++)
        qicmp[CHECK_OFFSET + i] ^= (uint8_t)(0x3c + i);
    send4(s, ERRCHECK4, probed, sweeper, NULL, 0, pkt, build_error4(pkt, quote, sizeof *qip + len));
}

/* ---- IPv6 ---- */

static uint16_t checksum6(const struct in6_addr *src, const struct in6_addr *dst, const uint8_t *icmp, size_t len)
{
    uint8_t buf[40 + MAX_PACKET];
    memcpy(buf, src, 16);
    memcpy(buf + 16, dst, 16);
    uint32_t ulen = htonl((uint32_t)len);
    memcpy(buf + 32, &ulen, 4);
    buf[36] = buf[37] = buf[38] = 0;
    buf[39] = IPPROTO_ICMPV6;
    memcpy(buf + 40, icmp, len);
    return inet_checksum(buf, 40 + len);
}

static void set_checksum6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t *icmp, size_t len)
{
    if (len < 4)
        return;
    icmp[2] = icmp[3] = 0;
    uint16_t sum = checksum6(src, dst, icmp, len);
    memcpy(icmp + 2, &sum, 2);
}

/* Writes an IPv6 header (next header nh, payload plen) into out. */
static void ip6_header(uint8_t *out, const struct in6_addr *src, const struct in6_addr *dst, uint8_t nh, size_t plen, uint8_t hlim)
{
    struct ip6_hdr *h = (struct ip6_hdr *)out;
    memset(h, 0, sizeof *h);
    h->ip6_flow = htonl(6u << 28);
    h->ip6_plen = htons((uint16_t)plen);
    h->ip6_nxt = nh;
    h->ip6_hlim = hlim;
    h->ip6_src = *src;
    h->ip6_dst = *dst;
}

/* Sends an ICMPv6 message from src to dst, behind a Destination Options header when dstopts is set. */
static void send6(struct state *s, enum kind k, const struct in6_addr *src, const struct in6_addr *dst, int dstopts,
                  const uint8_t *icmp, size_t len)
{
    uint8_t pkt[40 + 8 + MAX_PACKET];
    size_t ext = dstopts ? 8 : 0;
    ip6_header(pkt, src, dst, dstopts ? IPPROTO_DSTOPTS : IPPROTO_ICMPV6, ext + len, 64);
    if (dstopts) {
        static const uint8_t opts[8] = { IPPROTO_ICMPV6, 0, 1, 4, 0, 0, 0, 0 }; /* PadN of 4: 8 bytes in all */
        memcpy(pkt + 40, opts, sizeof opts);
    }
    memcpy(pkt + 40 + ext, icmp, len);
    struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
    count(s, k, sendto(s->raw6, pkt, 40 + ext + len, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)(40 + ext + len));
}

/* An ICMPv6 error (type 1 code 3) from src to dst around quote, into out; returns its length. */
static size_t build_error6(uint8_t *out, const struct in6_addr *src, const struct in6_addr *dst, const uint8_t *quote, size_t qlen)
{
    memset(out, 0, 8);
    out[0] = ICMP6_DST_UNREACH;
    out[1] = ICMP6_DST_UNREACH_ADDR;
    memcpy(out + 8, quote, qlen);
    set_checksum6(src, dst, out, 8 + qlen);
    return 8 + qlen;
}

static void forge6(struct state *s, const struct in6_addr *sweeper, const struct in6_addr *probed, const uint8_t *req, size_t len)
{
    unsigned need = 9 + (unsigned)s->cfg.dups + (s->cfg.with_foreign6 ? 1 : 0);
    if (!take_tokens(s, need)) {
        s->skipped++;
        return;
    }
    uint8_t reply[MAX_PACKET], wrong[MAX_PACKET], pkt[MAX_PACKET], quote[40 + MAX_PACKET];
    memcpy(reply, req, len);
    reply[0] = ICMP6_ECHO_REPLY;
    set_checksum6(probed, sweeper, reply, len);
    memcpy(wrong, reply, len);
    for (int i = 0; i < 8; i++)
        wrong[CHECK_OFFSET + i] ^= (uint8_t)(0xa5 + i);
    set_checksum6(probed, sweeper, wrong, len);

    unsigned cut = s->trunc_next6++ % TRUNC_LENGTHS;
    memcpy(pkt, reply, cut);
    set_checksum6(probed, sweeper, pkt, cut);
    s->trunc_seen6[cut]++;
    send6(s, TRUNC6, probed, sweeper, 0, pkt, cut);

    memcpy(pkt, reply, len);
    pkt[2] ^= 0x01;
    pkt[3] ^= 0x10;
    send6(s, BADSUM6, probed, sweeper, 0, pkt, len);

    send6(s, EXTHDR6, probed, sweeper, 1, wrong, len);
    send6(s, WRONGCHECK6, probed, sweeper, 0, wrong, len);
    if (s->cfg.with_foreign6) {
        memcpy(pkt, reply, len);
        set_checksum6(&s->cfg.foreign6, sweeper, pkt, len);
        send6(s, FOREIGN6, &s->cfg.foreign6, sweeper, 0, pkt, len);
    }
    for (long i = 0; i < s->cfg.dups; i++)
        send6(s, DUP6, probed, sweeper, 0, wrong, len);

    /* The request as it was on the wire: what a router would quote. */
    ip6_header(quote, sweeper, probed, IPPROTO_ICMPV6, len, 63);
    memcpy(quote + 40, req, len);

    uint8_t unsent[40 + MAX_PACKET];
    memcpy(unsent, quote, 40 + len);
    uint64_t r = next_random(s);
    memcpy(unsent + 40 + 4, &r, 4);
    memcpy(unsent + 40 + 8, unsent + 40 + 4, 4);
    memcpy(unsent + 40 + CHECK_OFFSET, &r, 8);
    send6(s, ERRUNSENT6, probed, sweeper, 0, pkt, build_error6(pkt, probed, sweeper, unsent, 40 + len));

    unsigned qcut = s->quote_next6++ % QUOTE6_MIN;
    s->quote_seen6[qcut]++;
    send6(s, ERRTRUNC6, probed, sweeper, 0, pkt, build_error6(pkt, probed, sweeper, quote, qcut < 40 + len ? qcut : 40 + len));

    for (int i = 0; i < 8; i++)
        quote[40 + CHECK_OFFSET + i] ^= (uint8_t)(0x3c + i);
    send6(s, ERRCHECK6, probed, sweeper, 0, pkt, build_error6(pkt, probed, sweeper, quote, 40 + len));
}

/* ---- late duplicates of the true reply ---- */

static void queue_late(struct state *s, int family, const void *src, const void *dst, const uint8_t *icmp, size_t len)
{
    if (s->cfg.late_dups <= 0)
        return;
    if (s->late_count == LATE_QUEUE) {
        s->late_dropped++;
        return;
    }
    struct late *l = &s->late[(s->late_head + s->late_count++) % LATE_QUEUE];
    l->due_ns = now_ns() + (uint64_t)s->cfg.late_ms * 1000000ull;
    l->family = family;
    memset(&l->src, 0, sizeof l->src);
    memset(&l->dst, 0, sizeof l->dst);
    memcpy(&l->src, src, family == AF_INET ? 4 : 16);
    memcpy(&l->dst, dst, family == AF_INET ? 4 : 16);
    l->len = (uint16_t)len;
    memcpy(l->icmp, icmp, len);
    if (family == AF_INET) {
        l->icmp[0] = ICMP_ECHOREPLY;
        set_checksum4(l->icmp, len);
    } else {
        l->icmp[0] = ICMP6_ECHO_REPLY;
        set_checksum6(&l->src, &l->dst, l->icmp, len);
    }
}

/* Sends every late duplicate that is due; returns the milliseconds until the next one (-1: none queued). */
static int send_late(struct state *s)
{
    uint64_t t = now_ns();
    while (s->late_count > 0) {
        struct late *l = &s->late[s->late_head];
        if (l->due_ns > t)
            return (int)((l->due_ns - t) / 1000000ull) + 1;
        if (take_tokens(s, (unsigned)s->cfg.late_dups)) {
            for (long i = 0; i < s->cfg.late_dups; i++) {
                if (l->family == AF_INET) {
                    uint32_t src, dst;
                    memcpy(&src, &l->src, 4);
                    memcpy(&dst, &l->dst, 4);
                    send4(s, LATE4, src, dst, NULL, 0, l->icmp, l->len);
                } else {
                    send6(s, LATE6, &l->src, &l->dst, 0, l->icmp, l->len);
                }
            }
        } else {
            s->late_dropped++;
        }
        s->late_head = (s->late_head + 1) % LATE_QUEUE;
        s->late_count--;
    }
    return -1;
}

/* ---- receiving the sweep's requests ---- */

static void drain4(struct state *s)
{
    for (int n = 0; n < 256; n++) {
        uint8_t in[MAX_PACKET];
        ssize_t got = recv(s->sock4, in, sizeof in, MSG_TRUNC);
        if (got < 0)
            return;
        const struct iphdr *ip = (const struct iphdr *)in;
        if ((size_t)got > sizeof in || got < (ssize_t)sizeof *ip) {
            s->ignored++;
            continue;
        }
        size_t ihl = (size_t)ip->ihl * 4;
        if (ihl < sizeof *ip || (size_t)got < ihl + ECHO_MIN || in[ihl] != ICMP_ECHO ||
            (ip->daddr & s->cfg.mask4) != s->cfg.net4 || !lab_address4(ip->saddr)) {
            s->ignored++;
            continue;
        }
        s->requests4++;
        forge4(s, in, (size_t)got);
        queue_late(s, AF_INET, &ip->daddr, &ip->saddr, in + ihl, (size_t)got - ihl);
    }
}

static void drain6(struct state *s, int sock)
{
    for (int n = 0; n < 256; n++) {
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
            return;
        const struct in6_pktinfo *info = NULL;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
            if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO)
                info = (const struct in6_pktinfo *)CMSG_DATA(c);
        if ((size_t)got > sizeof in || got < ECHO_MIN || !info || in[0] != ICMP6_ECHO_REQUEST ||
            !in_prefix6(s->cfg.net6, s->cfg.mask6, &info->ipi6_addr) || !lab_address6(&from.sin6_addr)) {
            s->ignored++;
            continue;
        }
        s->requests6++;
        struct in6_addr probed = info->ipi6_addr;
        forge6(s, &from.sin6_addr, &probed, in, (size_t)got);
        queue_late(s, AF_INET6, &probed, &from.sin6_addr, in, (size_t)got);
    }
}

static int open4(void)
{
    int sock = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
    int on = 1;
    if (sock < 0 || setsockopt(sock, IPPROTO_IP, IP_HDRINCL, &on, sizeof on) < 0) {
        perror("injector: raw IPv4 socket");
        exit(1);
    }
    int rcvbuf = 8 * 1024 * 1024;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct raw_icmp_filter filt = { .data = ~(1u << ICMP_ECHO) };
    setsockopt(sock, SOL_RAW, RAW_ICMP_FILTER, &filt, sizeof filt);
    return sock;
}

static int open6_listen(void)
{
    int sock = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
    int on = 1;
    if (sock < 0 || setsockopt(sock, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) < 0) {
        perror("injector: raw ICMPv6 socket");
        exit(1);
    }
    int rcvbuf = 8 * 1024 * 1024;
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct icmp6_filter filt;
    ICMP6_FILTER_SETBLOCKALL(&filt);
    ICMP6_FILTER_SETPASS(ICMP6_ECHO_REQUEST, &filt);
    setsockopt(sock, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof filt);
    return sock;
}

static int open6_send(void)
{
    /* IPPROTO_RAW: the whole IPv6 packet is ours (header included), and the kernel computes no ICMPv6 checksum. */
    int sock = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
    if (sock < 0) {
        perror("injector: raw IPv6 send socket");
        exit(1);
    }
    return sock;
}

static void report(const struct state *s, const char *why)
{
    fprintf(stderr, "injector: exiting (%s); requests ipv4 %llu ipv6 %llu, skipped (rate) %llu, ignored %llu, late dropped %llu, sent %llu\n",
            why, s->requests4, s->requests6, s->skipped, s->ignored, s->late_dropped, s->total);
    for (int k = 0; k < KINDS; k++) {
        fprintf(stderr, "injector: sent %s %llu failed %llu", kind_names[k], s->sent[k], s->failed[k]);
        if (s->failed[k])
            fprintf(stderr, " (first: %s)", strerror(s->first_errno[k]));
        fputc('\n', stderr);
    }
    /* Which truncation lengths were used: every one at least once is the point. */
    const unsigned long long *seen[4] = { s->trunc_seen4, s->trunc_seen6, s->quote_seen4, s->quote_seen6 };
    const unsigned sizes[4] = { TRUNC_LENGTHS, TRUNC_LENGTHS, QUOTE4_MIN, QUOTE6_MIN };
    const char *names[4] = { "trunc4", "trunc6", "errtrunc4", "errtrunc6" };
    for (int i = 0; i < 4; i++) {
        unsigned covered = 0;
        for (unsigned j = 0; j < sizes[i]; j++)
            covered += seen[i][j] > 0;
        fprintf(stderr, "injector: lengths %s %u of %u (0..%u)\n", names[i], covered, sizes[i], sizes[i] - 1);
    }
}

int main(int argc, char **argv)
{
    struct state s;
    memset(&s, 0, sizeof s);
    s.cfg.dups = 5;
    s.cfg.late_ms = 60;
    s.cfg.pps = 20000;
    s.cfg.max_seconds = 120;
    s.cfg.max_packets = 2000000;
    s.cfg.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (!v) {
            bad = 1;
        } else if (!strcmp(a, "--prefix")) {
            bad = parse_prefix4(v, &s.cfg.net4, &s.cfg.mask4) < 0;
            s.cfg.with4 = 1;
        } else if (!strcmp(a, "--prefix6")) {
            bad = parse_prefix6(v, s.cfg.net6, s.cfg.mask6) < 0;
            s.cfg.with6 = 1;
        } else if (!strcmp(a, "--foreign")) {
            bad = inet_pton(AF_INET, v, &s.cfg.foreign4) != 1 || !lab_address4(s.cfg.foreign4.s_addr);
            s.cfg.with_foreign4 = 1;
        } else if (!strcmp(a, "--foreign6")) {
            bad = inet_pton(AF_INET6, v, &s.cfg.foreign6) != 1 || !lab_address6(&s.cfg.foreign6);
            s.cfg.with_foreign6 = 1;
        } else if (!strcmp(a, "--dups")) {
            s.cfg.dups = strtol(v, NULL, 10);
            bad = s.cfg.dups < 0 || s.cfg.dups > 100;
        } else if (!strcmp(a, "--late-dups")) {
            s.cfg.late_dups = strtol(v, NULL, 10);
            bad = s.cfg.late_dups < 0 || s.cfg.late_dups > 100;
        } else if (!strcmp(a, "--late-ms")) {
            s.cfg.late_ms = strtol(v, NULL, 10);
            bad = s.cfg.late_ms < 0 || s.cfg.late_ms > 10000;
        } else if (!strcmp(a, "--pps")) {
            s.cfg.pps = strtol(v, NULL, 10);
            bad = s.cfg.pps < 1 || s.cfg.pps > 1000000;
        } else if (!strcmp(a, "--max-packets")) {
            s.cfg.max_packets = strtoull(v, NULL, 10);
            bad = s.cfg.max_packets < 1 || s.cfg.max_packets > 100000000ull;
        } else if (!strcmp(a, "--max-seconds")) {
            s.cfg.max_seconds = strtol(v, NULL, 10);
            bad = s.cfg.max_seconds < 1 || s.cfg.max_seconds > 3600;
        } else if (!strcmp(a, "--seed")) {
            s.cfg.seed = strtoull(v, NULL, 10);
        } else {
            bad = 1;
        }
        if (bad) {
            fprintf(stderr, "usage: %s [--prefix A.B.C.D/LEN] [--prefix6 X::/LEN] [--foreign A.B.C.D] [--foreign6 X::Y] [--dups 0..100]\n"
                            "       [--late-dups 0..100] [--late-ms MS] [--pps N] [--max-packets N] [--max-seconds 1..3600] [--seed N]\n"
                            "(--foreign addresses must be in 198.18.0.0/15 or 2001:2::/48)\n", argv[0]);
            return 2;
        }
        i++;
    }
    if (!s.cfg.with4 && !s.cfg.with6) {
        fprintf(stderr, "injector: give --prefix and/or --prefix6: the destinations whose requests to answer\n");
        return 2;
    }
    s.rng = s.cfg.seed ? s.cfg.seed : 1;
    s.tokens = 0;
    s.refilled_ns = now_ns();
    /* Started in the background: drop inherited descriptors so no caller waits on us for EOF. */
    close_range(3, ~0u, 0);

    s.late = calloc(LATE_QUEUE, sizeof *s.late);
    if (!s.late) {
        perror("injector: calloc");
        return 1;
    }
    /* IPv4 receives and sends on one socket (IP_HDRINCL); IPv6 receives on an ICMPv6 socket and sends on an IPPROTO_RAW one. */
    s.sock4 = s.cfg.with4 ? open4() : -1;
    int listen6 = s.cfg.with6 ? open6_listen() : -1;
    s.raw6 = s.cfg.with6 ? open6_send() : -1;

    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigprocmask(SIG_BLOCK, &sigs, NULL);
    int sfd = signalfd(-1, &sigs, SFD_NONBLOCK | SFD_CLOEXEC);
    if (sfd < 0) {
        perror("injector: signalfd");
        return 1;
    }

    fprintf(stderr, "injector: pid %d, seed %llu, dups %ld, late dups %ld after %ld ms, %ld pps, at most %llu packets and %ld s\n",
            (int)getpid(), (unsigned long long)s.cfg.seed, s.cfg.dups, s.cfg.late_dups, s.cfg.late_ms, s.cfg.pps,
            s.cfg.max_packets, s.cfg.max_seconds);

    uint64_t end = now_ns() + (uint64_t)s.cfg.max_seconds * 1000000000ull;
    struct pollfd pfds[3] = {
        { .fd = s.sock4, .events = POLLIN },
        { .fd = listen6, .events = POLLIN },
        { .fd = sfd, .events = POLLIN },
    };
    const char *why = "time limit";
    for (;;) {
        uint64_t t = now_ns();
        if (t >= end)
            break;
        if (s.total >= s.cfg.max_packets) {
            why = "packet limit";
            break;
        }
        int wait = send_late(&s);
        int left = (int)((end - t) / 1000000ull) + 1;
        if (wait < 0 || wait > left)
            wait = left;
        if (poll(pfds, 3, wait) < 0) {
            if (errno == EINTR)
                continue;
            perror("injector: poll");
            return 1;
        }
        if (pfds[2].revents & POLLIN) {
            why = "signal";
            break;
        }
        if (pfds[0].revents & POLLIN)
            drain4(&s);
        if (pfds[1].revents & POLLIN)
            drain6(&s, listen6);
    }
    report(&s, why);
    free(s.late);
    return 0;
}
