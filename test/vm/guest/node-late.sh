# VM tier, node boot: runs as sdvm-late.service once cloud-init is done. Phase 1 (online) checks
# the boot, live configuration (translator) and metrics, then reboots; phase 2 (the AWS stand-ins
# are gone) checks that the node, translator or NAT64, still translates on its last good
# configuration, then powers off.
. /mnt/host/lib.sh
. /mnt/host/params.sh
phase=$(cat /var/lib/sdvm/phase 2>/dev/null || echo 1)
state=/var/lib/siit-dc
if [ "$MODE" = siit ]; then jool=jool_siit conf=/etc/jool/jool_siit.conf; else jool=jool conf=/etc/jool/jool.conf; fi
object=/mnt/host/s3/$OBJECT
echo "late: phase $phase, mode $MODE, up $(cut -d' ' -f1 /proc/uptime)s"

# --- helpers ----------------------------------------------------------------------------------
sha() { sha256sum "$1" | cut -d ' ' -f 1; }
# ping through the node from the "vpc" namespace: IPv4 client -> mapped address (SIIT) or IPv6
# server -> 64:ff9b::<IPv4-only host> (NAT64).
ping4() { ip netns exec vpc ping -n -q -c 2 -i 0.3 -W 3 -I "$CLIENT4" "$@"; }
ping6via() { ip netns exec vpc ping -n -q -c 2 -i 0.3 -W 3 -I "$CLIENT6" "$@"; }
# A service that declares echo answers through Jool; one that does not gets no answer (the
# translator's per-address filter drops it ahead of Jool).
services_translate() {
  while read -r name mapped _target echo; do
    if [ "$echo" = echo ]; then
      ping4 "$mapped" > /dev/null 2>&1 || { echo "service $name: no echo reply from $mapped"; return 1; }
    elif ping4 "$mapped" > /dev/null 2>&1; then
      echo "service $name declares no echo, yet $mapped answered it"; return 1
    fi
  done < "$1"
}
# The EAM table Jool holds equals the one in a file (order-insensitive).
eamt_is() {
  python3 - "$1" "$INSTANCE" <<'PY'
import json, subprocess, sys
want = sorted((e["ipv6 prefix"] if "/" in e["ipv6 prefix"] else e["ipv6 prefix"] + "/128", e["ipv4 prefix"] if "/" in e["ipv4 prefix"] else e["ipv4 prefix"] + "/32") for e in (lambda d: d.get("jool", d))(json.load(open(sys.argv[1]))).get("eamt", []))
out = subprocess.run(["jool_siit", "-i", sys.argv[2], "eamt", "display", "--csv", "--no-headers"], capture_output=True, text=True, check=True).stdout
have = sorted(tuple(l.split(",")[:2]) for l in out.splitlines() if l.strip())
if have != want:
    sys.exit(f"Jool's EAM table {have} is not the file's {want}")
PY
}
# The newest CloudWatch call the stand-in recorded, or one metric of it.
latest_metrics() { ls -1 "$OUT/cloudwatch" 2>/dev/null | sort -n | tail -n 1; }
metric() {
  python3 - "$OUT/cloudwatch/$(latest_metrics)" "$1" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
print(sum(d["Value"] for d in data if d["MetricName"] == sys.argv[2] and not any(x["Name"] == "Reason" for x in d["Dimensions"])))
PY
}
positive() { v=$(metric "$1") && [ "$(printf '%.0f' "$v")" -gt 0 ] || { echo "$1 = ${v:-none} in $(latest_metrics)"; return 1; }; }
equals() { v=$(metric "$1") && [ "$(printf '%.0f' "$v")" -eq "$2" ] || { echo "$1 = ${v:-none}, expected $2"; return 1; }; }
publish_metrics() { systemctl start "siit-dc-jool-metrics@$MODE.service" && [ -n "$(latest_metrics)" ]; }

