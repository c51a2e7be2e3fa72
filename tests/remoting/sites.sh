#!/usr/bin/env bash
# sites.sh - two "sites" reachable over SSH from a "hub", for PowerShell remoting tests (issue 10 §3).
#
#   sites.sh up [--pwsh-dll PATH]    build the namespaces and start one sshd per site (tears down leftovers first)
#   sites.sh down                    stop the sshds, remove the namespaces and the state (idempotent, never fails)
#   sites.sh check                   can this machine host it? exit 0 yes, 1 no (+ reason on stdout)
#   sites.sh status                  what exists right now
#   sites.sh plan                    the plan as JSON (names, addresses, ranges, key and known_hosts paths)
#   sites.sh hub CMD [ARGS...]       run CMD inside the hub namespace (where Invoke-Command runs)
#   sites.sh site a|b CMD [ARGS...]  run CMD inside a site namespace
#   sites.sh sshd-stop a|b           stop one site's sshd (the site is "down": connections are refused)
#   sites.sh sshd-start a|b          start it again
#
# Topology (namespaces prefixed psr-, PSR_NS_PREFIX overrides):
#
#   psr-hub --hub-a/a-hub 198.19.200.0/30--> psr-site-a   sshd on 198.19.200.2; LAN lan0 198.19.210.0/28
#       \---hub-b/b-hub 198.19.200.4/30--> psr-site-b   sshd on 198.19.200.6; LAN lan0 198.19.211.0/28
#
# A site's LAN is an interface lan0 (one end of a veth pair inside the site) with the range's first address, and the whole range is local to the site
# (AnyIP), so `Invoke-ParallelPing -Interface lan0` at a site sweeps its own range and its own kernel answers.
#
# In the hub, `site-a` and `site-b` resolve to the sshd addresses through /etc/netns/psr-hub/hosts, which
# `ip netns exec` mounts over /etc/hosts (its resolv.conf is empty: no resolver is ever asked).
#
# NETWORK SAFETY: no namespace has a default route; IPv6 is disabled in all three. The hub knows only its two
# /30 links; a site knows only its link and its own range, which is local to it. The only traffic is ssh from
# the hub to a site and each site's ICMP to itself. Nothing is configured in the host namespace except the
# per-namespace files under /etc/netns/ and the state directory (PSR_STATE_DIR, default /run/psr-remoting).
#
# Each sshd: its own config and host key, root login by key only (the client key is made here, in the state
# directory, with a known_hosts file that lists both host keys), `UsePAM yes` (root's password may be locked),
# and the subsystem `powershell` = a wrapper that execs the repository's pinned pwsh (a dotnet tool) with
# -sshs -NoLogo -NoProfile. Debian's openssh-server is installed when sshd is missing.
set -euo pipefail

NS_PREFIX=${PSR_NS_PREFIX:-psr}
[[ $NS_PREFIX =~ ^[a-z][a-z0-9]{0,5}$ ]] || { echo "sites: ERROR: PSR_NS_PREFIX must be 1-6 lower-case letters/digits" >&2; exit 1; }
NS_HUB=$NS_PREFIX-hub
NS_SITE_A=$NS_PREFIX-site-a
NS_SITE_B=$NS_PREFIX-site-b
ALL_NS=("$NS_HUB" "$NS_SITE_A" "$NS_SITE_B")

# ---- address plan (inside 198.18.0.0/15, clear of tests/lab's 198.18.0.0/16, 198.19.0.0/22, 198.19.16.0/20,
# 198.19.32.0/20 and 198.19.255.0/24) ----
HUB_A_ADDR=198.19.200.1   SITE_A_ADDR=198.19.200.2    # 198.19.200.0/30
HUB_B_ADDR=198.19.200.5   SITE_B_ADDR=198.19.200.6    # 198.19.200.4/30
SITE_A_RANGE=198.19.210.0/28
SITE_B_RANGE=198.19.211.0/28
SITE_LAN_IF=lan0                  # in each site: the interface whose subnet is the site's range
SITE_A_NAME=site-a
SITE_B_NAME=site-b

