/*
 * icmp-blast.c - the physical-limit baseline for a full-rate IPv4 ICMP echo sweep.
 *
 * What Bench-SweepSlash8.ps1 races Invoke-ParallelPing against: the least a program can do to
 * send one echo request to every address of a range and learn which addresses answered.
 * One raw ICMP socket, shared by two threads:
 *   sender    one echo request per address, in order, as fast as the kernel takes them
 *             (or paced at --rate); sendto per packet, or sendmmsg in batches with --mmsg;
 *   receiver  reads echo replies (recvfrom, or recvmmsg with --mmsg), keeps only ours and
 *             marks each replying address in a bitmap sized to the range; it stops when every
 *             address has answered, or --wait-ms after the last send. With --batch-wait-us N,
 *             after a drain of at least 16 packets it sleeps N microseconds before polling again,
 *             so a busy socket is read in batches instead of waking the thread per packet (the
 *             same trick as PingSweep's ReadCoalescing; the 32 MB buffer absorbs the wait).
 * Nothing else: no per-host state beyond one bit, no RTTs, no retries, no output per host.
 *
 * Usage: icmp-blast [--mmsg] [--batch-wait-us N] [--rate PPS] [--wait-ms MS] [--rcvbuf BYTES] [--max-seconds S] TARGET
 *   TARGET  A.B.C.D/LEN (network and broadcast left out below /31, the module's and fping's rule)
 *           or A.B.C.D-E.F.G.H (inclusive), inside 127.0.0.0/8: anything else is refused.
 * Prints one JSON line: {"io":"sendto","hosts":N,"sent":S,"send_errors":E,"replies":R,
 *   "distinct":D,"duplicates":U,"foreign":F,"rcvbuf":B,"rate":P,"finished":true,"send_seconds":...,
 *   "seconds":...,"cpu_seconds":...,"pps":...}
 *   distinct  addresses that answered at least once (each counted once);
 *   foreign   ICMP echo replies that were not ours (another pinger's, or failing the check);
 *   seconds   first send to the last reply (or to the end of the wait);
 *   cpu_seconds  user + system CPU of both threads (the kernel's work for our packets included);
 *   pps       distinct / seconds: addresses settled per second, the figure compared with PingSweep.
 * Exit status 0 when it ran (whatever answered), 2 on a usage or socket error.
 *
 * Bounded: at most 2^24 addresses (a /8), one probe each, and --max-seconds (default 600) overall.
 * Needs CAP_NET_RAW. Build: gcc -O2 -pthread -o icmp-blast icmp-blast.c
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ICMP_FILTER from <linux/icmp.h>, which clashes with <netinet/ip_icmp.h>: a bitmask of the ICMP
 * types the raw socket should NOT receive. Without it, on loopback the socket would also queue
 * every echo request we send, halving the useful receive buffer. */
#define RAW_ICMP_FILTER 1
struct raw_icmp_filter {
    uint32_t data;
};

#define MAX_HOSTS (1u << 24)
#ifndef BATCH
#define BATCH 64 /* messages per sendmmsg/recvmmsg call; 16, 256 and 1024 measured within the noise of 64 */
#endif
#define PAYLOAD 16        /* cookie (8) + address (4) + pad (4): the minimum that proves a reply is ours */
#define PACKET (8 + PAYLOAD)
#define RECV_MAX 128      /* IP header (<= 60) + ICMP header + our payload, with room */

struct echo {
    struct icmphdr icmp;
    uint64_t cookie;      /* random per run: another pinger with our identifier still fails this */
    uint32_t address;     /* network order: the reply must come from the address it was sent to */
    uint32_t pad;
};