boot_clean() {
  cloud-init status --wait > /dev/null
  python3 - <<'PY' || return 1
import json, sys
r = json.load(open("/run/cloud-init/result.json"))["v1"]
if r.get("errors") or "NoCloud" not in r.get("datasource", ""):
    sys.exit(f"cloud-init result: datasource {r.get('datasource')}, errors {r.get('errors')}")
PY
  if grep -F "[WARNING]" /var/log/cloud-init.log; then return 1; fi
}
sysctls() {
  for kv in net.ipv4.conf.all.forwarding=1 net.ipv6.conf.all.forwarding=1 net.ipv6.conf.eth0.accept_ra=2 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.eth0.rp_filter=0; do
    [ "$(sysctl -n "${kv%=*}")" = "${kv#*=}" ] || { echo "${kv%=*} = $(sysctl -n "${kv%=*}"), expected ${kv#*=}"; return 1; }
  done
}
nft_guard() {
  rules=$(nft list chain inet siit_dc forward) || return 1
  echo "$rules" | grep -q "ip daddr 169.254.0.0/16 counter packets [0-9]* bytes [0-9]* drop" && echo "$rules" | grep -q "ip6 daddr fd00:ec2::/32 counter packets [0-9]* bytes [0-9]* drop" || { echo "$rules"; return 1; }
}
# The translator's per-address filter (delivered with the Jool file) holds every address it carries.
filter_holds() {
  set_text=$(nft list set inet siit_dc_services published4) || return 1
  while read -r name mapped _target _echo; do
    echo "$set_text" | grep -qw "$mapped" || { echo "the filter does not hold $name's $mapped: $set_text"; return 1; }
  done < "$1"
}
only_primary() {
  addrs=$(ip -4 -o addr show dev eth0 | awk '{ print $4 }')
  [ "$addrs" = "$NODE4/$LEN4" ] || { echo "eth0 holds: $addrs"; return 1; }
}
restored_at_boot() {
  systemctl is-active --quiet "siit-dc-jool-restore@$MODE.service" || { systemctl status "siit-dc-jool-restore@$MODE.service"; return 1; }
  journalctl -b -u "siit-dc-jool-restore@$MODE.service" | grep -q "restored $conf"
}

if [ "$phase" = 1 ]; then
  check "boot: cloud-init finished without errors (NoCloud, the synthesized user data)" boot_clean
  check "boot: forwarding, accept_ra=2 and rp_filter=0 in place" sysctls
  check "boot: nftables drops forwarded traffic to instance metadata" nft_guard
  check "boot: the restore unit is enabled for the next boot" systemctl is-enabled --quiet "siit-dc-jool-restore@$MODE.service"
  check "boot: the config agent and metrics timers are active" systemctl is-active --quiet "siit-dc-jool-agent@$MODE.timer" "siit-dc-jool-metrics@$MODE.timer"
  check "boot: no secondary IPv4 on eth0" only_primary
  check "boot: the config agent applied the published object" until_true 120 cmp -s /mnt/host/jool/good.json "$conf"
  check "boot: the applied file passed the kernel (Jool instance $INSTANCE exists)" "$jool" -i "$INSTANCE" global display
  if [ "$MODE" = siit ]; then
    check "siit: Jool's EAM table is the published file's" eamt_is "$object"
    check "siit: the per-address filter of the published object is loaded ahead of Jool" filter_holds /mnt/host/services.txt
    check "siit: every service carried by this translator answers through Jool" services_translate /mnt/host/services.txt
    # MTU, as Jool 4.1.9 handles it (src/mod/common/rfc7915/4to6.c, ttp46_alloc_skb): an IPv4
    # packet without DF is fragmented to fit min(next hop MTU, lowest-ipv6-mtu) as IPv6 (the links
    # here are 9001, like the VPC, so lowest-ipv6-mtu decides); a DF packet that does not fit the
    # IPv6 next hop gets ICMPv4 fragmentation-needed with that MTU - 20.
    first=$(head -n 1 /mnt/host/services.txt | awk '{ print $2 }')
    target=$(head -n 1 /mnt/host/services.txt | awk '{ print $3 }')
    ip netns exec vpc nft -f - <<NFT
