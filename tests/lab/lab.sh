#!/usr/bin/env bash
# lab.sh - the PingSweep test network, built from Linux network namespaces.
#
#   lab.sh up [--delay-ms N] [--with-fping] [--with-ping]   build the lab (tears down leftovers first)
#   lab.sh down                               remove it (idempotent, never fails)
#   lab.sh status                             what exists right now
#   lab.sh exec [--resolv-conf FILE] CMD [ARGS...]
#                                             run CMD inside the sweeper namespace (with FILE as /etc/resolv.conf)
#   lab.sh exec-unprivileged [--resolv-conf FILE] [--expose DIR]... CMD [ARGS...]
#                                             the same, as the unprivileged lab user (pswlab), no capabilities
#   lab.sh check                              can namespaces be made here? exit 0 yes, 1 no (+ reason)
#   lab.sh plan [--delay-ms N]                print the address plan as JSON (lab-plan.json)
#   lab.sh inject dead|delay ARGS...          run injector.c (hostile answers to a sweep) in that namespace, in the
#                                             foreground; ARGS are the injector's (see tests/lab/injector.c)
#
# NETWORK SAFETY: the sweeper namespace has NO default route, IPv4 or IPv6, only
# explicit routes to the lab prefixes below, all inside 198.18.0.0/15 (RFC 2544)
# and 2001:2::/48 (RFC 5180), the benchmarking ranges. Nothing is configured in
# the host namespace.
#
# Topology (all namespaces prefixed psw-):
#
#   psw-sweeper --sw-alive/al-sweeper--> psw-alive   198.18.0.0/16, 2001:2:0:1::/64 AnyIP, kernel answers
#       |  |\-----sw-void/vo-sweeper---> psw-void    no addresses: on-link ARP/ND fails (198.19.4.0/24, 198.19.32.0/20, 2001:2:0:20::/120)
#       |  \------sw-lan/ln-sweeper----> psw-lan     three link-local IPv6 hosts (macvlan) for discovery via ff02::1
#       |  |------sw-quiet/qt-sweeper--> psw-quiet   198.19.7.10-11, 2001:2:0:21::10-11 (macvlans): drop all IP, answer ARP/NDP
#       |  |------sw-dns/dn-sweeper----> psw-dns     dnsmasq at 198.19.8.53 (PTR records); 198.19.9.53 drops every query
#       \--sw-router/rt-sweeper--> psw-router        forwards; REJECTs 198.19.3.0/24 host-unreachable, 2001:2:0:13::/120 address-unreachable
#                                     |--rt-delay--> psw-delay  198.19.0.0/24, 2001:2:0:10::/120: responder.c answers after delay
#                                     |--rt-lossy--> psw-lossy  198.19.1.0/24, 2001:2:0:11::/120: kernel answers, 50% of replies dropped
#                                     \--rt-dead---> psw-dead   198.19.2.0/24, 198.19.16.0/20, 2001:2:0:12::/120 (and the routed
#                                                                unreachable ranges), never answer
#   psw-sweeper --sw-tcp/tc-sweeper--> psw-tcp   AnyIP, drops ICMP echo: 198.19.5.0/24 + 2001:2:0:30::/120 accept TCP
#                                                port 22 (tcplisten.c), reset other ports; 198.19.6.0/24 + 2001:2:0:31::/120
#                                                drop everything. (psw-alive also accepts TCP port 80 on every address.)
set -euo pipefail

# ---- address plan (keep lab-plan.json in sync: `lab.sh plan > lab-plan.json`) ----
# PSW_LAB_NS_PREFIX names the namespaces (default psw: psw-sweeper, psw-alive, ...), so that two independent
# labs (two worktrees, two test runs) can exist on one machine at once. The addresses are the same in each:
# every lab is a closed world, reachable only from its own sweeper namespace.
NS_PREFIX=${PSW_LAB_NS_PREFIX:-psw}
[[ $NS_PREFIX =~ ^[a-z][a-z0-9]{0,5}$ ]] || { echo "lab: ERROR: PSW_LAB_NS_PREFIX must be 1-6 lower-case letters/digits" >&2; exit 1; }
NS_SWEEPER=$NS_PREFIX-sweeper
NS_ALIVE=$NS_PREFIX-alive
NS_ROUTER=$NS_PREFIX-router
NS_DELAY=$NS_PREFIX-delay
NS_LOSSY=$NS_PREFIX-lossy
NS_DEAD=$NS_PREFIX-dead
NS_VOID=$NS_PREFIX-void
NS_LAN=$NS_PREFIX-lan
ALL_NS=("$NS_SWEEPER" "$NS_ALIVE" "$NS_ROUTER" "$NS_DELAY" "$NS_LOSSY" "$NS_DEAD" "$NS_VOID" "$NS_LAN")

# TCP probes (issue 8): one more namespace, psw-tcp, linked to the sweeper. Kept together here and in the tcp_lab_*
# functions below, apart from the rest of the plan.
NS_TCP=$NS_PREFIX-tcp
ALL_NS+=("$NS_TCP")
TCP_ONLY_PREFIX=198.19.5.0/24        # drops ICMP echo; TCP port TCP_OPEN_PORT accepts, other ports reset
TCP_DROP_PREFIX=198.19.6.0/24        # drops everything, ICMP and TCP
TCP_ONLY6_PREFIX=2001:2:0:30::/120   # the same over IPv6
TCP_DROP6_PREFIX=2001:2:0:31::/120
TCP_OPEN_PORT=22                     # the one port tcplisten.c accepts in psw-tcp
BENCH_TCP_PORT=80                    # tcplisten.c in psw-alive accepts this port on every alive address (benchmarks)
SWEEPER_TCP_ADDR=198.19.255.41   TCP_LINK_ADDR=198.19.255.42        # 198.19.255.40/30
SWEEPER_TCP_ADDR6=2001:2:0:ff10::1  TCP_LINK_ADDR6=2001:2:0:ff10::2  # 2001:2:0:ff10::/64
TCP_LISTEN_BACKLOG=65535             # net.core.somaxconn in the listening namespaces

ALIVE_PREFIX=198.18.0.0/16        # whole /16 answers, fast (AnyIP + kernel echo)
DELAYED_PREFIX=198.19.0.0/24      # answers after DELAY_MS (responder.c)
LOSSY_PREFIX=198.19.1.0/24        # kernel answers, LOSS_PROBABILITY of replies dropped
DEAD_PREFIX=198.19.2.0/24         # owned and routed, never answers
UNREACHABLE_PREFIX=198.19.3.0/24  # router answers ICMP host-unreachable
ONLINK_PREFIX=198.19.4.0/24       # on-link to the sweeper, nobody there: ARP fails
DEAD_WIDE_PREFIX=198.19.16.0/20   # 4096 more silent addresses in psw-dead (benchmarks: a dead /20)
ONLINK_WIDE_PREFIX=198.19.32.0/20 # on-link and empty like ONLINK, big enough to fill the kernel's ARP queues
ROUTED_PREFIX=198.19.0.0/22       # DELAYED+LOSSY+DEAD+UNREACHABLE, routed via psw-router
LINK_PREFIX=198.19.255.0/24       # point-to-point /30 links between namespaces

SWEEPER_ALIVE_ADDR=198.19.255.1   ALIVE_LINK_ADDR=198.19.255.2    # 198.19.255.0/30
SWEEPER_ROUTER_ADDR=198.19.255.5  ROUTER_SWEEPER_ADDR=198.19.255.6 # 198.19.255.4/30
ROUTER_DELAY_ADDR=198.19.255.9    DELAY_LINK_ADDR=198.19.255.10   # 198.19.255.8/30
ROUTER_LOSSY_ADDR=198.19.255.13   LOSSY_LINK_ADDR=198.19.255.14   # 198.19.255.12/30
ROUTER_DEAD_ADDR=198.19.255.17    DEAD_LINK_ADDR=198.19.255.18    # 198.19.255.16/30

# IPv6: every address from the benchmarking prefix 2001:2::/48 (RFC 5180), and the same rules: the sweeper
# has NO IPv6 default route either, only explicit routes to these prefixes.
ALIVE6_PREFIX=2001:2:0:1::/64        # AnyIP in psw-alive: every address answers (kernel echo)
ALIVE6_SWEEP=2001:2:0:1::/112        # the part of it the tests and the /112 benchmark sweep
DELAYED6_PREFIX=2001:2:0:10::/120    # answers after DELAY_MS (responder.c, ICMPv6)
LOSSY6_PREFIX=2001:2:0:11::/120      # kernel answers, LOSS_PROBABILITY of replies dropped (ip6tables)
DEAD6_PREFIX=2001:2:0:12::/120       # owned and routed, never answers (icmp echo_ignore_all)
UNREACHABLE6_PREFIX=2001:2:0:13::/120 # router answers ICMPv6 address-unreachable
ROUTED6_PREFIX=2001:2:0:10::/62      # DELAYED6+LOSSY6+DEAD6+UNREACHABLE6, routed via psw-router
ONLINK6_PREFIX=2001:2:0:20::/120     # on-link to the sweeper through sw-void, nobody answers neighbour solicitation
LINK6_PREFIX=2001:2:0:ff00::/56      # one /64 per link between namespaces