SITES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SITES_DIR/../.." && pwd)"
STATE_DIR="${PSR_STATE_DIR:-/run/$NS_PREFIX-remoting}"
LOCK_FILE="/run/$NS_PREFIX-remoting.lock"
CLIENT_DIR="$STATE_DIR/client"
WRAPPER="$STATE_DIR/pwsh-sshs"

log()  { printf 'sites: %s\n' "$*" >&2; }
die()  { printf 'sites: ERROR: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

# Serialise up/down/sshd-* between concurrent callers.
take_lock() {
    exec 9>"$LOCK_FILE"
    flock -w 60 9 || die "another sites.sh holds $LOCK_FILE for over 60 s"
}

ns_exists() { [[ -e "/run/netns/$1" ]]; }
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

site_ns()   { case $1 in a) echo "$NS_SITE_A" ;; b) echo "$NS_SITE_B" ;; *) die "unknown site '$1' (a or b)" ;; esac; }
site_addr() { case $1 in a) echo "$SITE_A_ADDR" ;; b) echo "$SITE_B_ADDR" ;; esac; }
site_dir()  { echo "$STATE_DIR/site-$1"; }

# ---- check ----
check() {
    if [[ $(id -u) -ne 0 ]]; then
        echo "SKIP: not root (uid $(id -u)); network namespaces and sshd need root"
        return 1
    fi
    if ! command -v ip >/dev/null 2>&1; then
        echo "SKIP: 'ip' (iproute2) is not installed"
        return 1
    fi
    local probe="$NS_PREFIX-check-$$"
    if ! ip netns add "$probe" 2>/dev/null; then
        echo "SKIP: cannot create a network namespace here (ip netns add failed; container without privileges?)"
        return 1
    fi
    if ! ip -n "$probe" link add psr-c0 type veth peer name psr-c1 2>/dev/null; then
        ip netns del "$probe" 2>/dev/null || true
        echo "SKIP: cannot create veth pairs inside a namespace (CONFIG_VETH missing?)"
        return 1
    fi
    ip netns del "$probe" 2>/dev/null || true
    local tool
    for tool in sshd ssh ssh-keygen iptables; do
        if ! command -v "$tool" >/dev/null 2>&1 && [[ ! -x /usr/sbin/$tool ]] && ! command -v apt-get >/dev/null 2>&1; then
            echo "SKIP: $tool is missing and apt-get is not available to install it"
            return 1
        fi
    done
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
    local missing=()
    [[ -x /usr/sbin/sshd ]] || missing+=(openssh-server)
    { command -v ssh && command -v ssh-keygen; } >/dev/null 2>&1 || missing+=(openssh-client)
    command -v iptables >/dev/null 2>&1 || missing+=(iptables)
    if [[ ${#missing[@]} -gt 0 ]]; then
        # Debian starts no service from a package here when /usr/sbin/policy-rc.d forbids it (containers);
        # either way the sshds of this script are separate processes with their own configs.
        apt_install "${missing[@]}"
    fi
    [[ -x /usr/sbin/sshd ]] || die "sshd is missing after installing openssh-server"
}

# The pinned pwsh: the dotnet tool's pwsh.dll (dotnet-tools.json gives the version).
find_pwsh_dll() {
    local version packages dll
    version=$(sed -n 's/.*"version": *"\([0-9][0-9.]*\)".*/\1/p' "$REPO_ROOT/dotnet-tools.json" | tail -n 1)
    packages=${NUGET_PACKAGES:-$HOME/.nuget/packages}
    for dll in "$packages"/powershell/"$version"/tools/*/any/unix/pwsh.dll "$packages"/powershell/"$version"/tools/*/any/pwsh.dll; do
        [[ -f $dll ]] && { echo "$dll"; return 0; }
    done
    return 1
}

# ---- down ----
# Ends every process left in a namespace (sshd and the children of its connections), bounded to ~2 s.
kill_ns_processes() {
    local ns=$1 pids i
    ns_exists "$ns" || return 0
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [[ -n $pids ]] || return 0
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
    for i in $(seq 1 40); do
        pids=$(ip netns pids "$ns" 2>/dev/null || true)
        [[ -n $pids ]] || return 0
        sleep 0.05
    done
    # shellcheck disable=SC2086
    kill -9 $pids 2>/dev/null || true
}

down() {
    local ns
    for ns in "${ALL_NS[@]}"; do
        kill_ns_processes "$ns"
        if ns_exists "$ns"; then
            ip netns del "$ns" 2>/dev/null || log "warning: could not delete namespace $ns"
        fi
        rm -rf "/etc/netns/$ns"
    done
    rmdir /etc/netns 2>/dev/null || true
    rm -rf "$STATE_DIR"
    return 0
}

# ---- up ----
new_ns() {
    local ns=$1
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    # No IPv6 at all: no address, no router advertisement, no IPv6 default route can ever appear.
    in_ns "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 \
        net.ipv4.icmp_ratelimit=0 >/dev/null
}

# veth pair between two namespaces, created directly inside them (never in the host).
link() {
    local ns_a=$1 if_a=$2 addr_a=$3 ns_b=$4 if_b=$5 addr_b=$6
    ip -n "$ns_a" link add "$if_a" type veth peer name "$if_b" netns "$ns_b"
    ip -n "$ns_a" addr add "$addr_a" dev "$if_a"
    ip -n "$ns_b" addr add "$addr_b" dev "$if_b"
    ip -n "$ns_a" link set "$if_a" up
    ip -n "$ns_b" link set "$if_b" up
}

site_lan() {
    local ns=$1 range=$2 first
    first=${range%.*/*}.$(( ${range##*.} + 1 )); first=${first%/*}
    # A veth pair with both ends in the site (the dummy link type is not always available); the far end has no address.
    ip -n "$ns" link add "$SITE_LAN_IF" type veth peer name "$SITE_LAN_IF-far"
    ip -n "$ns" addr add "$first/${range#*/}" dev "$SITE_LAN_IF"
    ip -n "$ns" link set "$SITE_LAN_IF-far" up
    ip -n "$ns" link set "$SITE_LAN_IF" up
    ip -n "$ns" route add local "$range" dev lo
}

write_sshd_config() {
    local site=$1 dir
    dir=$(site_dir "$site")
    cat >"$dir/sshd_config" <<EOF
# sshd of $(site_ns "$site"), written by tests/remoting/sites.sh
ListenAddress $(site_addr "$site")
Port 22
HostKey $dir/ssh_host_ed25519_key
PidFile $dir/sshd.pid
AuthorizedKeysFile $CLIENT_DIR/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
# Where root's password is locked, sshd without PAM refuses root even with a key.
UsePAM yes
UseDNS no
PrintMotd no
X11Forwarding no
AllowTcpForwarding no
AllowAgentForwarding no
ClientAliveInterval 0
LogLevel INFO
Subsystem powershell $WRAPPER
EOF
}

start_sshd() {
    local site=$1 dir ns i
    dir=$(site_dir "$site")
    ns=$(site_ns "$site")
    rm -f "$dir/sshd.pid"
    # sshd daemonises and stays in the namespace; -E keeps its log apart.
    in_ns "$ns" /usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log" 9>&-
    for i in $(seq 1 40); do   # bounded: ~2 s for the pid file
        [[ -s "$dir/sshd.pid" ]] && return 0
        sleep 0.05
    done
    die "sshd of site $site did not start: $(tail -n 5 "$dir/sshd.log" 2>/dev/null)"
}

stop_sshd() {
    local site=$1 dir pid i
    dir=$(site_dir "$site")
    [[ -f "$dir/sshd.pid" ]] || return 0
    pid=$(cat "$dir/sshd.pid" 2>/dev/null || true)
    rm -f "$dir/sshd.pid"
    [[ -n $pid && "$(cat "/proc/$pid/comm" 2>/dev/null)" == sshd ]] || return 0
    kill "$pid" 2>/dev/null || true
    for i in $(seq 1 40); do
        [[ -e /proc/$pid ]] || return 0
        sleep 0.05
    done
    kill -9 "$pid" 2>/dev/null || true
}

up() {
    local pwsh_dll=${PSR_PWSH_DLL:-}
    while [[ $# -gt 0 ]]; do
        case $1 in
            --pwsh-dll) [[ $# -ge 2 ]] || die "--pwsh-dll needs a value"; pwsh_dll=$2; shift 2 ;;
            *) die "up: unknown option '$1'" ;;
        esac
    done
    local reason
    reason=$(check) || die "$reason"
    ensure_tools
    [[ -n $pwsh_dll ]] || pwsh_dll=$(find_pwsh_dll) || die "the pinned pwsh was not found; run 'dotnet tool restore' or pass --pwsh-dll"
    [[ -f $pwsh_dll ]] || die "no pwsh.dll at '$pwsh_dll'"
    local dotnet
    dotnet=$(readlink -f "$(command -v dotnet)") || die "dotnet is not on PATH"
    down

    mkdir -p "$STATE_DIR" "$CLIENT_DIR" "$(site_dir a)" "$(site_dir b)"
    chmod 755 "$STATE_DIR"
    chmod 700 "$CLIENT_DIR"

    local ns
    for ns in "${ALL_NS[@]}"; do new_ns "$ns"; done
    link "$NS_HUB" hub-a "$HUB_A_ADDR/30" "$NS_SITE_A" a-hub "$SITE_A_ADDR/30"
    link "$NS_HUB" hub-b "$HUB_B_ADDR/30" "$NS_SITE_B" b-hub "$SITE_B_ADDR/30"
    # Each site's LAN: an interface lan0 holding the first address of the site's range (so
    # `Invoke-ParallelPing -Interface lan0` sweeps the range), and the whole range local to the site (AnyIP), so
    # that its own kernel answers every address and no packet leaves the namespace.
    site_lan "$NS_SITE_A" "$SITE_A_RANGE"
    site_lan "$NS_SITE_B" "$SITE_B_RANGE"

    # Names for the hub (and empty resolvers everywhere: nothing ever asks a DNS server).
    for ns in "${ALL_NS[@]}"; do
        mkdir -p "/etc/netns/$ns"
        : >"/etc/netns/$ns/resolv.conf"
        printf '127.0.0.1 localhost\n' >"/etc/netns/$ns/hosts"
    done
    printf '%s %s\n%s %s\n' "$SITE_A_ADDR" "$SITE_A_NAME" "$SITE_B_ADDR" "$SITE_B_NAME" >>"/etc/netns/$NS_HUB/hosts"

    # The PowerShell subsystem: the pinned pwsh in server mode. sshd starts it with a clean environment.
    cat >"$WRAPPER" <<EOF
#!/bin/sh
# sshd's 'powershell' subsystem (tests/remoting/sites.sh): the repository's pinned pwsh as an SSH remoting server.
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 POWERSHELL_TELEMETRY_OPTOUT=1 POWERSHELL_UPDATECHECK=Off
exec '$dotnet' '$pwsh_dll' -sshs -NoLogo -NoProfile
EOF
    chmod 755 "$WRAPPER"

    # Keys: one host key per site, one client key; known_hosts lists each site by name and address.
    ssh-keygen -q -t ed25519 -N '' -C "psr-client" -f "$CLIENT_DIR/id_ed25519"
    cp "$CLIENT_DIR/id_ed25519.pub" "$CLIENT_DIR/authorized_keys"
    chmod 600 "$CLIENT_DIR/authorized_keys"
    : >"$CLIENT_DIR/known_hosts"
    local site name
    for site in a b; do
        ssh-keygen -q -t ed25519 -N '' -C "psr-site-$site" -f "$(site_dir "$site")/ssh_host_ed25519_key"
        name=$SITE_A_NAME; [[ $site == b ]] && name=$SITE_B_NAME
        printf '%s,%s %s\n' "$name" "$(site_addr "$site")" "$(cut -d' ' -f1,2 "$(site_dir "$site")/ssh_host_ed25519_key.pub")" >>"$CLIENT_DIR/known_hosts"
        write_sshd_config "$site"
    done
    mkdir -p /run/sshd   # sshd's privilege separation directory
    /usr/sbin/sshd -t -f "$(site_dir a)/sshd_config" || die "sshd rejects its configuration"
    start_sshd a
    start_sshd b
    plan >"$STATE_DIR/plan.json"

    for ns in "${ALL_NS[@]}"; do
        if in_ns "$ns" ip -4 route show default | grep -q . || in_ns "$ns" ip -6 route show default 2>/dev/null | grep -q .; then
            down
            die "safety: $ns unexpectedly has a default route; torn down"
        fi
    done
    log "up: hub $NS_HUB, sites $NS_SITE_A ($SITE_A_NAME, $SITE_A_RANGE) and $NS_SITE_B ($SITE_B_NAME, $SITE_B_RANGE); plan: $STATE_DIR/plan.json"
}

# ---- status ----
status() {
    local ns any=0 site pid
    for ns in "${ALL_NS[@]}"; do
        if ns_exists "$ns"; then
            echo "namespace $ns: present; processes: $(ip netns pids "$ns" 2>/dev/null | xargs -r -n1 sh -c 'echo "$0:$(cat /proc/$0/comm 2>/dev/null)"' | tr '\n' ' ')"
            any=1
        else
            echo "namespace $ns: absent"
        fi
    done
    for site in a b; do
        pid=$(cat "$(site_dir "$site")/sshd.pid" 2>/dev/null || true)
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then echo "sshd of site $site: running, pid $pid"; else echo "sshd of site $site: not running"; fi
    done
    [[ $any -eq 1 ]] && echo "sites: up" || echo "sites: down"
}

# ---- plan ----
plan() {
    cat <<EOF
{
  "hubNamespace": "$NS_HUB",
  "stateDirectory": "$STATE_DIR",
  "keyFile": "$CLIENT_DIR/id_ed25519",
  "knownHostsFile": "$CLIENT_DIR/known_hosts",
  "subsystemWrapper": "$WRAPPER",
  "sites": [
    { "id": "a", "name": "$SITE_A_NAME", "namespace": "$NS_SITE_A", "address": "$SITE_A_ADDR", "range": "$SITE_A_RANGE", "interface": "$SITE_LAN_IF", "hostCount": 14 },
    { "id": "b", "name": "$SITE_B_NAME", "namespace": "$NS_SITE_B", "address": "$SITE_B_ADDR", "range": "$SITE_B_RANGE", "interface": "$SITE_LAN_IF", "hostCount": 14 }
  ]
}
EOF
}

cmd=${1:-}
[[ $# -gt 0 ]] && shift
case $cmd in
    up)         take_lock; up "$@" ;;
    down)       take_lock; down ;;
    check)      check ;;
    status)     status ;;
    plan)       plan ;;
    hub)        [[ $# -gt 0 ]] || die "hub needs a command"; ns_exists "$NS_HUB" || die "not up"; in_ns "$NS_HUB" "$@" ;;
    site)       [[ $# -gt 1 ]] || die "site needs a|b and a command"; ns=$(site_ns "$1"); shift; ns_exists "$ns" || die "not up"; in_ns "$ns" "$@" ;;
    sshd-stop)  [[ $# -eq 1 ]] || die "sshd-stop needs a|b"; site_ns "$1" >/dev/null; take_lock; stop_sshd "$1" ;;
    sshd-start) [[ $# -eq 1 ]] || die "sshd-start needs a|b"; site_ns "$1" >/dev/null; take_lock; start_sshd "$1" ;;
    ''|-h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
