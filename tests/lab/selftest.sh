#!/usr/bin/env bash
# selftest.sh - bring the lab up and prove every range behaves as planned.
#
#   selftest.sh [--keep] [--delay-ms N]
#
# Probes IPv4 from inside psw-sweeper with probe.c (raw ICMP socket) and IPv6
# with ping -6 (iputils-ping, which `up --with-ping` installs: it prints ICMPv6
# errors, fping does not). Every probe is bounded in count and time; the whole
# run takes about 25 s. Exit 0 = all checks passed, 1 = a check failed, 77 = skipped
# (namespaces impossible here, e.g. not root).
set -euo pipefail

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LAB="$LAB_DIR/lab.sh"
NS_PREFIX=${PSW_LAB_NS_PREFIX:-psw}
SWEEPER=$NS_PREFIX-sweeper
PROBE=${PSW_LAB_STATE_DIR:-/tmp/$NS_PREFIX-lab}/build/probe   # built by `lab.sh up`
[[ -n "${PSW_LAB_STATE_DIR:-}" ]] && PROBE="$PSW_LAB_STATE_DIR/build/probe"

keep=0 delay_ms=20
while [[ $# -gt 0 ]]; do
    case $1 in
        --keep) keep=1; shift ;;
        --delay-ms) delay_ms=${2:?--delay-ms needs a value}; shift 2 ;;
        *) echo "usage: $0 [--keep] [--delay-ms N]" >&2; exit 2 ;;
    esac
done

failures=0
pass() { printf 'PASS  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*"; failures=$((failures + 1)); }
info() { printf 'INFO  %s\n' "$*"; }
# field NAME "summary ... NAME=value ..." -> value
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<" $2"; }
# fcmp "a OP b" for decimals, e.g. fcmp "1.5 < 2"
fcmp() { awk "BEGIN { exit !($1) }"; }
probe() { "$LAB" exec "$PROBE" "$@" | grep '^summary' || true; }

if ! reason=$("$LAB" check); then
    echo "$reason"
    exit 77
fi

host_pgr_before=$(sysctl -n net.ipv4.ping_group_range)
t0=$(date +%s%N)
"$LAB" up --delay-ms "$delay_ms" --with-ping
up_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
info "lab up in ${up_ms} ms (delay ${delay_ms} ms)"
[[ $keep -eq 1 ]] || trap '"$LAB" down' EXIT

# -- the plan file matches the script's variables --
# The committed file is the default lab (prefix psw), whatever prefix this run uses.
if diff <(PSW_LAB_NS_PREFIX=psw "$LAB" plan) "$LAB_DIR/lab-plan.json" >/dev/null; then
    pass "lab-plan.json matches lab.sh's address plan"
else
    fail "lab-plan.json differs from 'lab.sh plan' (regenerate: lab.sh plan > lab-plan.json)"
fi

# -- safety: the sweeper cannot reach anything outside the lab (route lookups only, no packets) --
if [[ -z "$(ip -n "$SWEEPER" route show default)" ]] \
    && ! ip -n "$SWEEPER" route get 1.1.1.1 >/dev/null 2>&1 \
    && ! ip -n "$SWEEPER" route get 192.168.178.1 >/dev/null 2>&1; then
    pass "$SWEEPER has no default route; outside addresses are unroutable"
else
    fail "$SWEEPER can route outside the lab"
fi

# -- ALIVE: every address answers, fast --
for a in 198.18.0.0 198.18.77.200 198.18.255.255; do
    s=$(probe -c 3 -i 20 -W 1000 "$a")
    if [[ $(field received "$s") -eq 3 ]] && fcmp "$(field avg_ms "$s") < 10"; then
        pass "alive   $a: 3/3 replies, rtt min/avg/max $(field min_ms "$s")/$(field avg_ms "$s")/$(field max_ms "$s") ms"
    else
        fail "alive   $a: $s"
    fi
done

# -- DELAYED: every address answers, never sooner than the delay --
for a in 198.19.0.1 198.19.0.200; do
    s=$(probe -c 3 -i 20 -W $((delay_ms + 1000)) "$a")
    if [[ $(field received "$s") -eq 3 ]] && fcmp "$(field min_ms "$s") >= $delay_ms"; then
        pass "delayed $a: 3/3 replies, rtt min/avg/max $(field min_ms "$s")/$(field avg_ms "$s")/$(field max_ms "$s") ms (>= $delay_ms)"
    else
        fail "delayed $a: $s"
    fi