SWEEPER_ALIVE_ADDR6=2001:2:0:ff00::1   ALIVE_LINK_ADDR6=2001:2:0:ff00::2    # 2001:2:0:ff00::/64
SWEEPER_ROUTER_ADDR6=2001:2:0:ff01::1  ROUTER_SWEEPER_ADDR6=2001:2:0:ff01::2 # 2001:2:0:ff01::/64
ROUTER_DELAY_ADDR6=2001:2:0:ff02::1    DELAY_LINK_ADDR6=2001:2:0:ff02::2    # 2001:2:0:ff02::/64
ROUTER_LOSSY_ADDR6=2001:2:0:ff03::1    LOSSY_LINK_ADDR6=2001:2:0:ff03::2    # 2001:2:0:ff03::/64
ROUTER_DEAD_ADDR6=2001:2:0:ff04::1     DEAD_LINK_ADDR6=2001:2:0:ff04::2     # 2001:2:0:ff04::/64
# The sweeper's link-local address on the links where it needs one of its own: sw-void (the source of its
# neighbour solicitations) and sw-lan (the source of link discovery to ff02::1).
SWEEPER_LINKLOCAL6=fe80::1
# psw-lan: three hosts on one link for IPv6 link discovery (macvlan interfaces on one veth end). They have
# link-local addresses only, so only a probe to ff02::1 on sw-lan finds them.
LAN_HOSTS6=(fe80::11 fe80::12 fe80::13)

# Discovery (issue 8): hosts found without an echo reply, hardware addresses and names. All IPv4 here is routed or
# on-link from the sweeper only; psw-dns is reached through a /30 from the top of LINK_PREFIX.
NS_QUIET=$NS_PREFIX-quiet
NS_DNS=$NS_PREFIX-dns
ALL_NS+=("$NS_QUIET" "$NS_DNS")
QUIET_PREFIX=198.19.7.0/24           # on-link to the sweeper through sw-quiet (the sweeper is .1)
SWEEPER_QUIET_ADDR=198.19.7.1
QUIET_HOSTS=(198.19.7.10 198.19.7.11) # drop every IP packet, answer ARP: found only through the neighbour table
QUIET_ABSENT=198.19.7.20             # nobody: a test gives it a stale neighbour entry before a sweep
QUIET6_PREFIX=2001:2:0:21::/120      # the same link for IPv6: the quiet hosts answer neighbour solicitation only
SWEEPER_QUIET_ADDR6=2001:2:0:21::1
QUIET_HOSTS6=(2001:2:0:21::10 2001:2:0:21::11)
QUIET_ABSENT6=2001:2:0:21::20
# The first quiet host's MAC has a registered OUI (00:50:56, VMware); the second keeps the kernel's random,
# locally administered one.
QUIET_KNOWN_MAC=00:50:56:07:00:10
QUIET_KNOWN_VENDOR=VMware
SWEEPER_DNS_ADDR=198.19.255.201   DNS_LINK_ADDR=198.19.255.202    # 198.19.255.200/30
RESOLVER_ADDR=198.19.8.53         # dnsmasq: PTR records for the quiet hosts and for 198.18.0.0/24
DEAD_RESOLVER_ADDR=198.19.9.53    # a resolver that never answers (iptables DROP)
NAMED_ALIVE_PREFIX=198.18.0.0/24  # every host has a PTR record host-N.alive.lab.test; 198.18.1.0/24 has none
NETNS_ETC=/etc/netns              # ip netns exec NAME bind-mounts /etc/netns/NAME/resolv.conf over /etc/resolv.conf

DEFAULT_DELAY_MS=20
LOSS_PROBABILITY=0.5
RESPONDER_QUEUE=8192              # bounded timer queue of pending delayed replies
# ARP on the on-link empty subnet gives up after MCAST_SOLICIT probes
# RETRANS_MS apart; then the kernel reports host-unreachable to the sender.
ONLINK_MCAST_SOLICIT=3
ONLINK_RETRANS_MS=1000

# ---- paths ----
LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STATE_DIR="${PSW_LAB_STATE_DIR:-/tmp/$NS_PREFIX-lab}"
BUILD_DIR="$STATE_DIR/build"
RESPONDER_PID="$STATE_DIR/responder.pid"
RESPONDER_LOG="$STATE_DIR/responder.log"
LOCK_FILE="$STATE_DIR/lock"
DNSMASQ_PID="$STATE_DIR/dnsmasq.pid"
DNSMASQ_HOSTS="$STATE_DIR/dns-hosts"
DEAD_RESOLV_CONF="$STATE_DIR/resolv-dead.conf"
LAB_USER=${PSW_LAB_USER:-pswlab}  # exec-unprivileged runs commands as this user (created when missing)

log()  { printf 'lab: %s\n' "$*" >&2; }
die()  { printf 'lab: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# Serialise up/down between concurrent callers (several test runs may share a machine).
take_lock() {
    mkdir -p "$STATE_DIR"
    exec 9>"$LOCK_FILE"
    flock -w 60 9 || die "another lab.sh holds $LOCK_FILE for over 60 s"
}

ns_exists() { [[ -e "/run/netns/$1" ]]; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
nsysctl() { local ns=$1; shift; ip netns exec "$ns" sysctl -q -w "$@" >/dev/null; }

# ---- check ----
# Prints one line and returns 0 when this machine can host the lab.
check() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "SKIP: not root (uid $(id -u)); network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN"
        return 1
    fi
    if ! command -v ip >/dev/null 2>&1; then
        echo "SKIP: 'ip' (iproute2) is not installed"
        return 1
    fi
    local probe="psw-check-$$"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "SKIP: cannot create a network namespace here (ip netns add failed; container without privileges?)"
        return 1
    fi
    if ! ip -n "$probe" link add psw-c0 type veth peer name psw-c1 2>/dev/null; then
        ip netns del "$probe" 2>/dev/null || true
        echo "SKIP: cannot create veth pairs inside a namespace (CONFIG_VETH missing?)"
        return 1
    fi
    ip netns del "$probe" 2>/dev/null || true
    if [[ ! -x "$BUILD_DIR/responder" ]] && ! command -v gcc >/dev/null 2>&1; then
        echo "SKIP: gcc is missing, so the delay responder cannot be built"
        return 1
    fi
    if ! command -v iptables >/dev/null 2>&1 && ! command -v apt-get >/dev/null 2>&1; then
        echo "SKIP: iptables is missing and apt-get is not available to install it"
        return 1
    fi
    echo "OK: root, network namespaces and veth pairs work (kernel $(uname -r))"
    return 0
}

# ---- dependencies ----
APT_UPDATED=0
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "need '$*' but apt-get is not available; install it by hand"
    export DEBIAN_FRONTEND=noninteractive
    if [[ $APT_UPDATED -eq 0 ]]; then
        log "apt-get update"
        apt-get update -qq >/dev/null || die "apt-get update failed"
        APT_UPDATED=1
    fi
    log "apt-get install $*"
    apt-get install -y -qq --no-install-recommends "$@" >/dev/null || die "apt-get install $* failed"
}

ensure_tools() {
    local with_fping=$1 with_ping=$2
    # Debian's iptables package brings ip6tables as well.
    { command -v iptables && command -v ip6tables; } >/dev/null 2>&1 || apt_install iptables
    if [[ $with_fping -eq 1 ]] && ! command -v fping >/dev/null 2>&1; then
        apt_install fping
    fi
    # ping -6 shows ICMPv6 errors (address unreachable), which fping does not print; selftest.sh needs it.
    if [[ $with_ping -eq 1 ]] && ! command -v ping >/dev/null 2>&1; then
        apt_install iputils-ping
    fi
}

# Build responder and probe when missing or older than their source.
build_tools() {
    mkdir -p "$BUILD_DIR"
    local name
    for name in responder probe tcplisten injector; do
        if [[ ! -x "$BUILD_DIR/$name" || "$LAB_DIR/$name.c" -nt "$BUILD_DIR/$name" || "$LAB_DIR/labnet.h" -nt "$BUILD_DIR/$name" ]]; then
            command -v gcc >/dev/null 2>&1 || die "gcc is needed to build $name.c"
            log "gcc $name.c -> $BUILD_DIR/$name"
            gcc -O2 -Wall -Wextra -Werror -o "$BUILD_DIR/$name.tmp" "$LAB_DIR/$name.c"
            mv -f "$BUILD_DIR/$name.tmp" "$BUILD_DIR/$name"
        fi
    done
}

