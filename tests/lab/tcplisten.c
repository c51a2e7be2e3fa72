/*
 * tcplisten.c - accepts TCP connections on given ports and closes them at once.
 *
 * Part of the PingSweep test lab (tests/lab/lab.sh). It gives the lab hosts
 * with an open TCP port: run inside a namespace that owns a whole prefix
 * through an AnyIP "local" route, a socket bound to the wildcard address
 * accepts connections to every address of that prefix, so one listener makes
 * a whole range "open" on its port. Every other port of those addresses is
 * closed: the kernel answers a SYN there with a reset.
 *
 * Design:
 *   - One dual-stack socket per port ([::]:PORT with IPV6_V6ONLY off), so
 *     IPv4 and IPv6 connections are accepted alike.
 *   - The listen backlog is as large as the kernel allows (net.core.somaxconn,
 *     which lab.sh raises in the namespace), so a sweeper connecting to a /16
 *     at full rate does not overflow the accept queue.
 *   - One epoll loop; on readiness, accept4 until EAGAIN and close each new
 *     connection immediately. Nothing is read or written. A connection the
 *     sweeper already reset is accepted and closed like any other
 *     (ECONNABORTED is skipped).
 *   - No thread per connection, no polling sleep. SIGTERM/SIGINT arrive
 *     through a signalfd and end the loop, printing the count to stderr.
 *
 * Usage: tcplisten --port N [--port N]...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_PORTS 16

static int open_listener(int port)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("tcplisten: socket");
        exit(1);
    }
    int off = 0, on = 1;
    if (setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
        perror("tcplisten: setsockopt");
        exit(1);
    }
    struct sockaddr_in6 address;
    memset(&address, 0, sizeof address);
    address.sin6_family = AF_INET6;
    address.sin6_addr = in6addr_any;
    address.sin6_port = htons((uint16_t)port);
    if (bind(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        fprintf(stderr, "tcplisten: bind to port %d: %s\n", port, strerror(errno));
        exit(1);
    }
    /* The kernel caps the backlog at net.core.somaxconn. */
    if (listen(fd, 65535) != 0) {
        perror("tcplisten: listen");
        exit(1);
    }
    return fd;
}

int main(int argc, char **argv)
{
    int ports[MAX_PORTS];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--port") == 0 && i + 1 < argc && count < MAX_PORTS) {
            int port = atoi(argv[++i]);
            if (port < 1 || port > 65535) {
                fprintf(stderr, "tcplisten: bad port '%s'\n", argv[i]);
                return 2;
            }
            ports[count++] = port;
        } else {
            fprintf(stderr, "usage: tcplisten --port N [--port N]... (at most %d)\n", MAX_PORTS);
            return 2;
        }
    }
    if (count == 0) {
        fprintf(stderr, "usage: tcplisten --port N [--port N]...\n");
        return 2;
    }

    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    sigprocmask(SIG_BLOCK, &signals, NULL);
    int sfd = signalfd(-1, &signals, SFD_CLOEXEC | SFD_NONBLOCK);
    int epfd = epoll_create1(EPOLL_CLOEXEC);
    if (sfd < 0 || epfd < 0) {
        perror("tcplisten: signalfd/epoll_create1");
        return 1;
    }
    struct epoll_event event = { .events = EPOLLIN, .data.fd = sfd };
    epoll_ctl(epfd, EPOLL_CTL_ADD, sfd, &event);
    for (int i = 0; i < count; i++) {
        int fd = open_listener(ports[i]);
        event.events = EPOLLIN;
        event.data.fd = fd;
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event) != 0) {
            perror("tcplisten: epoll_ctl");
            return 1;
        }
    }

    fprintf(stderr, "tcplisten: pid %d, listening on %d port(s)\n", (int)getpid(), count);
    unsigned long long accepted = 0;
    struct epoll_event ready[64];
    for (;;) {
        int n = epoll_wait(epfd, ready, 64, -1);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            perror("tcplisten: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            int fd = ready[i].data.fd;
            if (fd == sfd) {
                fprintf(stderr, "tcplisten: stopping; %llu connection(s) accepted\n", accepted);
                return 0;
            }
            for (;;) {
                int conn = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
                if (conn < 0) {
                    if (errno == EINTR || errno == ECONNABORTED)
                        continue;
                    if (errno != EAGAIN && errno != EWOULDBLOCK) {
                        /* EMFILE and the like: the queue keeps the connection; try again on the next wake-up. */
                        perror("tcplisten: accept4");
                    }
                    break;
                }
                close(conn);
                accepted++;
            }
        }
    }
}