static int sock;
static uint16_t ident;
static uint64_t cookie;
static uint32_t first, hosts;
static long rate;
static int use_mmsg;
static long batch_wait_us;              /* 0: poll again at once after a drain */
static uint8_t *answered;                 /* one bit per address, receiver thread only */
static atomic_int sender_done;
static atomic_uint_fast64_t last_send_ns;
static uint64_t sent, send_errors, send_end_ns;
static uint64_t replies, distinct, duplicates, foreign;

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* RFC 1071 Internet checksum, in network byte order. */
static uint16_t inet_checksum(const void *data, size_t len)
{
    const uint16_t *p = data;
    uint32_t sum = 0;
    for (; len > 1; len -= 2)
        sum += *p++;
    if (len)
        sum += *(const uint8_t *)p;
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void fill_echo(struct echo *e, struct sockaddr_in *to, uint32_t index)
{
    uint32_t address = first + index;
    memset(e, 0, sizeof *e);
    e->icmp.type = ICMP_ECHO;
    e->icmp.un.echo.id = htons(ident);
    e->icmp.un.echo.sequence = htons((uint16_t)index);
    e->cookie = cookie;
    e->address = htonl(address);
    e->icmp.checksum = inet_checksum(e, sizeof *e);
    memset(to, 0, sizeof *to);
    to->sin_family = AF_INET;
    to->sin_addr.s_addr = htonl(address);
}

/* Token bucket for --rate: sleep until the i-th packet is due. Unpaced when rate == 0. */
static void pace(uint64_t start, uint64_t i)
{
    if (rate <= 0)
        return;
    uint64_t due = start + i * 1000000000ull / (uint64_t)rate;
    uint64_t now = now_ns();
    if (due > now + 50000) {
        struct timespec ts = { (time_t)((due - now) / 1000000000ull), (long)((due - now) % 1000000000ull) };
        nanosleep(&ts, NULL);
    }
}

static void *sender(void *unused)
{
    (void)unused;
    uint64_t start = now_ns();
    if (!use_mmsg) {
        struct echo e;
        struct sockaddr_in to;
        for (uint32_t i = 0; i < hosts; i++) {
            pace(start, i);
            fill_echo(&e, &to, i);
            /* Blocking socket: a full send buffer waits instead of failing, as a sweeper should. */
            if (sendto(sock, &e, sizeof e, 0, (struct sockaddr *)&to, sizeof to) == (ssize_t)sizeof e)
                sent++;
            else
                send_errors++;
            if ((i & 1023) == 0)
                atomic_store(&last_send_ns, now_ns());
        }
    } else {
        static struct echo e[BATCH];
        static struct sockaddr_in to[BATCH];
        static struct iovec iov[BATCH];
        static struct mmsghdr msg[BATCH];
        for (uint32_t i = 0; i < hosts;) {
            unsigned n = hosts - i < BATCH ? hosts - i : BATCH;
            pace(start, i);
            for (unsigned k = 0; k < n; k++) {
                fill_echo(&e[k], &to[k], i + k);
                iov[k] = (struct iovec){ &e[k], sizeof e[k] };
                msg[k].msg_hdr = (struct msghdr){ .msg_name = &to[k], .msg_namelen = sizeof to[k], .msg_iov = &iov[k], .msg_iovlen = 1 };
            }
            /* sendmmsg stops at the first failing message: count it as an error and go past it. */
            int done = sendmmsg(sock, msg, n, 0);
            if (done < 0)
                done = 0;
            sent += (unsigned)done;
            if ((unsigned)done < n) {
                send_errors++;
                done++;
            }
            i += (unsigned)done;
            atomic_store(&last_send_ns, now_ns());
        }
    }
    send_end_ns = now_ns();
    atomic_store(&last_send_ns, send_end_ns);
    atomic_store(&sender_done, 1);
    return NULL;
}

/* Marks one received datagram (IP header included, as a raw socket delivers it). */
static void take(const uint8_t *buf, ssize_t len)
{
    if (len < 20)
        return;
    const struct iphdr *ip = (const struct iphdr *)buf;
    size_t ihl = (size_t)ip->ihl * 4;
    if (ihl < 20 || (size_t)len < ihl + PACKET) {
        foreign++;
        return;
    }
    struct echo e;
    memcpy(&e, buf + ihl, sizeof e);
    uint32_t from = ntohl(ip->saddr);
    if (e.icmp.type != ICMP_ECHOREPLY || ntohs(e.icmp.un.echo.id) != ident || e.cookie != cookie
        || ntohl(e.address) != from || from - first >= hosts) {
        foreign++;
        return;
    }
    replies++;
    uint32_t index = from - first;
    uint8_t bit = (uint8_t)(1u << (index & 7));
    if (answered[index >> 3] & bit) {
        duplicates++;
    } else {
        answered[index >> 3] |= bit;
        distinct++;
    }
}

/* Runs on the main thread; returns the time of the last reply (or of giving up). */
static uint64_t receive(uint64_t wait_ns, uint64_t deadline_ns)
{
    static uint8_t buf[BATCH][RECV_MAX];
    static struct iovec iov[BATCH];
    static struct mmsghdr msg[BATCH];
    for (unsigned k = 0; k < BATCH; k++) {
        iov[k] = (struct iovec){ buf[k], RECV_MAX };
        msg[k].msg_hdr = (struct msghdr){ .msg_iov = &iov[k], .msg_iovlen = 1 };
    }
    uint64_t last_reply = now_ns();
    struct pollfd pfd = { .fd = sock, .events = POLLIN };
    while (distinct < hosts) {
        uint64_t now = now_ns();
        if (now > deadline_ns)
            break;
        if (atomic_load(&sender_done) && now > atomic_load(&last_send_ns) + wait_ns)
            break;
        if (poll(&pfd, 1, 10) <= 0)
            continue;
        /* Drain what is queued before polling again. */
        unsigned drained = 0;
        for (;;) {
            if (use_mmsg) {
                int n = recvmmsg(sock, msg, BATCH, MSG_DONTWAIT, NULL);
                if (n <= 0)
                    break;
                for (int k = 0; k < n; k++)
                    take(buf[k], (ssize_t)msg[k].msg_len);
                drained += (unsigned)n;
            } else {
                ssize_t len = recv(sock, buf[0], RECV_MAX, MSG_DONTWAIT);
                if (len < 0)
                    break;
                take(buf[0], len);
                drained++;
            }
            if (distinct == hosts)
                break;
        }
        last_reply = now_ns();
        /* A busy socket: let a batch gather rather than wake for each packet. */
        if (batch_wait_us > 0 && drained >= 16 && distinct < hosts) {
            struct timespec ts = { 0, batch_wait_us * 1000 };
            nanosleep(&ts, NULL);
        }
    }
    return distinct == hosts ? last_reply : now_ns();
}

static int parse_target(const char *text)
{
    char a[32], b[32];
    unsigned len;
    struct in_addr x, y;
    if (sscanf(text, "%31[0-9.]/%u", a, &len) == 2 && len <= 32 && inet_pton(AF_INET, a, &x) == 1) {
        uint64_t size = 1ull << (32 - len);
        uint64_t base = ntohl(x.s_addr) & ~(size - 1) & 0xffffffffull;
        if (len < 31) {
            base++;
            size -= 2;
        }
        if (size > MAX_HOSTS)
            return -1;
        first = (uint32_t)base;
        hosts = (uint32_t)size;
        return 0;
    }
    if (sscanf(text, "%31[0-9.]-%31[0-9.]", a, b) == 2 && inet_pton(AF_INET, a, &x) == 1 && inet_pton(AF_INET, b, &y) == 1
        && ntohl(y.s_addr) >= ntohl(x.s_addr) && ntohl(y.s_addr) - ntohl(x.s_addr) < MAX_HOSTS) {
        first = ntohl(x.s_addr);
        hosts = ntohl(y.s_addr) - first + 1;
        return 0;
    }
    return -1;
}

int main(int argc, char **argv)
{
    long wait_ms = 200, max_seconds = 600;
    int rcvbuf = 32 * 1024 * 1024;
    const char *target = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--mmsg"))
            use_mmsg = 1;
        else if (!strcmp(argv[i], "--batch-wait-us") && i + 1 < argc)
            batch_wait_us = atol(argv[++i]);
        else if (!strcmp(argv[i], "--rate") && i + 1 < argc)
            rate = atol(argv[++i]);
        else if (!strcmp(argv[i], "--wait-ms") && i + 1 < argc)
            wait_ms = atol(argv[++i]);
        else if (!strcmp(argv[i], "--rcvbuf") && i + 1 < argc)
            rcvbuf = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--max-seconds") && i + 1 < argc)
            max_seconds = atol(argv[++i]);
        else if (argv[i][0] != '-' && !target)
            target = argv[i];
        else
            target = NULL, i = argc;
    }
    /* Loopback only, by construction: this tool runs on a machine whose network is watched, and its
     * job is the loopback physical limit. Every 127.0.0.0/8 address is local on Linux. */
    if (target && parse_target(target) == 0 && (first >> 24 != 127 || (first + hosts - 1) >> 24 != 127)) {
        fprintf(stderr, "icmp-blast: %s is not inside 127.0.0.0/8; this baseline sweeps loopback only\n", target);
        return 2;
    }
    if (!target || parse_target(target) < 0 || wait_ms < 0 || max_seconds <= 0 || batch_wait_us < 0 || batch_wait_us > 999999) {
        fprintf(stderr, "usage: icmp-blast [--mmsg] [--batch-wait-us 0-999999] [--rate PPS] [--wait-ms MS] [--rcvbuf BYTES] [--max-seconds S] A.B.C.D/LEN|A-B (at most 2^24 addresses)\n");
        return 2;
    }

    sock = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP);
    if (sock < 0) {
        perror("icmp-blast: socket(SOCK_RAW, IPPROTO_ICMP) (needs CAP_NET_RAW)");
        return 2;
    }
    /* FORCE goes past net.core.rmem_max (needs CAP_NET_ADMIN); the kernel doubles the figure for its
     * bookkeeping. Report what was granted, so a small buffer is visible in the output. */
    if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) < 0)
        setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    int granted = 0;
    socklen_t glen = sizeof granted;
    getsockopt(sock, SOL_SOCKET, SO_RCVBUF, &granted, &glen);
    struct raw_icmp_filter filt = { .data = ~(1u << ICMP_ECHOREPLY) };
    if (setsockopt(sock, SOL_RAW, RAW_ICMP_FILTER, &filt, sizeof filt) < 0) {
        perror("icmp-blast: ICMP_FILTER");
        return 2;
    }
    answered = calloc((hosts + 7) / 8, 1);
    if (!answered || getrandom(&cookie, sizeof cookie, 0) != sizeof cookie) {
        perror("icmp-blast: setup");
        return 2;
    }
    ident = (uint16_t)getpid();

    uint64_t start = now_ns();
    atomic_store(&last_send_ns, start);
    pthread_t tid;
    if (pthread_create(&tid, NULL, sender, NULL) != 0) {
        perror("icmp-blast: pthread_create");
        return 2;
    }
    uint64_t deadline = start + (uint64_t)max_seconds * 1000000000ull;
    uint64_t end = receive((uint64_t)wait_ms * 1000000ull, deadline);
    /* The last reply can be read before the sender has marked itself done (on loopback the reply is
     * made inside the sender's own sendto): then it is about to finish, so wait for it. Only when
     * --max-seconds ran out is it left running, and what it has sent so far is an estimate. */
    int finished = distinct == hosts || now_ns() <= deadline;
    if (finished)
        pthread_join(tid, NULL);
    else
        fprintf(stderr, "icmp-blast: --max-seconds %ld reached before the sender finished\n", max_seconds);
    double seconds = (double)(end - start) / 1e9;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru); /* both threads: user + system CPU, to compare with the sweeper's */
    double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
    printf("{\"io\":\"%s\",\"target\":\"%s\",\"hosts\":%u,\"sent\":%llu,\"send_errors\":%llu,\"replies\":%llu,"
           "\"distinct\":%llu,\"duplicates\":%llu,\"foreign\":%llu,\"rcvbuf\":%d,\"rate\":%ld,\"finished\":%s,"
           "\"send_seconds\":%.6f,\"seconds\":%.6f,\"cpu_seconds\":%.3f,\"pps\":%.0f}\n",
           use_mmsg ? (batch_wait_us > 0 ? "mmsg-batched" : "mmsg") : "sendto", target, hosts, (unsigned long long)sent, (unsigned long long)send_errors,
           (unsigned long long)replies, (unsigned long long)distinct, (unsigned long long)duplicates,
           (unsigned long long)foreign, granted, rate, finished ? "true" : "false",
           finished ? (double)(send_end_ns - start) / 1e9 : -1.0, seconds, cpu, seconds > 0 ? (double)distinct / seconds : 0.0);
    fflush(stdout);
    _exit(0);
}