done
s=$(probe --sweep 198.19.0.0/24 -W $((delay_ms + 1000)))
if [[ $(field answered "$s") -eq 256 ]] && fcmp "$(field min_ms "$s") >= $delay_ms"; then
    pass "delayed 198.19.0.0/24 sweep: 256/256 answered, rtt min/avg/max $(field min_ms "$s")/$(field avg_ms "$s")/$(field max_ms "$s") ms"
else
    fail "delayed sweep: $s"
fi

# -- LOSSY: two probes per host; some hosts answer 0, some 1, some 2 --
s=$(probe --sweep 198.19.1.0/24 -c 2 -W 1000)
hist=$(field hist "$s"); answered=$(field answered "$s")
h0=$(sed 's/.*0:\([0-9]*\).*/\1/' <<<"$hist"); h1=$(sed 's/.*1:\([0-9]*\).*/\1/' <<<"$hist"); h2=$(sed 's/.*2:\([0-9]*\).*/\1/' <<<"$hist")
# 512 replies at p=0.5: mean 256, sd ~11; 0.35..0.65 is > 6 sd wide, never flaky.
if [[ $h0 -gt 0 && $h1 -gt 0 && $h2 -gt 0 ]] && fcmp "$answered / 512 > 0.35 && $answered / 512 < 0.65"; then
    pass "lossy   198.19.1.0/24 x2: $answered/512 replies; hosts answering 0/1/2 of 2: $h0/$h1/$h2"
else
    fail "lossy: $s"
fi

# -- DEAD: routed, owned, silent --
s=$(probe -c 2 -i 50 -W 500 198.19.2.1)
s2=$(probe --sweep 198.19.2.0/24 -W 500)
if [[ $(field received "$s") -eq 0 && $(field unreachable "$s") -eq 0 && $(field answered "$s2") -eq 0 ]]; then
    pass "dead    198.19.2.1: 0/2 replies, no ICMP error; /24 sweep: 0/256 answered"
else
    fail "dead: $s / $s2"
fi

# -- UNREACHABLE: the router says host-unreachable for each probe --
s=$(probe -c 3 -i 20 -W 1000 198.19.3.9)
if [[ $(field unreachable "$s") -eq 3 && $(field unreach_code "$s") -eq 1 && $(field unreach_from "$s") == 198.19.255.6 \
      && $(field received "$s") -eq 0 ]]; then
    pass "unreach 198.19.3.9: 3/3 ICMP host-unreachable (type 3 code 1) from router 198.19.255.6"
else
    fail "unreachable: $s"
fi

# -- ON-LINK EMPTY: ARP fails; the sweeper's own kernel reports host-unreachable after ~3 s --
t0=$(date +%s%N)
s=$(probe -c 2 -i 100 -W 4500 198.19.4.9)
el=$(( ($(date +%s%N) - t0) / 1000000 ))
if [[ $(field received "$s") -eq 0 ]] && { [[ $(field unreachable "$s") -eq 0 ]] \
      || [[ $(field unreach_code "$s") -eq 1 && $(field unreach_from "$s") == 198.19.255.5 ]]; }; then
    pass "on-link 198.19.4.9: 0/2 replies; $(field unreachable "$s") local host-unreachable from $(field unreach_from "$s") (ARP failure), after ${el} ms"
else
    fail "on-link: $s"
fi

# ---- IPv6 (ping -6 from iputils, installed by `up --with-ping`: it shows ICMPv6 errors, fping does not) ----
# ping6 ARGS... -> ping's whole output; fields from it with the helpers below.
ping6() { "$LAB" exec ping -6 -n "$@" 2>&1 || true; }
received() { sed -n 's/.* \([0-9]*\) received.*/\1/p' <<<"$1"; }
rtt() { sed -n 's|^rtt min/avg/max/mdev = \([0-9.]*\)/\([0-9.]*\)/\([0-9.]*\)/.*|\1 \2 \3|p' <<<"$1"; }
unreach_from() { grep -c "^From $2 icmp_seq=[0-9]* Destination unreachable: Address unreachable" <<<"$1" || true; }
errors() { grep -c 'Destination unreachable' <<<"$1" || true; }