# ---- down ----
kill_responder_pid() {
    local pid=$1 i
    # Only kill the pid if it still is our responder (pids get reused).
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == responder ]] || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do   # bounded: at most ~1 s; a zombie (Z) has exited
        [[ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" =~ ^(Z|)$ ]] && return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}

stop_responder() {
    if [[ -f "$RESPONDER_PID" ]]; then
        kill_responder_pid "$(cat "$RESPONDER_PID" 2>/dev/null || true)"
        rm -f "$RESPONDER_PID"
    fi
    # A responder whose pid file was lost (state dir wiped) still lives in its namespace.
    if ns_exists "$NS_DELAY"; then
        local pid
        for pid in $(ip netns pids "$NS_DELAY" 2>/dev/null); do
            kill_responder_pid "$pid"
        done
    fi
}

down() {
    stop_responder
    down_discovery
    tcp_lab_down
    local ns
    for ns in "${ALL_NS[@]}"; do
        if ns_exists "$ns"; then
            ip netns del "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"
        fi
    done
    return 0
}

# ---- up ----
# Raise the limits that would otherwise throttle a full-rate /16 sweep.
tune_ns() {
    local ns=$1
    in_ns "$ns" ip link set lo up
    nsysctl "$ns" net.ipv4.icmp_ratelimit=0 \
        net.ipv4.icmp_msgs_per_sec=10000000 \
        net.ipv4.icmp_msgs_burst=10000000 \
        net.ipv4.conf.all.rp_filter=0 \
        net.ipv4.conf.default.rp_filter=0 \
        net.ipv6.icmp.ratelimit=0
    # Set before any link exists, so every interface inherits them: no automatic link-local address (the lab
    # adds fixed ones where it needs them), no duplicate address detection (every address is usable at once),
    # and no router advertisements are ever accepted (no IPv6 default route can appear in the sweeper behind
    # the script's back).
    nsysctl "$ns" net.ipv6.conf.default.addr_gen_mode=1 \
        net.ipv6.conf.default.accept_dad=0 \
        net.ipv6.conf.all.accept_dad=0 \
        net.ipv6.conf.default.accept_ra=0 \
        net.ipv6.conf.all.accept_ra=0 \
        net.ipv6.conf.default.autoconf=0
}

# veth pair between two namespaces, created directly inside them (never in the host).
link() {
    local ns_a=$1 if_a=$2 addr_a=$3 ns_b=$4 if_b=$5 addr_b=$6
    ip -n "$ns_a" link add "$if_a" type veth peer name "$if_b" netns "$ns_b"
    [[ -n "$addr_a" ]] && ip -n "$ns_a" addr add "$addr_a" dev "$if_a"
    [[ -n "$addr_b" ]] && ip -n "$ns_b" addr add "$addr_b" dev "$if_b"
    ip -n "$ns_a" link set "$if_a" up
    ip -n "$ns_b" link set "$if_b" up
}

# IPv6 in the same namespaces and on the same links, under the same rules: only explicit routes, none of them
# a default route. Every address gets "nodad" (usable at once, never "tentative"). Each link has a /64 and a
# fixed link-local address at each end (fe80::1 on the sweeper's or router's side, fe80::2 on the far side):
# a router resolving the next hop of a FORWARDED packet solicits from its link-local address on that
# interface, and without one it sends no solicitation at all, so forwarding would fail silently.
# One `ip -batch` per namespace: each ip process costs a few ms, and `up` should stay fast.
up_ipv6() {
    ip -n "$NS_SWEEPER" -6 -batch - <<EOF
address add $SWEEPER_ALIVE_ADDR6/64 dev sw-alive nodad
address add fe80::1/64 dev sw-alive nodad
address add $SWEEPER_ROUTER_ADDR6/64 dev sw-router nodad
address add fe80::1/64 dev sw-router nodad
address add $SWEEPER_LINKLOCAL6/64 dev sw-void nodad
address add $SWEEPER_LINKLOCAL6/64 dev sw-lan nodad
route add $ALIVE6_PREFIX via $ALIVE_LINK_ADDR6
route add $ROUTED6_PREFIX via $ROUTER_SWEEPER_ADDR6
route add $ONLINK6_PREFIX dev sw-void src $SWEEPER_ROUTER_ADDR6
EOF
    # ALIVE6: the whole /64 is local to psw-alive (AnyIP), so the kernel answers every address.
    ip -n "$NS_ALIVE" -6 -batch - <<EOF
address add $ALIVE_LINK_ADDR6/64 dev al-sweeper nodad
address add fe80::2/64 dev al-sweeper nodad
route add local $ALIVE6_PREFIX dev lo
EOF
    # Router: forwards the routed /62; UNREACHABLE6 is routed on (to psw-dead) but REJECTed first.
    ip -n "$NS_ROUTER" -6 -batch - <<EOF
address add $ROUTER_SWEEPER_ADDR6/64 dev rt-sweeper nodad
address add fe80::1/64 dev rt-sweeper nodad
address add $ROUTER_DELAY_ADDR6/64 dev rt-delay nodad
address add fe80::1/64 dev rt-delay nodad
address add $ROUTER_LOSSY_ADDR6/64 dev rt-lossy nodad
address add fe80::1/64 dev rt-lossy nodad
address add $ROUTER_DEAD_ADDR6/64 dev rt-dead nodad
address add fe80::1/64 dev rt-dead nodad
route add $DELAYED6_PREFIX via $DELAY_LINK_ADDR6
route add $LOSSY6_PREFIX via $LOSSY_LINK_ADDR6
route add $DEAD6_PREFIX via $DEAD_LINK_ADDR6
route add $UNREACHABLE6_PREFIX via $DEAD_LINK_ADDR6
EOF
    in_ns "$NS_ROUTER" ip6tables -w 5 -A FORWARD -d "$UNREACHABLE6_PREFIX" -p icmpv6 --icmpv6-type echo-request \
        -j REJECT --reject-with icmp6-addr-unreachable
    # DELAYED6: local and silent (echo_ignore_all, set with IPv4's); responder.c answers.
    ip -n "$NS_DELAY" -6 -batch - <<EOF
address add $DELAY_LINK_ADDR6/64 dev dl-router nodad
address add fe80::2/64 dev dl-router nodad
route add local $DELAYED6_PREFIX dev lo
route add $LINK6_PREFIX via $ROUTER_DELAY_ADDR6
EOF
    # LOSSY6: the kernel answers, a random share of echo replies is dropped on the way out.
    ip -n "$NS_LOSSY" -6 -batch - <<EOF
address add $LOSSY_LINK_ADDR6/64 dev ls-router nodad
address add fe80::2/64 dev ls-router nodad
route add local $LOSSY6_PREFIX dev lo
route add $LINK6_PREFIX via $ROUTER_LOSSY_ADDR6
EOF
    in_ns "$NS_LOSSY" ip6tables -w 5 -A OUTPUT -p icmpv6 --icmpv6-type echo-reply \
        -m statistic --mode random --probability "$LOSS_PROBABILITY" -j DROP
    # DEAD6: routed and owned, silent (echo_ignore_all, set with IPv4's).
    ip -n "$NS_DEAD" -6 -batch - <<EOF
address add $DEAD_LINK_ADDR6/64 dev dd-router nodad
address add fe80::2/64 dev dd-router nodad
route add local $DEAD6_PREFIX dev lo
route add $LINK6_PREFIX via $ROUTER_DEAD_ADDR6
EOF
    # LAN: three hosts on one link, each a macvlan interface with its own MAC and link-local address. The veth
    # end under them has no address, so exactly these three answer a probe to ff02::1 on sw-lan.
    local i
    for i in "${!LAN_HOSTS6[@]}"; do
        printf 'link add link ln-sweeper name lan%d type macvlan mode bridge\naddress add %s/64 dev lan%d nodad\nlink set lan%d up\n' \
            "$i" "${LAN_HOSTS6[$i]}" "$i" "$i"
    done | ip -n "$NS_LAN" -batch -
}

start_responder() {
    local delay_ms=$1
    : >"$RESPONDER_LOG"
    ip netns exec "$NS_DELAY" "$BUILD_DIR/responder" --delay-ms "$delay_ms" \
        --queue "$RESPONDER_QUEUE" --prefix "$DELAYED_PREFIX" --prefix6 "$DELAYED6_PREFIX" </dev/null >>"$RESPONDER_LOG" 2>&1 9>&- &
    local pid=$!            # ip netns exec execs the responder: same pid
    echo "$pid" >"$RESPONDER_PID"
    local i
    for i in $(seq 1 40); do   # bounded: at most ~2 s for the socket to open
        grep -q "^responder: pid" "$RESPONDER_LOG" && break
        kill -0 "$pid" 2>/dev/null || die "responder exited: $(cat "$RESPONDER_LOG")"
        sleep 0.05
    done
    grep -q "^responder: pid" "$RESPONDER_LOG" || die "responder did not start: $(cat "$RESPONDER_LOG")"
}

up() {
    local delay_ms=${PSW_LAB_DELAY_MS:-$DEFAULT_DELAY_MS} with_fping=0 with_ping=0
    while [[ $# -gt 0 ]]; do
        case $1 in
            --delay-ms) [[ $# -ge 2 ]] || die "--delay-ms needs a value"; delay_ms=$2; shift 2 ;;
            --with-fping) with_fping=1; shift ;;
            --with-ping) with_ping=1; shift ;;
            *) die "up: unknown option '$1'" ;;
        esac
    done
    [[ $delay_ms =~ ^[0-9]+$ && $delay_ms -le 60000 ]] || die "--delay-ms must be 0..60000, got '$delay_ms'"

    local reason
    reason=$(check) || die "$reason"
    ensure_tools "$with_fping" "$with_ping"
    ensure_discovery_tools
    build_tools
    down

    local ns
    for ns in "${ALL_NS[@]}"; do
        ip netns add "$ns"
        tune_ns "$ns"
    done

    # Links. Interface names are per namespace, so short fixed names are fine.
    link "$NS_SWEEPER" sw-alive  "$SWEEPER_ALIVE_ADDR/30"  "$NS_ALIVE"  al-sweeper "$ALIVE_LINK_ADDR/30"
    link "$NS_SWEEPER" sw-router "$SWEEPER_ROUTER_ADDR/30" "$NS_ROUTER" rt-sweeper "$ROUTER_SWEEPER_ADDR/30"
    link "$NS_SWEEPER" sw-void   ""                         "$NS_VOID"   vo-sweeper ""
    link "$NS_ROUTER"  rt-delay  "$ROUTER_DELAY_ADDR/30"   "$NS_DELAY"  dl-router  "$DELAY_LINK_ADDR/30"
    link "$NS_ROUTER"  rt-lossy  "$ROUTER_LOSSY_ADDR/30"   "$NS_LOSSY"  ls-router  "$LOSSY_LINK_ADDR/30"
    link "$NS_ROUTER"  rt-dead   "$ROUTER_DEAD_ADDR/30"    "$NS_DEAD"   dd-router  "$DEAD_LINK_ADDR/30"
    link "$NS_SWEEPER" sw-lan    ""                         "$NS_LAN"    ln-sweeper ""

    # Sweeper: explicit lab routes only, NO default route.
    ip -n "$NS_SWEEPER" route add "$ALIVE_PREFIX"  via "$ALIVE_LINK_ADDR"
    ip -n "$NS_SWEEPER" route add "$ROUTED_PREFIX" via "$ROUTER_SWEEPER_ADDR"
    ip -n "$NS_SWEEPER" route add "$DEAD_WIDE_PREFIX" via "$ROUTER_SWEEPER_ADDR"
    ip -n "$NS_SWEEPER" route add "$ONLINK_PREFIX" dev sw-void scope link src "$SWEEPER_ROUTER_ADDR"
    ip -n "$NS_SWEEPER" route add "$ONLINK_WIDE_PREFIX" dev sw-void scope link src "$SWEEPER_ROUTER_ADDR"
    nsysctl "$NS_SWEEPER" net.ipv4.ping_group_range="0 2147483647" \
        "net.ipv4.neigh.sw-void.mcast_solicit=$ONLINK_MCAST_SOLICIT" \
        "net.ipv4.neigh.sw-void.retrans_time_ms=$ONLINK_RETRANS_MS" \
        net.ipv4.neigh.sw-void.unres_qlen_bytes=1048576 \
        "net.ipv6.neigh.sw-void.mcast_solicit=$ONLINK_MCAST_SOLICIT" \
        "net.ipv6.neigh.sw-void.retrans_time_ms=$ONLINK_RETRANS_MS"
    # (IPv6 neighbour discovery on sw-void is timed like ARP: OnLinkEmptyV6 fails after the same 3 s.)
    # A sweep of the on-link /24 creates up to 256 (FAILED) neighbour entries.
    # gc_thresh* are not per-namespace on this kernel (only init_net has them, and
    # the ARP table is one table for all namespaces); the host is left untouched
    # (gc_thresh3=1024). A full-rate sweep of the on-link /20 cannot fill it: the
    # raw socket's send buffer refuses (ENOBUFS) after 512 probes wait for ARP
    # (bench/Measure-KernelLimits.ps1 measures this).

    # ALIVE: the whole /16 is local to psw-alive (AnyIP), so the kernel answers every address.
    ip -n "$NS_ALIVE" route add local "$ALIVE_PREFIX" dev lo

    # Router: forwards the routed /22; UNREACHABLE is routed on (to psw-dead) but REJECTed first.
    nsysctl "$NS_ROUTER" net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
    ip -n "$NS_ROUTER" route add "$DELAYED_PREFIX"     via "$DELAY_LINK_ADDR"
    ip -n "$NS_ROUTER" route add "$LOSSY_PREFIX"       via "$LOSSY_LINK_ADDR"
    ip -n "$NS_ROUTER" route add "$DEAD_PREFIX"        via "$DEAD_LINK_ADDR"
    ip -n "$NS_ROUTER" route add "$DEAD_WIDE_PREFIX"   via "$DEAD_LINK_ADDR"
    ip -n "$NS_ROUTER" route add "$UNREACHABLE_PREFIX" via "$DEAD_LINK_ADDR"
    in_ns "$NS_ROUTER" iptables -w 5 -A FORWARD -d "$UNREACHABLE_PREFIX" \
        -j REJECT --reject-with icmp-host-unreachable

    # DELAYED: the prefix is local, the kernel stays silent, responder.c answers.
    ip -n "$NS_DELAY" route add local "$DELAYED_PREFIX" dev lo
    ip -n "$NS_DELAY" route add "$LINK_PREFIX" via "$ROUTER_DELAY_ADDR"
    nsysctl "$NS_DELAY" net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

    # LOSSY: the kernel answers, a random share of echo replies is dropped on the way out.
    ip -n "$NS_LOSSY" route add local "$LOSSY_PREFIX" dev lo
    ip -n "$NS_LOSSY" route add "$LINK_PREFIX" via "$ROUTER_LOSSY_ADDR"
    in_ns "$NS_LOSSY" iptables -w 5 -A OUTPUT -p icmp --icmp-type echo-reply \
        -m statistic --mode random --probability "$LOSS_PROBABILITY" -j DROP

    # DEAD: the prefix exists and is routed, but nothing ever answers.
    ip -n "$NS_DEAD" route add local "$DEAD_PREFIX" dev lo
    ip -n "$NS_DEAD" route add local "$DEAD_WIDE_PREFIX" dev lo
    ip -n "$NS_DEAD" route add "$LINK_PREFIX" via "$ROUTER_DEAD_ADDR"
    nsysctl "$NS_DEAD" net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1

    up_ipv6
    up_discovery
    tcp_lab_up

    start_responder "$delay_ms"
    plan "$delay_ms" >"$STATE_DIR/lab-plan.json"

    if in_ns "$NS_SWEEPER" ip -4 route show default | grep -q . || in_ns "$NS_SWEEPER" ip -6 route show default | grep -q .; then
        down
        die "safety: $NS_SWEEPER unexpectedly has a default route (IPv4 or IPv6); lab torn down"
    fi
    log "up: $(( ${#ALL_NS[@]} )) namespaces, delay ${delay_ms} ms; run tests with: $0 exec <cmd>"
    log "plan with the delay in use: $STATE_DIR/lab-plan.json"
}

# ---- discovery: quiet on-link hosts, a name server, a dead one (issue 8) ----
ensure_discovery_tools() {
    # dnsmasq-base is the binary alone: the dnsmasq package would also install and start a system service on the host.
    command -v dnsmasq >/dev/null 2>&1 || apt_install dnsmasq-base
}

stop_dnsmasq() {
    local pid
    if [[ -f "$DNSMASQ_PID" ]]; then
        pid=$(cat "$DNSMASQ_PID" 2>/dev/null || true)
        # Only our dnsmasq (pids get reused).
        if [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == dnsmasq ]]; then
            kill "$pid" 2>/dev/null || true
        fi
        rm -f "$DNSMASQ_PID"
    fi
    if ns_exists "$NS_DNS"; then
        for pid in $(ip netns pids "$NS_DNS" 2>/dev/null); do
            if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" == dnsmasq ]]; then kill "$pid" 2>/dev/null || true; fi
        done
    fi
}

down_discovery() {
    stop_dnsmasq
    rm -f "$NETNS_ETC/$NS_SWEEPER/resolv.conf" "$DEAD_RESOLV_CONF" "$DNSMASQ_HOSTS"
    rmdir "$NETNS_ETC/$NS_SWEEPER" 2>/dev/null || true   # /etc/netns itself is left: other labs may use it
}

# The records dnsmasq serves, in /etc/hosts form (dnsmasq answers PTR queries from it).
dns_hosts() {
    printf '%s quiet-known.lab.test\n%s quiet-random.lab.test\n' "${QUIET_HOSTS[0]}" "${QUIET_HOSTS[1]}"
    printf '%s quiet-known6.lab.test\n%s quiet-random6.lab.test\n' "${QUIET_HOSTS6[0]}" "${QUIET_HOSTS6[1]}"
    local i
    for i in $(seq 1 254); do printf '198.18.0.%d host-%d.alive.lab.test\n' "$i" "$i"; done
}

up_discovery() {
    # QUIET: two hosts (macvlans on one veth end) that drop every IPv4 packet and every IPv6 packet but neighbour
    # solicitations. The kernel still answers ARP (not IP) and NDP, so the sweeper's neighbour table sees them.
    link "$NS_SWEEPER" sw-quiet "$SWEEPER_QUIET_ADDR/24" "$NS_QUIET" qt-sweeper ""
    ip -n "$NS_SWEEPER" -6 addr add "$SWEEPER_QUIET_ADDR6/120" dev sw-quiet nodad
    ip -n "$NS_SWEEPER" -6 addr add fe80::1/64 dev sw-quiet nodad
    # arp_ignore=1: each macvlan answers ARP for its own addresses only (by default any interface answers for all).
    nsysctl "$NS_QUIET" net.ipv4.conf.all.arp_ignore=1 net.ipv4.conf.default.arp_ignore=1
    local i
    for i in "${!QUIET_HOSTS[@]}"; do
        ip -n "$NS_QUIET" link add link qt-sweeper name "quiet$i" type macvlan mode bridge
        if [[ $i -eq 0 ]]; then ip -n "$NS_QUIET" link set quiet0 address "$QUIET_KNOWN_MAC"; fi
        ip -n "$NS_QUIET" addr add "${QUIET_HOSTS[$i]}/24" dev "quiet$i"
        ip -n "$NS_QUIET" -6 addr add "${QUIET_HOSTS6[$i]}/120" dev "quiet$i" nodad
        ip -n "$NS_QUIET" link set "quiet$i" up
    done
    in_ns "$NS_QUIET" iptables -w 5 -A INPUT -j DROP
    in_ns "$NS_QUIET" ip6tables -w 5 -A INPUT -p icmpv6 --icmpv6-type neighbour-solicitation -j ACCEPT
    in_ns "$NS_QUIET" ip6tables -w 5 -A INPUT -j DROP

    # DNS: dnsmasq answers for the lab's reverse zones from a hosts file and for nothing else (no upstream); the dead
    # resolver's address drops every packet, so a query to it is never answered, not even refused.
    link "$NS_SWEEPER" sw-dns "$SWEEPER_DNS_ADDR/30" "$NS_DNS" dn-sweeper "$DNS_LINK_ADDR/30"
    ip -n "$NS_SWEEPER" route add "$RESOLVER_ADDR/32" via "$DNS_LINK_ADDR"
    ip -n "$NS_SWEEPER" route add "$DEAD_RESOLVER_ADDR/32" via "$DNS_LINK_ADDR"
    ip -n "$NS_DNS" addr add "$RESOLVER_ADDR/32" dev lo
    ip -n "$NS_DNS" addr add "$DEAD_RESOLVER_ADDR/32" dev lo
    ip -n "$NS_DNS" route add "$LINK_PREFIX" via "$SWEEPER_DNS_ADDR"
    in_ns "$NS_DNS" iptables -w 5 -A INPUT -d "$DEAD_RESOLVER_ADDR" -j DROP
    dns_hosts >"$DNSMASQ_HOSTS"
    chmod 644 "$DNSMASQ_HOSTS"
    : >"$STATE_DIR/dnsmasq.log"
    in_ns "$NS_DNS" dnsmasq --conf-file=/dev/null --no-resolv --no-hosts --no-poll --bind-interfaces \
        --listen-address="$RESOLVER_ADDR" --port=53 --addn-hosts="$DNSMASQ_HOSTS" \
        --local=/18.198.in-addr.arpa/ --local=/19.198.in-addr.arpa/ --local=/0.0.0.0.2.0.0.0.1.0.0.2.ip6.arpa/ \
        --user=nobody --group=nogroup --pid-file="$DNSMASQ_PID" </dev/null >>"$STATE_DIR/dnsmasq.log" 2>&1 9>&- \
        || die "dnsmasq did not start: $(tail -n 5 "$STATE_DIR/dnsmasq.log")"

    # The sweeper's resolver is the lab's (ip netns exec reads it from here); the dead one is for --resolv-conf.
    mkdir -p "$NETNS_ETC/$NS_SWEEPER"
    printf 'nameserver %s\n' "$RESOLVER_ADDR" >"$NETNS_ETC/$NS_SWEEPER/resolv.conf"
    printf 'nameserver %s\n' "$DEAD_RESOLVER_ADDR" >"$DEAD_RESOLV_CONF"
    chmod 644 "$NETNS_ETC/$NS_SWEEPER/resolv.conf" "$DEAD_RESOLV_CONF"
}

# lab.sh exec --resolv-conf FILE CMD...: CMD in the sweeper with FILE as its /etc/resolv.conf, in a private mount
# namespace (every other process keeps its own file).
exec_with_resolv_conf() {
    local conf=$1; shift
    [[ -f $conf ]] || die "--resolv-conf: no such file: $conf"
    exec ip netns exec "$NS_SWEEPER" unshare --mount --propagation private -- \
        bash -c 'mount --bind "$1" /etc/resolv.conf && shift && exec "$@"' lab-resolv "$(realpath "$conf")" "$@"
}

plan_discovery() {
    cat <<EOF
  "neighbors": {
    "interface": "sw-quiet",
    "namespace": "$NS_QUIET",
    "prefix": "$QUIET_PREFIX",
    "prefix6": "$QUIET6_PREFIX",
    "sweeperAddress": "$SWEEPER_QUIET_ADDR",
    "sweeperAddress6": "$SWEEPER_QUIET_ADDR6",
    "hosts": [
      {"interface": "quiet0", "address": "${QUIET_HOSTS[0]}", "address6": "${QUIET_HOSTS6[0]}", "mac": "$QUIET_KNOWN_MAC", "vendor": "$QUIET_KNOWN_VENDOR", "name": "quiet-known.lab.test", "name6": "quiet-known6.lab.test"},
      {"interface": "quiet1", "address": "${QUIET_HOSTS[1]}", "address6": "${QUIET_HOSTS6[1]}", "mac": null, "vendor": null, "name": "quiet-random.lab.test", "name6": "quiet-random6.lab.test"}
    ],
    "absent": "$QUIET_ABSENT",
    "absent6": "$QUIET_ABSENT6",
    "simulates": "hosts on a directly connected link that drop every IP packet (iptables/ip6tables INPUT DROP) but answer ARP and neighbour solicitation, so only the neighbour table shows them; quiet0 has a MAC with a registered OUI, quiet1 the kernel's random locally administered one (mac null: read it from the interface)"
  },
  "names": {
    "resolver": "$RESOLVER_ADDR",
    "deadResolver": "$DEAD_RESOLVER_ADDR",
    "deadResolvConf": "$DEAD_RESOLV_CONF",
    "namedPrefix": "$NAMED_ALIVE_PREFIX",
    "namePattern": "host-{0}.alive.lab.test",
    "unnamedPrefix": "198.18.1.0/24",
    "simulates": "dnsmasq in $NS_DNS answers PTR queries for the quiet hosts and every host of namedPrefix (host-N.alive.lab.test for 198.18.0.N) and NXDOMAIN for other lab addresses; deadResolver drops every query (lab.sh exec --resolv-conf deadResolvConf CMD runs CMD with it as the only name server)"
  },
EOF
}

# ---- TCP probes (issue 8) ----
# psw-tcp owns TCP_ONLY and TCP_DROP through AnyIP local routes and answers no echo request. tcplisten.c, bound to the
# wildcard address, accepts TCP_OPEN_PORT on every address it owns; the kernel resets every other port; an iptables
# rule drops everything sent to TCP_DROP. Counting rules (no target) count the echo requests that arrive, so a test
# can prove that a TCP-only sweep sent none. psw-alive gets a listener on BENCH_TCP_PORT for the TCP benchmark.
# The router also REJECTs TCP to UNREACHABLE6 (its IPv4 rule already rejects every protocol), so a SYN there gets
# an ICMPv6 address-unreachable as an echo request does.
TCP_PIDS_DIR_NAME=tcplisten

tcp_lab_up() {
    tune_ns "$NS_TCP"
    link "$NS_SWEEPER" sw-tcp "$SWEEPER_TCP_ADDR/30" "$NS_TCP" tc-sweeper "$TCP_LINK_ADDR/30"
    ip -n "$NS_SWEEPER" route add "$TCP_ONLY_PREFIX" via "$TCP_LINK_ADDR"
    ip -n "$NS_SWEEPER" route add "$TCP_DROP_PREFIX" via "$TCP_LINK_ADDR"
    ip -n "$NS_SWEEPER" -6 -batch - <<EOF
address add $SWEEPER_TCP_ADDR6/64 dev sw-tcp nodad
address add fe80::1/64 dev sw-tcp nodad
route add $TCP_ONLY6_PREFIX via $TCP_LINK_ADDR6
route add $TCP_DROP6_PREFIX via $TCP_LINK_ADDR6
EOF
    ip -n "$NS_TCP" route add local "$TCP_ONLY_PREFIX" dev lo
    ip -n "$NS_TCP" route add local "$TCP_DROP_PREFIX" dev lo
    ip -n "$NS_TCP" -6 -batch - <<EOF
address add $TCP_LINK_ADDR6/64 dev tc-sweeper nodad
address add fe80::2/64 dev tc-sweeper nodad
route add local $TCP_ONLY6_PREFIX dev lo
route add local $TCP_DROP6_PREFIX dev lo
EOF
    nsysctl "$NS_TCP" net.ipv4.icmp_echo_ignore_all=1 net.ipv6.icmp.echo_ignore_all=1 "net.core.somaxconn=$TCP_LISTEN_BACKLOG"
    in_ns "$NS_TCP" iptables -w 5 -A INPUT -p icmp --icmp-type echo-request
    in_ns "$NS_TCP" ip6tables -w 5 -A INPUT -p icmpv6 --icmpv6-type echo-request
    in_ns "$NS_TCP" iptables -w 5 -A INPUT -d "$TCP_DROP_PREFIX" -j DROP
    in_ns "$NS_TCP" ip6tables -w 5 -A INPUT -d "$TCP_DROP6_PREFIX" -j DROP
    in_ns "$NS_ROUTER" ip6tables -w 5 -A FORWARD -d "$UNREACHABLE6_PREFIX" -p tcp -j REJECT --reject-with icmp6-addr-unreachable

    # The benchmark's listener: every alive address accepts BENCH_TCP_PORT. A deep accept queue and a listener that
    # accepts and closes at once keep up with a full-rate /16 (syncookies take over if the SYN queue ever fills).
    nsysctl "$NS_ALIVE" "net.core.somaxconn=$TCP_LISTEN_BACKLOG" "net.ipv4.tcp_max_syn_backlog=$TCP_LISTEN_BACKLOG"
    tcp_start_listener "$NS_TCP" "$TCP_OPEN_PORT"
    tcp_start_listener "$NS_ALIVE" "$BENCH_TCP_PORT"
}

tcp_start_listener() {
    local ns=$1 port=$2
    local dir="$STATE_DIR/$TCP_PIDS_DIR_NAME" log
    mkdir -p "$dir"
    log="$dir/$ns.log"
    : >"$log"
    ip netns exec "$ns" "$BUILD_DIR/tcplisten" --port "$port" </dev/null >>"$log" 2>&1 9>&- &
    local pid=$!
    echo "$pid" >"$dir/$ns.pid"
    local i
    for i in $(seq 1 40); do   # bounded: at most ~2 s for the listener to start
        grep -q "^tcplisten: pid" "$log" && return 0
        kill -0 "$pid" 2>/dev/null || die "tcplisten in $ns exited: $(cat "$log")"
        sleep 0.05
    done
    die "tcplisten in $ns did not start: $(cat "$log")"
}

tcp_kill_listener_pid() {
    local pid=$1 i
    [[ -n "$pid" && "$(cat "/proc/$pid/comm" 2>/dev/null)" == tcplisten ]] || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 20); do   # bounded: at most ~1 s
        [[ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" =~ ^(Z|)$ ]] && return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}

tcp_lab_down() {
    local dir="$STATE_DIR/$TCP_PIDS_DIR_NAME" ns pid
    for ns in "$NS_TCP" "$NS_ALIVE"; do
        if [[ -f "$dir/$ns.pid" ]]; then
            tcp_kill_listener_pid "$(cat "$dir/$ns.pid" 2>/dev/null || true)"
            rm -f "$dir/$ns.pid"
        fi
        # A listener whose pid file was lost still lives in its namespace.
        if ns_exists "$ns"; then
            for pid in $(ip netns pids "$ns" 2>/dev/null); do
                tcp_kill_listener_pid "$pid"
            done
        fi
    done
}

# The TCP ranges of the plan (JSON objects, each followed by a comma: they come first in "ranges").
tcp_plan_ranges() {
    local name prefix family open others status what
    while read -r name prefix family open others status what; do
        cat <<EOF
    {
      "name": "$name",
      "prefix": "$prefix",
      "hostCount": 256,
      "expectedStatus": "NoResponse",
      "family": "$family",
      "acceptableStatuses": ["NoResponse"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "tcp": {"namespace": "$NS_TCP", "openPorts": [${open/#-/}], "otherPorts": "$others", "expectedStatusWithTcp": "$status"},
      "simulates": "$what"
    },
EOF
    done <<EOF
TcpOnly $TCP_ONLY_PREFIX IPv4 $TCP_OPEN_PORT Closed Alive hosts that drop ICMP echo (icmp_echo_ignore_all in $NS_TCP) but accept TCP port $TCP_OPEN_PORT (tcplisten.c) and reset every other port; iptables counts the echo requests that arrive
TcpDrop $TCP_DROP_PREFIX IPv4 - Filtered NoResponse hosts that drop everything, ICMP and TCP (iptables DROP in $NS_TCP): every port Filtered
TcpOnlyV6 $TCP_ONLY6_PREFIX IPv6 $TCP_OPEN_PORT Closed Alive IPv6 hosts that drop ICMPv6 echo but accept TCP port $TCP_OPEN_PORT and reset every other port; ip6tables counts the echo requests that arrive
TcpDropV6 $TCP_DROP6_PREFIX IPv6 - Filtered NoResponse IPv6 hosts that drop everything, ICMPv6 and TCP (ip6tables DROP in $NS_TCP): every port Filtered
EOF
}

# ---- status ----
status() {
    local ns any=0
    for ns in "${ALL_NS[@]}"; do
        if ns_exists "$ns"; then echo "namespace $ns: present"; any=1; else echo "namespace $ns: absent"; fi
    done
    if [[ -f "$RESPONDER_PID" ]] && kill -0 "$(cat "$RESPONDER_PID")" 2>/dev/null; then
        echo "responder: running, pid $(cat "$RESPONDER_PID") ($(head -n1 "$RESPONDER_LOG" 2>/dev/null))"
    else
        echo "responder: not running"
    fi
    if ns_exists "$NS_SWEEPER"; then
        echo "sweeper routes:"
        in_ns "$NS_SWEEPER" ip -4 route show | sed 's/^/  /'
        echo "sweeper IPv6 routes:"
        in_ns "$NS_SWEEPER" ip -6 route show | sed 's/^/  /'
        echo "sweeper ping_group_range: $(in_ns "$NS_SWEEPER" sysctl -n net.ipv4.ping_group_range)" \
            "(host namespace: $(sysctl -n net.ipv4.ping_group_range))"
    fi
    if ns_exists "$NS_LAN"; then
        echo "LAN hosts for IPv6 discovery on sw-lan: $(ip -n "$NS_LAN" -6 -o addr show scope link | awk '{print $4}' | tr '\n' ' ')"
    fi
    local tool
    for tool in iptables ip6tables; do
        command -v "$tool" >/dev/null 2>&1 || continue
        if ns_exists "$NS_LOSSY"; then
            echo "lossy drop rule, $tool (packets dropped so far):"
            in_ns "$NS_LOSSY" "$tool" -w 5 -L OUTPUT -v -n | sed -n '3,$p' | sed 's/^/  /'
        fi
        if ns_exists "$NS_ROUTER"; then
            echo "router reject rule, $tool (packets rejected so far):"
            in_ns "$NS_ROUTER" "$tool" -w 5 -L FORWARD -v -n | sed -n '3,$p' | sed 's/^/  /'
        fi
    done
    [[ $any -eq 1 ]] && echo "lab: up" || echo "lab: down"
}

# ---- plan ----
# JSON for Pester tests; expectedStatus uses the PingSweep.PingStatus names.
plan() {
    local delay_ms=${1:-$DEFAULT_DELAY_MS}
    cat <<EOF
{
  "sweeperNamespace": "$NS_SWEEPER",
  "namespaces": [$(printf '"%s", ' "${ALL_NS[@]}" | sed 's/, $//')],
  "sweeperHasDefaultRoute": false,
  "linkPrefix": "$LINK_PREFIX",
  "linkPrefix6": "$LINK6_PREFIX",
  "discovery": {
    "family": "IPv6",
    "namespace": "$NS_LAN",
    "interface": "sw-lan",
    "group": "ff02::1",
    "sweeperAddress": "$SWEEPER_LINKLOCAL6",
    "hosts": [$(printf '"%s", ' "${LAN_HOSTS6[@]}" | sed 's/, $//')],
    "simulates": "a link with three IPv6 hosts that have link-local addresses only: a probe to ff02::1 on the sweeper's interface is answered once by each (and, unless the sender turns multicast loopback off, by the sweeper itself)"
  },
$(plan_discovery)
  "tcpBenchmark": {"namespace": "$NS_ALIVE", "prefix": "$ALIVE_PREFIX", "prefix6": "$ALIVE6_PREFIX", "port": $BENCH_TCP_PORT,
    "simulates": "every alive address accepts TCP port $BENCH_TCP_PORT (tcplisten.c on the wildcard address), for the TCP benchmark"},
  "ranges": [
$(tcp_plan_ranges)
    {
      "name": "Alive",
      "prefix": "$ALIVE_PREFIX",
      "hostCount": 65536,
      "expectedStatus": "Alive",
      "family": "IPv4",
      "acceptableStatuses": ["Alive"],
      "delayMs": 0,
      "replyLossProbability": 0,
      "simulates": "a dense, fast subnet: every address answers (AnyIP local route in $NS_ALIVE, kernel echo)"
    },
    {
      "name": "Delayed",
      "prefix": "$DELAYED_PREFIX",
      "hostCount": 256,
      "expectedStatus": "Alive",
      "family": "IPv4",
      "acceptableStatuses": ["Alive"],
      "delayMs": $delay_ms,
      "replyLossProbability": 0,
      "simulates": "hosts with a real round-trip time: responder.c answers every echo after delayMs"
    },
    {
      "name": "Lossy",
      "prefix": "$LOSSY_PREFIX",
      "hostCount": 256,
      "expectedStatus": "AliveWithLoss",
      "family": "IPv4",
      "acceptableStatuses": ["Alive", "AliveWithLoss", "NoResponse"],
      "delayMs": 0,
      "replyLossProbability": $LOSS_PROBABILITY,
      "simulates": "a lossy path: each echo reply is dropped independently with replyLossProbability (iptables statistic)"
    },
    {
      "name": "Dead",
      "prefix": "$DEAD_PREFIX",
      "hostCount": 256,
      "expectedStatus": "NoResponse",
      "family": "IPv4",
      "acceptableStatuses": ["NoResponse"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "simulates": "hosts that exist and are routed but never answer (icmp_echo_ignore_all=1)"
    },
    {
      "name": "DeadWide",
      "prefix": "$DEAD_WIDE_PREFIX",
      "hostCount": 4096,
      "expectedStatus": "NoResponse",
      "family": "IPv4",
      "acceptableStatuses": ["NoResponse"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "simulates": "a large silent subnet for benchmarks: owned by $NS_DEAD like Dead (icmp_echo_ignore_all=1)"
    },
    {
      "name": "Unreachable",
      "prefix": "$UNREACHABLE_PREFIX",
      "hostCount": 256,
      "expectedStatus": "Unreachable",
      "family": "IPv4",
      "acceptableStatuses": ["Unreachable"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "icmpError": {"type": 3, "code": 1, "from": "$ROUTER_SWEEPER_ADDR"},
      "simulates": "a router answering ICMP host-unreachable (iptables REJECT in $NS_ROUTER)"
    },
    {
      "name": "OnLinkEmpty",
      "prefix": "$ONLINK_PREFIX",
      "hostCount": 256,
      "expectedStatus": "NoResponse",
      "family": "IPv4",
      "acceptableStatuses": ["NoResponse", "Unreachable"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "arpFailureMs": $(( ONLINK_MCAST_SOLICIT * ONLINK_RETRANS_MS )),
      "icmpError": {"type": 3, "code": 1, "from": "$SWEEPER_ROUTER_ADDR"},
      "simulates": "an empty directly connected subnet: ARP gets no answer; after arpFailureMs the sweeper's own kernel reports host-unreachable, so timeouts shorter than that see NoResponse"
    },
    {
      "name": "OnLinkWide",
      "prefix": "$ONLINK_WIDE_PREFIX",
      "hostCount": 4096,
      "expectedStatus": "NoResponse",
      "family": "IPv4",
      "acceptableStatuses": ["NoResponse", "Unreachable"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "arpFailureMs": $(( ONLINK_MCAST_SOLICIT * ONLINK_RETRANS_MS )),
      "icmpError": {"type": 3, "code": 1, "from": "$SWEEPER_ROUTER_ADDR"},
      "simulates": "a large empty directly connected subnet for kernel limits: at full rate the probes waiting for ARP fill the socket's send buffer, the kernel refuses further sends (ENOBUFS) until ARP fails, and hosts whose probe is refused 8 times are Unreachable 'could not send'"
    },
    {
      "name": "AliveV6",
      "prefix": "$ALIVE6_SWEEP",
      "hostCount": 65536,
      "expectedStatus": "Alive",
      "family": "IPv6",
      "acceptableStatuses": ["Alive"],
      "delayMs": 0,
      "replyLossProbability": 0,
      "simulates": "a dense, fast IPv6 subnet: every address of $ALIVE6_PREFIX answers (AnyIP local route in $NS_ALIVE, kernel echo); the /112 is what sweeps use"
    },
    {
      "name": "DelayedV6",
      "prefix": "$DELAYED6_PREFIX",
      "hostCount": 256,
      "expectedStatus": "Alive",
      "family": "IPv6",
      "acceptableStatuses": ["Alive"],
      "delayMs": $delay_ms,
      "replyLossProbability": 0,
      "simulates": "IPv6 hosts with a real round-trip time: responder.c answers every ICMPv6 echo after delayMs"
    },
    {
      "name": "LossyV6",
      "prefix": "$LOSSY6_PREFIX",
      "hostCount": 256,
      "expectedStatus": "AliveWithLoss",
      "family": "IPv6",
      "acceptableStatuses": ["Alive", "AliveWithLoss", "NoResponse"],
      "delayMs": 0,
      "replyLossProbability": $LOSS_PROBABILITY,
      "simulates": "a lossy IPv6 path: each echo reply is dropped independently with replyLossProbability (ip6tables statistic)"
    },
    {
      "name": "DeadV6",
      "prefix": "$DEAD6_PREFIX",
      "hostCount": 256,
      "expectedStatus": "NoResponse",
      "family": "IPv6",
      "acceptableStatuses": ["NoResponse"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "simulates": "IPv6 hosts that exist and are routed but never answer (net.ipv6.icmp.echo_ignore_all=1)"
    },
    {
      "name": "UnreachableV6",
      "prefix": "$UNREACHABLE6_PREFIX",
      "hostCount": 256,
      "expectedStatus": "Unreachable",
      "family": "IPv6",
      "acceptableStatuses": ["Unreachable"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "icmpError": {"type": 1, "code": 3, "from": "$ROUTER_SWEEPER_ADDR6"},
      "simulates": "a router answering ICMPv6 address-unreachable (ip6tables REJECT in $NS_ROUTER)"
    },
    {
      "name": "OnLinkEmptyV6",
      "prefix": "$ONLINK6_PREFIX",
      "hostCount": 256,
      "expectedStatus": "NoResponse",
      "family": "IPv6",
      "acceptableStatuses": ["NoResponse", "Unreachable"],
      "delayMs": 0,
      "replyLossProbability": 1,
      "ndFailureMs": $(( ONLINK_MCAST_SOLICIT * ONLINK_RETRANS_MS )),
      "icmpError": {"type": 1, "code": 3, "from": "$SWEEPER_ROUTER_ADDR6"},
      "simulates": "an empty directly connected IPv6 subnet: neighbour solicitation gets no answer; after ndFailureMs the sweeper's own kernel reports address-unreachable, so timeouts shorter than that see NoResponse"
    }
  ]
}
EOF
}

# ---- unprivileged runs ----
# The issue demands that the engine gives the same results without root. exec-unprivileged runs a command
# inside psw-sweeper as LAB_USER with no capabilities: the only thing that lets it (dotnet) ping is
# net.ipv4.ping_group_range, which is per network namespace and opened only in psw-sweeper by `up` (it also
# governs ICMPv6 datagram sockets). Raw sockets stay refused, exactly as for a user on a real machine.

# The lab user: a system account without login or home; `nobody` would do, but a dedicated name shows up
# clearly in ps and in file ownership.
ensure_lab_user() {
    id -u "$LAB_USER" >/dev/null 2>&1 && return 0
    command -v useradd >/dev/null 2>&1 || die "user $LAB_USER is missing and useradd is not available (or set PSW_LAB_USER=nobody)"
    # A concurrent caller may create it first: then useradd fails and the user exists all the same.
    useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$LAB_USER" 2>/dev/null \
        || id -u "$LAB_USER" >/dev/null 2>&1 || die "useradd $LAB_USER failed"
    log "created system user $LAB_USER (uid $(id -u "$LAB_USER"))"
}

# The first directory on the way to $1 (from /) that others may not enter, e.g. /root (mode 700) for
# /root/.nuget/packages; empty when the lab user can reach $1.
closed_ancestor() {
    local path=$1 prefix="" part perm
    local -a parts
    IFS=/ read -ra parts <<<"${path#/}"
    for part in "${parts[@]}"; do
        [[ -n $part ]] || continue
        prefix="$prefix/$part"
        [[ $prefix == "$path" ]] && break
        perm=$(stat -c %a "$prefix")
        if (( (8#$perm & 1) == 0 )); then echo "$prefix"; return; fi
    done
}

exec_unprivileged() {
    local -a expose=()
    local resolv_conf=""
    while [[ $# -gt 0 ]]; do
        case $1 in
            --expose)
                [[ $# -ge 2 && -d $2 ]] || die "--expose needs an existing directory"
                expose+=("$(realpath "$2")"); shift 2 ;;
            --resolv-conf)
                [[ $# -ge 2 && -f $2 ]] || die "--resolv-conf needs an existing file"
                resolv_conf=$(realpath "$2"); shift 2 ;;
            --) shift; break ;;
            *) break ;;
        esac
    done
    [[ $# -gt 0 ]] || die "exec-unprivileged needs a command"
    ns_exists "$NS_SWEEPER" || die "the lab is not up (no $NS_SWEEPER); run: $0 up"
    ensure_lab_user
    # The caller's NuGet folder holds the dotnet tools (the repository's pinned pwsh) and Pester; root's is
    # under /root, which the lab user cannot enter.
    local nuget=${NUGET_PACKAGES:-${HOME:-/nonexistent}/.nuget/packages}
    [[ -d $nuget ]] && expose+=("$(realpath "$nuget")")

    # A private HOME for the lab user: pwsh and dotnet write caches there (~/.cache, ~/.local, DOTNET_CLI_HOME).
    local uid gid home
    uid=$(id -u "$LAB_USER"); gid=$(id -g "$LAB_USER")
    home="$STATE_DIR/home-$LAB_USER"
    mkdir -p "$home" && chown "$uid:$gid" "$home" && chmod 700 "$home"

    # A private mount namespace (unshare) lets the exposure below be seen by this command only.
    exec ip netns exec "$NS_SWEEPER" unshare --mount --propagation private -- \
        bash "$LAB_DIR/lab.sh" _drop-privileges ${resolv_conf:+--resolv-conf "$resolv_conf"} "$uid" "$gid" "$home" "${expose[@]}" -- "$@"
}

# Runs inside the private mount namespace, still as root: makes every exposed directory readable at its own
# path, then becomes the lab user and execs the command. A directory under a closed one (/root) is reached
# by laying an empty tmpfs over the closed one and moving a bind mount of the directory into it, read-only:
# the user sees the exposed directories and nothing else of /root, and the host's /root is not changed.
drop_privileges() {
    if [[ $1 == --resolv-conf ]]; then
        mount --bind "$2" /etc/resolv.conf   # in this mount namespace only (exec-unprivileged made it private)
        shift 2
    fi
    local uid=$1 gid=$2 home=$3; shift 3
    local -a expose=()
    while [[ $# -gt 0 && $1 != -- ]]; do expose+=("$1"); shift; done
    shift

    umask 022
    local -A closed=()
    local dir top n=0
    for dir in "${expose[@]}"; do
        top=$(closed_ancestor "$dir")
        [[ -n $top ]] && closed[$top]+="$dir"$'\n'
    done
    for top in "${!closed[@]}"; do
        local -a dirs=() stages=()
        mapfile -t dirs < <(printf '%s' "${closed[$top]}" | sort -u)
        for dir in "${dirs[@]}"; do
            n=$((n + 1))
            mkdir -p "$STATE_DIR/expose/$n"
            mount --bind "$dir" "$STATE_DIR/expose/$n"
            stages+=("$STATE_DIR/expose/$n")
        done
        mount -t tmpfs -o mode=0755,size=1m psw-lab-expose "$top"
        local i
        for i in "${!dirs[@]}"; do
            mkdir -p "${dirs[$i]}"
            mount --move "${stages[$i]}" "${dirs[$i]}"
            mount -o remount,bind,ro "${dirs[$i]}"
        done
    done

    # A clean environment: the caller's tool settings pass, nothing else of root's does.
    # PATH keeps the caller's directories the lab user can reach (not root's ~/.dotnet/tools and the like).
    local path="" entry
    local -a entries
    IFS=: read -ra entries <<<"${PATH:-/usr/local/bin:/usr/bin:/bin}"
    for entry in "${entries[@]}"; do
        [[ -d $entry && -z $(closed_ancestor "$entry") ]] && path="${path:+$path:}$entry"
    done
    local -a env=(HOME="$home" DOTNET_CLI_HOME="$home" USER="$LAB_USER" LOGNAME="$LAB_USER" TMPDIR=/tmp PATH="$path")
    local name
    for name in $(compgen -e); do
        [[ $name =~ ^(DOTNET_.*|POWERSHELL_.*|PINGSWEEP_.*|PSW_LAB_.*|NUGET_PACKAGES|LANG|LC_.*|TERM|TZ|CI)$ ]] \
            && [[ $name != DOTNET_CLI_HOME ]] && env+=("$name=${!name}")
    done
    # No capability is kept or inheritable. The bounding set and no_new_privs are left alone on purpose: then
    # fping and ping keep their file capability (cap_net_raw) as for any user on Debian, while dotnet, which
    # has none, gets no raw socket. (fping 5.1 without it uses a datagram socket and then drops its replies,
    # whose identifier the kernel rewrote; a bounding set without cap_net_raw makes its exec fail outright.)
    exec setpriv --reuid="$uid" --regid="$gid" --init-groups --inh-caps=-all \
        -- env -i "${env[@]}" "$@"
}

# ---- main ----
cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    up)     take_lock; up "$@" ;;
    down)   take_lock; down; log "down" ;;
    status) status ;;
    check)  check ;;
    plan)
        if [[ ${1:-} == --delay-ms ]]; then plan "${2:?--delay-ms needs a value}"; else plan; fi ;;
    exec)
        [[ $# -gt 0 ]] || die "exec needs a command"
        ns_exists "$NS_SWEEPER" || die "the lab is not up (no $NS_SWEEPER); run: $0 up"
        if [[ $1 == --resolv-conf ]]; then
            [[ $# -ge 3 ]] || die "exec --resolv-conf needs a file and a command"
            conf=$2; shift 2; [[ ${1:-} == -- ]] && shift
            exec_with_resolv_conf "$conf" "$@"
        fi
        exec ip netns exec "$NS_SWEEPER" "$@" ;;
    exec-unprivileged) exec_unprivileged "$@" ;;
    inject)
        # The injector runs where the sweep's probes arrive; exec keeps the pid, so the caller can stop it by pid.
        case ${1:-} in
            dead) ns=$NS_DEAD ;;
            delay) ns=$NS_DELAY ;;
            *) die "inject needs a namespace role: dead or delay" ;;
        esac
        shift
        ns_exists "$ns" || die "the lab is not up (no $ns); run: $0 up"
        [[ -x "$BUILD_DIR/injector" ]] || die "$BUILD_DIR/injector is missing; run: $0 up"
        exec ip netns exec "$ns" "$BUILD_DIR/injector" "$@" ;;
    _drop-privileges) drop_privileges "$@" ;;   # internal: the second half of exec-unprivileged
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
