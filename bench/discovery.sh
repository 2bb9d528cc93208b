#!/usr/bin/env bash
# LAN discovery benchmark (issue #17): FedChat on Makaretu.Dns.Multicast against Avahi, in network
# namespaces on one bridge. Prints figures; asserts nothing about speed (that is what this is for).
#
#   sudo bench/discovery.sh [ROUNDS]       (default 10; needs root, iproute2, curl, dbus-daemon,
#                                                avahi-daemon, avahi-utils and a built FedChat.Web)
#
# Measures, in the same run:
#   1. three FedChat servers: every one lists the other two, counted from when all answer HTTP;
#      one stopped with SIGTERM: shown gone on the other two.
#   2. avahi-publish -> resolved by avahi-browse (Avahi to Avahi) and listed by FedChat; its goodbye -> gone in FedChat.
#   3. a FedChat server starts (publish = it answers HTTP) -> resolved by avahi-browse and listed by
#      another FedChat server; SIGTERM -> gone in FedChat.
# Only one avahi-daemon may run on the machine; traffic stays inside the namespaces made here.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-10}
TAG="fcb-$(head -c3 /dev/urandom | od -An -tx1 | tr -d ' \n')"
OUT=$(mktemp -d /tmp/fedchat-bench.XXXX)
AVAHI_CONF=FedChat.Tests/Discovery/Avahi
BUS="DBUS_SYSTEM_BUS_ADDRESS=unix:abstract=fcmdns-bus"

[ "$(id -u)" -eq 0 ] || { echo "run as root (network namespaces)" >&2; exit 1; }
if pgrep -x avahi-daemon >/dev/null; then echo "an avahi-daemon already runs; only one may" >&2; exit 1; fi

echo "== Building FedChat.Web (Release) into $OUT/web"
dotnet build FedChat.Web -c Release -o "$OUT/web" -v quiet -nologo >/dev/null
DLL="$OUT/web/FedChat.Web.dll"

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for ns in $(ip netns list | awk '{print $1}' | grep "^$TAG-" || true); do ip netns del "$ns"; done
  [ -n "${KEEP:-}" ] || rm -rf "$OUT"
}
trap cleanup EXIT

now_ms() { date +%s%3N; }
# Appends END-START to FILE, or notes a timeout.
record() { # FILE START END
  if [[ "$3" =~ ^[0-9]+$ && "$2" =~ ^[0-9]+$ ]]; then echo $(($3 - $2)) >>"$1"; else echo "timeout in $(basename "$1")" >&2; fi
}
median() { sort -n | awk '{a[NR]=$1} END {if (NR==0) {print "n/a"; exit} if (NR%2) print a[(NR+1)/2]; else print int((a[NR/2]+a[NR/2+1])/2)}'; }

# --- the lab: one bridge namespace, hosts cabled to it ---
ip netns add "$TAG-br"; ip -n "$TAG-br" link add br0 type bridge; ip -n "$TAG-br" link set br0 up
add_host() { # NAME ADDRESS [INTERFACE]
  local ns="$TAG-$1" nic=${3:-lan0}
  ip netns add "$ns"
  ip link add "$nic" netns "$ns" type veth peer name "p$1" netns "$TAG-br"
  ip -n "$TAG-br" link set "p$1" master br0 up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "$2/24" dev "$nic"
  ip -n "$ns" link set "$nic" up multicast on
  ip -n "$ns" route add 224.0.0.0/4 dev "$nic"
}

# Starts a server; its log lines get a timestamp (ms) in front. Prints the server's pid.
start_server() { # HOST ADDRESS NAME
  ( ip netns exec "$TAG-$1" dotnet "$DLL" --urls "http://$2:5080" --FedChat:DataDirectory="$OUT/data-$3" \
      --FedChat:InstanceName="$3" --environment Production --contentRoot "$OUT/web" 2>&1 &
    echo $! >"$OUT/$3.pid"; wait ) | while IFS= read -r line; do echo "$(now_ms) $line"; done >"$OUT/$3.log" &
  until [ -s "$OUT/$3.pid" ]; do sleep 0.01; done
  cat "$OUT/$3.pid"
}
# When the server's Kestrel had bound its port (discovery starts right after).
listening_at() { # NAME
  local deadline=$(( $(now_ms) + 60000 ))
  until grep -q "Now listening on" "$OUT/$1.log"; do [ "$(now_ms)" -lt "$deadline" ] || { echo 0; return; }; sleep 0.02; done
  grep -m1 "Now listening on" "$OUT/$1.log" | cut -d' ' -f1
}