table inet sdvm_mtu {
  chain pre {
    type filter hook prerouting priority -300; policy accept;
    iifname "vpc0" ip6 daddr $target exthdr frag exists counter
    iifname "vpc0" ip6 daddr $target meta length > $LOWEST_IPV6_MTU counter
  }
}
NFT
    counters() { ip netns exec vpc nft list chain inet sdvm_mtu pre | grep -o 'packets [0-9]*' | awk '{ print $2 }' | paste -sd ' ' -; }
    fragmented() {
      ping4 -M dont -s 3000 "$first" > /dev/null || { echo "no echo reply to a 3028-byte IPv4 packet without DF"; return 1; }
      # shellcheck disable=SC2046 # two numbers
      set -- $(counters)
      [ "$1" -ge 2 ] && [ "$2" -eq 0 ] || { echo "IPv6 fragments seen: $1, IPv6 packets over $LOWEST_IPV6_MTU bytes: $2"; return 1; }
    }
    check "siit: lowest-ipv6-mtu: an IPv4 packet without DF crosses as IPv6 fragments of at most $LOWEST_IPV6_MTU bytes" fragmented
    ip route add "$target/128" via "$GW6" dev eth0 mtu 1400
    check "siit: packet too big: a DF IPv4 packet over the IPv6 next hop's MTU (1400) gets fragmentation-needed, MTU 1380" \
      sh -c "ip netns exec vpc ping -n -c 1 -W 3 -M do -s 1400 -I $CLIENT4 $first 2>&1 | grep -E 'Frag needed and DF set \\(mtu = 1380\\)'"
    ip route del "$target/128" via "$GW6" dev eth0 mtu 1400
    ip netns exec vpc nft delete table inet sdvm_mtu
    # Hairpinning between two services on this translator (RFC 7757 section 4): the first
    # service's server reaches the second at pool6::<its private IPv4>. Jool translates the pool6
    # destination to that address and, as it is in the EAMT, straight back to IPv6 (intrinsic
    # mode; NICMx/Jool v4.1.9 src/mod/common/steps/compute_outgoing_tuple_siit.c). It would
    # refuse a denylisted pool6 result (address_xlat.c, counted as JSTAT64_SRC), so the rendered
    # denylist4 leaves this translator's EAM addresses out.
    jstat64_src() { jool_siit -i "$INSTANCE" stats display --all --csv --no-headers | awk -F, '$1 == "JSTAT64_SRC" { print $2 }'; }
    # A TCP connection (the second service declares no echo, and the filter passes only declared
    # ports): the first server connects from its own address to the second service's pool6 form;
    # the second server must see the first service's pool6 form, and the reply come back.
    hairpin() {
      before=$(jstat64_src)
      ip netns exec vpc python3 - "$HAIRPIN_FROM" "$HAIRPIN_TO" "$HAIRPIN_TARGET" "$HAIRPIN_PORT" "$HAIRPIN_PEER" <<'PY' || { echo "JSTAT64_SRC went from $before to $(jstat64_src)"; return 1; }
import socket, sys
src, dst, target, port, peer = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
server = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind((target, port))
server.listen(1)
server.settimeout(10)
client = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
client.settimeout(10)
client.bind((src, 0))
try:
    client.connect((dst, port))
    conn, seen = server.accept()
    conn.sendall(b"hairpin")
    answer = client.recv(16)
except OSError as err:
    sys.exit(f"no connection from {src} to [{dst}]:{port}: {err}")
if seen[0] != peer or answer != b"hairpin":
    sys.exit(f"the server saw {seen[0]} (expected {peer}) and the client got {answer!r}")
PY
    }
    check "siit: hairpinning: $HAIRPIN_NAMES at $HAIRPIN_TO answers, translated back to IPv6 by Jool" hairpin
    # EC2 would configure this secondary address; the agent must take it off (invariant 4).
    ip addr add "$SECONDARY4/$LEN4" dev eth0
    check "siit: the config agent removes a secondary IPv4 from eth0 (timer run)" until_true 90 only_primary
    traffic() { services_translate /mnt/host/services.txt; }
  else
    traffic() { ping6via "64:ff9b::$HOST4" > /dev/null || { echo "no echo reply from 64:ff9b::$HOST4"; return 1; }; }
    check "nat64: an IPv6 server reaches the IPv4-only host through Jool" traffic
    # The file's pool4 is empty: Jool masks with the node's own address (ports 61001-65535).
    session() { "$jool" -i "$INSTANCE" session display --icmp --numeric --csv | grep "$HOST4" | grep "$NODE4"; }
    check "nat64: Jool holds a session for it, on the node's own address (empty pool4)" session
  fi

  # Metrics: a run before the traffic, one after; the second publishes the change.
  check "metrics: the agent publishes (baseline run)" publish_metrics
  traffic > /dev/null 2>&1
  check "metrics: the agent publishes after traffic" publish_metrics
  check "metrics: Translated > 0 after traffic" positive Translated
  check "metrics: Received4 > 0 after traffic" positive Received4
  check "metrics: Received6 > 0 after traffic" positive Received6
  check "metrics: ConfigRefused = 0 while the published object is good" equals ConfigRefused 0
  check "metrics: datapoints carry this instance's id" grep -q "\"InstanceId\",\"Value\":\"$(cat /mnt/host/imds/instance-id)\"" "$OUT/cloudwatch/$(latest_metrics)"

  if [ "$MODE" = siit ]; then
    boot=$(cat /proc/sys/kernel/random/boot_id)
    # A service is published: the object changes; the agent's timer applies it live.
    cp /mnt/host/objects/changed.json "$object"
    check "live: the changed object is applied by the agent's timer" until_true 120 sh -c "[ \"\$(cat $state/siit.applied 2>/dev/null)\" = $(sha "$object") ]"
    check "live: Jool's EAM table is the changed file's" eamt_is "$object"
    check "live: every service of the changed file answers, the new one too" services_translate /mnt/host/services-changed.txt
    check "live: no reboot, no restart of the node" test "$(cat /proc/sys/kernel/random/boot_id)" = "$boot"
    # A broken object (a value the kernel refuses): refused, the last good one stays in force.
    cp /mnt/host/objects/broken.json "$object"
    check "refused: the agent refuses the broken object" until_true 120 sh -c "[ \"\$(cat $state/siit.refused 2>/dev/null)\" = $(sha "$object") ]"
    check "refused: the last good file stays in force on disk" cmp -s /mnt/host/jool/changed.json "$conf"
    check "refused: Jool still holds the last good EAM table" eamt_is /mnt/host/objects/changed.json
    check "refused: every service still answers" services_translate /mnt/host/services-changed.txt
    equals_refused() { publish_metrics && equals ConfigRefused 1; }
    check "refused: ConfigRefused = 1 in the published metrics" equals_refused
  fi
  echo 2 > /var/lib/sdvm/phase
  sync
  echo "late: rebooting, up $(cut -d' ' -f1 /proc/uptime)s"
  echo "DONE phase 1" >> "$OUT/checks.log"
  systemctl reboot
  exit 0