if [[ -z "$(ip -n "$SWEEPER" -6 route show default)" ]] \
    && ! ip -n "$SWEEPER" -6 route get 2001:4860:4860::8888 >/dev/null 2>&1 \
    && ! ip -n "$SWEEPER" -6 route get 2001:2:ffff::1 >/dev/null 2>&1 \
    && ! ip -n "$SWEEPER" -6 route get fd00::1 >/dev/null 2>&1; then
    pass "$SWEEPER has no IPv6 default route; outside IPv6 addresses (and the unused rest of 2001:2::/48) are unroutable"
else
    fail "$SWEEPER can route IPv6 outside the lab: $(ip -n "$SWEEPER" -6 route show default)"
fi

# AliveV6: the /64 answers everywhere; 2001:2:0:1:0:0:0:5 is 2001:2:0:1::5 spelled out.
for a in 2001:2:0:1:: 2001:2:0:1:0:0:0:5 2001:2:0:1::ffff 2001:2:0:1:ffff:ffff:ffff:ffff; do
    s=$(ping6 -c 3 -i 0.02 -W 1 "$a"); read -r mn av mx <<<"$(rtt "$s")"
    if [[ $(received "$s") -eq 3 ]] && fcmp "${av:-99} < 10"; then
        pass "alive6  $a: 3/3 replies, rtt min/avg/max $mn/$av/$mx ms"
    else
        fail "alive6  $a: $(tail -n 2 <<<"$s" | tr '\n' ' ')"
    fi
done

# DelayedV6: responder.c answers ICMPv6 after the delay.
for a in 2001:2:0:10::1 2001:2:0:10::c8; do
    s=$(ping6 -c 3 -i 0.02 -W $(( delay_ms / 1000 + 2 )) "$a"); read -r mn av mx <<<"$(rtt "$s")"
    if [[ $(received "$s") -eq 3 ]] && fcmp "${mn:-0} >= $delay_ms"; then
        pass "delay6  $a: 3/3 replies, rtt min/avg/max $mn/$av/$mx ms (>= $delay_ms)"
    else
        fail "delay6  $a: $(tail -n 2 <<<"$s" | tr '\n' ' ')"
    fi
done

# LossyV6: 100 echoes to one host, each reply dropped with p=0.5: 30..70 received (4 sd either side).
s=$(ping6 -c 100 -i 0.005 -W 1 2001:2:0:11::7); n=$(received "$s")
if [[ -n $n && $n -ge 30 && $n -le 70 ]]; then
    pass "lossy6  2001:2:0:11::7: $n/100 replies"
else
    fail "lossy6: $(tail -n 2 <<<"$s" | tr '\n' ' ')"
fi

# DeadV6: routed, owned, silent, and no error either.
s=$(ping6 -c 2 -i 0.05 -W 1 2001:2:0:12::7)
if [[ $(received "$s") -eq 0 && $(errors "$s") -eq 0 ]]; then
    pass "dead6   2001:2:0:12::7: 0/2 replies, no ICMPv6 error"
else
    fail "dead6: $(tail -n 3 <<<"$s" | tr '\n' ' ')"
fi

# UnreachableV6: the router answers every probe with address-unreachable (type 1, code 3) from its link address.
router6=2001:2:0:ff01::2
s=$(ping6 -c 3 -i 0.02 -W 1 2001:2:0:13::9)
if [[ $(received "$s") -eq 0 && $(unreach_from "$s" "$router6") -eq 3 ]]; then
    pass "unreach6 2001:2:0:13::9: 3/3 ICMPv6 address-unreachable from router $router6"
else
    fail "unreach6: $(tr '\n' ' ' <<<"$s")"
fi

# OnLinkEmptyV6: neighbour solicitation unanswered; after ~3 s the sweeper's own kernel says address-unreachable.
t0=$(date +%s%N)
s=$(ping6 -c 2 -i 0.1 -W 5 2001:2:0:20::9)
el=$(( ($(date +%s%N) - t0) / 1000000 ))
own6=2001:2:0:ff01::1
if [[ $(received "$s") -eq 0 && $(errors "$s") -eq $(unreach_from "$s" "$own6") ]]; then
    pass "onlink6 2001:2:0:20::9: 0/2 replies; $(unreach_from "$s" "$own6") local address-unreachable from $own6 (ND failure), after ${el} ms"