# Times come from the servers' own log lines, stamped as they are written (see start_server), and
# from a streaming avahi-browse, so no polling delay is measured.
first_log() { # NAME TEXT [NOT_BEFORE_MS] -> ms of the first log line containing TEXT
  local deadline=$(( $(now_ms) + 30000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    local t; t=$(awk -v s="${3:-0}" -v p="$2" '$1 >= s && index($0, p) {print $1; exit}' "$OUT/$1.log")
    [ -n "$t" ] && { echo "$t"; return; }
    sleep 0.05
  done
  echo "timeout"
}
later() { [[ "$1" =~ ^[0-9]+$ ]] && [ "$1" -gt "$2" ] && echo "$1" || echo "$2"; }

add_host a 10.97.0.1; add_host b 10.97.0.2; add_host c 10.97.0.3; add_host p 10.97.0.20
add_host av 10.97.0.10 mdnsb

# --- 1. three servers ---
echo "== Three FedChat servers"
PA=$(start_server a 10.97.0.1 a); PB=$(start_server b 10.97.0.2 b); PC=$(start_server c 10.97.0.3 c); PIDS+=("$PA" "$PB" "$PC")
ready=0; seen=0
for h in a b c; do ready=$(later "$(listening_at $h)" "$ready"); done
for h in a b c; do
  for o in a b c; do
    [ "$o" = "$h" ] || seen=$(later "$(first_log $h "Discovered peer '$o'")" "$seen")
  done
done
sleep 2; stop=$(now_ms); kill -TERM "$PC"
gone=0
for h in a b; do gone=$(later "$(first_log $h "Peer 'c' is gone" "$stop")" "$gone"); done
THREE_SEEN=$((seen - ready)); THREE_GONE=$((gone - stop))

# --- Avahi in its namespace, with a streaming browser that timestamps every line ---
ip netns exec "$TAG-av" dbus-daemon --config-file="$AVAHI_CONF/dbus-private.conf" --nofork --nopidfile >"$OUT/dbus.log" 2>&1 &
PIDS+=($!); sleep 0.5
ip netns exec "$TAG-av" env "$BUS" avahi-daemon -f "$AVAHI_CONF/avahi-daemon.conf" --no-drop-root --no-chroot --no-rlimits >"$OUT/avahi.log" 2>&1 &
PIDS+=($!)
until grep -q "Server startup complete" "$OUT/avahi.log"; do sleep 0.1; done
( ip netns exec "$TAG-av" env "$BUS" stdbuf -oL avahi-browse -rp _fedchat._tcp | while IFS= read -r line; do echo "$(now_ms);$line"; done ) >"$OUT/browse.log" 2>&1 &
PIDS+=($!); sleep 1
avahi_resolved() { # NAME NOT_BEFORE_MS -> ms when avahi-browse resolved NAME
  local deadline=$(( $(now_ms) + 30000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    local t; t=$(awk -F';' -v n="$1" -v s="$2" '$1 >= s && $2 == "=" && $5 == n {print $1; exit}' "$OUT/browse.log")
    [ -n "$t" ] && { echo "$t"; return; }
    sleep 0.02
  done
  echo "timeout"
}

# --- 2. avahi-publish -> Avahi and FedChat ---
echo "== $ROUNDS x avahi-publish"
: >"$OUT/aa"; : >"$OUT/af"; : >"$OUT/af-gone"
for i in $(seq 1 "$ROUNDS"); do
  port=$((6000 + i)); t0=$(now_ms)
  ip netns exec "$TAG-av" env "$BUS" avahi-publish -s "bench-avahi-$i" _fedchat._tcp "$port" "url=http://10.97.0.10:$port/" >/dev/null 2>&1 &
  pub=$!
  tf=$(first_log a "peer 'bench-avahi-$i'" "$t0"); ta=$(avahi_resolved "bench-avahi-$i" "$t0")
  record "$OUT/aa" "$t0" "$ta"; record "$OUT/af" "$t0" "$tf"
  sleep 0.5; t1=$(now_ms); kill -TERM "$pub"; wait "$pub" 2>/dev/null || true
  record "$OUT/af-gone" "$t1" "$(first_log a "Peer 'bench-avahi-$i' is gone" "$t1")"
done

# --- 3. a FedChat server publishes -> Avahi and FedChat ---
echo "== $ROUNDS x a FedChat server starting"
: >"$OUT/fa"; : >"$OUT/ff"; : >"$OUT/ff-gone"
for i in $(seq 1 "$ROUNDS"); do
  pp=$(start_server p 10.97.0.20 "bench-fedchat-$i")
  # Publishing starts with the first probe, as avahi-publish's does.
  t0=$(first_log "bench-fedchat-$i" "Probing for the name")
  tf=$(first_log a "'bench-fedchat-$i' " "$t0"); ta=$(avahi_resolved "bench-fedchat-$i" "$t0")
  record "$OUT/fa" "$t0" "$ta"; record "$OUT/ff" "$t0" "$tf"
  sleep 0.5; t1=$(now_ms); kill -TERM "$pp"; while kill -0 "$pp" 2>/dev/null; do sleep 0.05; done
  record "$OUT/ff-gone" "$t1" "$(first_log a "Peer 'bench-fedchat-$i' is gone" "$t1")"
  rm -rf "$OUT/data-bench-fedchat-$i"
done

echo
echo "LAN discovery benchmark, $(date -u +%Y-%m-%dT%H:%MZ), $ROUNDS rounds; medians in ms"
echo "three FedChat servers: each lists the other two          $THREE_SEEN ms after the last one bound its port"
echo "                       stopped one shown gone on the rest $THREE_GONE ms after SIGTERM"
printf '%-58s %s\n' "avahi-publish -> resolved by avahi-browse (Avahi-Avahi)" "$(median <"$OUT/aa")"
printf '%-58s %s\n' "avahi-publish -> listed by FedChat" "$(median <"$OUT/af")"
printf '%-58s %s\n' "avahi-publish stopped -> gone in FedChat" "$(median <"$OUT/af-gone")"
printf '%-58s %s\n' "FedChat publishes -> resolved by avahi-browse" "$(median <"$OUT/fa")"
printf '%-58s %s\n' "FedChat publishes -> listed by FedChat" "$(median <"$OUT/ff")"
printf '%-58s %s\n' "FedChat stopped -> gone in FedChat" "$(median <"$OUT/ff-gone")"
for f in aa af af-gone fa ff ff-gone; do echo "  samples $f: $(tr '\n' ' ' <"$OUT/$f")"; done