fi

# --- phase 2: rebooted, no AWS stand-ins (no metadata, no S3, no CloudWatch) -------------------
check "offline: the boot is a reboot of the same node" sh -c "! cmp -s /proc/sys/kernel/random/boot_id /var/lib/sdvm/boot1"
check "offline: no instance metadata, no S3 (the AWS stand-ins are gone)" sh -c "! curl -fsS -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' 'http://[fd00:ec2::254]/latest/api/token'"
check "offline: the restore unit applied the last good file at boot" restored_at_boot
if [ "$MODE" = siit ]; then
  check "offline: Jool's EAM table is the last good file's" eamt_is /mnt/host/objects/changed.json
  check "offline: the restore unit loaded the last good filter too" filter_holds /mnt/host/services-changed.txt
  offline_traffic() { services_translate /mnt/host/services-changed.txt; }
  check "offline: every service of the last good file answers" offline_traffic
else
  # The last good file is the published one (the NAT64 node saw no change online).
  check "offline: the file in force is the last good one, and Jool holds its instance" sh -c "cmp -s /mnt/host/jool/good.json $conf && $jool -i $INSTANCE global display > /dev/null"
  offline_traffic() { ping6via "64:ff9b::$HOST4" > /dev/null || { echo "no echo reply from 64:ff9b::$HOST4"; return 1; }; }
  check "offline: an IPv6 server still reaches the IPv4-only host through Jool" offline_traffic
fi
check "offline: the config agent fails without S3 and leaves Jool alone" sh -c "! systemctl start siit-dc-jool-agent@$MODE.service"
check "offline: still translating after the agent's failed run" offline_traffic
echo "DONE phase 2" >> "$OUT/checks.log"
systemctl poweroff