else
    fail "onlink6: $(tr '\n' ' ' <<<"$s")"
fi

# Discovery: ff02::1 on sw-lan reaches the three LAN hosts, each answering each probe once (plus the sweeper's
# own looped-back reply from fe80::1).
s=$(ping6 -c 2 -i 0.3 -w 2 ff02::1%sw-lan)
seq1=$(grep 'icmp_seq=1 ' <<<"$s" | sed -n 's/.* from \([0-9a-f:]*\)%sw-lan: .*/\1/p' | sort | tr '\n' ' ')
if [[ $seq1 == "fe80::1 fe80::11 fe80::12 fe80::13 " ]]; then
    pass "lan6    ff02::1%sw-lan: probe 1 answered once each by $seq1"
else
    fail "lan6: probe 1 answered by '$seq1': $(tr '\n' ' ' <<<"$s")"
fi

# -- QUIET (discovery): no echo reply, but the sweeper's neighbour table holds each host's MAC, confirmed --
ip -n "$SWEEPER" neigh flush dev sw-quiet >/dev/null 2>&1 || true
ip -n "$SWEEPER" -6 neigh flush dev sw-quiet >/dev/null 2>&1 || true
s=$(probe -c 1 -W 500 198.19.7.10)
n=$(ip -n "$SWEEPER" neigh show 198.19.7.10 dev sw-quiet)
if [[ $(field received "$s") -eq 0 && $n == *"lladdr 00:50:56:07:00:10"* && $n =~ (REACHABLE|STALE|DELAY) ]]; then
    pass "quiet   198.19.7.10: no echo reply, neighbour entry '$n'"
else
    fail "quiet   198.19.7.10: $s; neighbour entry '$n'"
fi
s=$(ping6 -c 1 -w 1 2001:2:0:21::11 || true)
n=$(ip -n "$SWEEPER" -6 neigh show 2001:2:0:21::11 dev sw-quiet)
if [[ $s == *" 0 received"* && $n == *lladdr* && $n =~ (REACHABLE|STALE|DELAY) ]]; then
    pass "quiet6  2001:2:0:21::11: no echo reply, neighbour entry '$n'"
else
    fail "quiet6  2001:2:0:21::11: $(tr '\n' ' ' <<<"$s"); neighbour entry '$n'"
fi

# -- DNS: dnsmasq answers PTR for lab addresses (glibc's reverse lookup, inside the sweeper); the dead one never --
s=$("$LAB" exec getent hosts 198.19.7.10 198.18.0.77 2001:2:0:21::10 2>&1 || true)
if [[ $s == *quiet-known.lab.test* && $s == *host-77.alive.lab.test* && $s == *quiet-known6.lab.test* ]]; then
    pass "dns     PTR via $("$LAB" exec cat /etc/resolv.conf | tr '\n' ' '): $(tr '\n' ';' <<<"$s")"
else
    fail "dns     PTR: '$s'"
fi
dead_conf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["names"]["deadResolvConf"])' "${PSW_LAB_STATE_DIR:-/tmp/$NS_PREFIX-lab}/lab-plan.json" 2>/dev/null || echo "${PSW_LAB_STATE_DIR:-/tmp/$NS_PREFIX-lab}/resolv-dead.conf")
t0=$(date +%s%N)
s=$(timeout 2 "$LAB" exec --resolv-conf "$dead_conf" getent hosts 198.18.0.77 2>&1; echo "exit=$?")
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [[ $s == *exit=124* && $s != *alive.lab.test* ]]; then
    pass "dead dns: no answer within 2 s from $(cat "$dead_conf" | tr '\n' ' ')(${ms} ms)"
else
    fail "dead dns: '$s'"
fi

# ---- TCP (issue 8): bash's /dev/tcp from the sweeper; "open" = accepted, "closed" = refused, "silent" = timed out ----
tcp_state() {
    local out
    out=$("$LAB" exec timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>&1) && { echo open; return; }
    grep -q 'Connection refused' <<<"$out" && { echo closed; return; }
    grep -q 'No route to host\|Network is unreachable\|unreachable' <<<"$out" && { echo unreachable; return; }
    echo silent
}
for check in "198.19.5.9 22 open" "198.19.5.9 80 closed" "198.19.6.9 22 silent" "2001:2:0:30::9 22 open" \
    "2001:2:0:30::9 443 closed" "2001:2:0:31::9 22 silent" "198.18.3.4 80 open" "2001:2:0:1::7 80 open" \
    "198.19.3.9 22 unreachable" "2001:2:0:13::9 22 unreachable"; do
    read -r a port want <<<"$check"
    got=$(tcp_state "$a" "$port")
    if [[ $got == "$want" ]]; then
        pass "tcp     $a port $port: $got"
    else
        fail "tcp     $a port $port: $got, expected $want"
    fi
done
s=$(probe -c 2 -i 20 -W 500 198.19.5.9)
if [[ $(field received "$s") -eq 0 && $(field unreachable "$s") -eq 0 ]]; then
    pass "tcp     198.19.5.9: 0/2 echo replies (ICMP echo dropped, TCP answered)"
else
    fail "tcp-only echo: $s"
fi

# ---- unprivileged: the lab user (pswlab) without capabilities, through lab.sh exec-unprivileged ----
host_pgr_after=$(sysctl -n net.ipv4.ping_group_range)
if [[ $host_pgr_after == "$host_pgr_before" ]]; then
    pass "host namespace ping_group_range untouched ($(tr '\t' ' ' <<<"$host_pgr_after")); $SWEEPER's is $("$LAB" exec sysctl -n net.ipv4.ping_group_range | tr '\t' ' ')"
else
    fail "host ping_group_range changed: '$host_pgr_before' -> '$host_pgr_after'"
fi
s=$("$LAB" exec-unprivileged "$PROBE" --dgram -c 2 -i 20 -W 1000 198.18.1.1 2>&1 | grep '^summary' || true)
if [[ $(field received "$s") -eq 2 ]]; then
    pass "pswlab  ping socket (SOCK_DGRAM) to 198.18.1.1: 2/2 replies"
else
    fail "pswlab  ping socket: ${s:-no output}"
fi
s=$("$LAB" exec-unprivileged sh -c "$PROBE -c 1 -W 500 198.18.1.1 2>&1" || true)
if grep -q 'Operation not permitted' <<<"$s"; then
    pass "pswlab  raw ICMP socket refused (Operation not permitted)"
else
    fail "pswlab  raw socket not refused: $s"
fi

# -- sweep rate: one probe to each of the 65,536 alive addresses, unpaced, one pass --
s=$(probe --sweep 198.18.0.0/16 -W 2000)
answered=$(field answered "$s"); total_ms=$(field total_ms "$s")
pps=$(awk "BEGIN { printf \"%d\", $(field sent "$s") / ($(field send_ms "$s") / 1000) }")
if [[ $answered -ge 64880 ]]; then   # >= 99 %
    pass "rate    198.18.0.0/16: $answered/65536 answered in ${total_ms} ms (sent at ~${pps} pps, rtt avg $(field avg_ms "$s") ms, max $(field max_ms "$s") ms)"
else
    fail "rate: $s"
fi

# -- teardown is idempotent and complete --
if [[ $keep -eq 0 ]]; then
    trap - EXIT
    "$LAB" down && "$LAB" down
    if ip netns list | grep -qE "^$NS_PREFIX-(sweeper|alive|router|delay|lossy|dead|void|lan|quiet|dns)( |\$)"; then
        fail "namespaces left after down: $(ip netns list | grep "^$NS_PREFIX-" | tr '\n' ' ')"
    else
        pass "down twice: no $NS_PREFIX- lab namespaces left"
    fi
    if [[ -e /etc/netns/$SWEEPER ]] || pgrep -f "pid-file=${PSW_LAB_STATE_DIR:-/tmp/$NS_PREFIX-lab}/dnsmasq.pid" >/dev/null; then
        fail "down left /etc/netns/$SWEEPER or the lab's dnsmasq behind"
    else
        pass "down: /etc/netns/$SWEEPER removed, dnsmasq stopped"
    fi
fi

echo
if [[ $failures -eq 0 ]]; then
    echo "selftest: all checks passed"
else
    echo "selftest: $failures check(s) FAILED"
    exit 1
fi
