#!/bin/sh
# Publishes what a Jool node does as CloudWatch metrics (namespace SiitDc/Jool), every 60 s from
# siit-dc-jool-metrics@<mode>.timer. Usage: siit-dc-jool-metrics siit|nat64, or
# siit-dc-jool-metrics --classify < stats (prints the metrics for `<jool> stats display` text).
#
# Jool counters are cumulative; the agent publishes the change since its previous run:
#   Translated       JSTAT_SUCCESS (translated and sent; not proof of delivery)
#   Received4/6      every packet that reached the instance
#   Dropped          counters whose packets Jool drops (also per Reason=<counter> when non-zero)
#   Untranslatable   counters whose packets go back to the kernel untouched
# and as levels: BibEntries, Sessions (NAT64), ConfigRefused (1 while the agent's last download
# was refused; when the config agent blamed a team's fragment, "fragment <team>" on the refused
# state's second line, a second ConfigRefused datum with the extra dimension Fragment=<team> says
# whose), Heartbeat (always 1; its absence means the agent or the instance is down), and
# ConfigVersion with dimension Version=<first 12 hex of the applied configuration's sha256: the
# object's, or with team fragments the merged result's>.
# Classification: NICMx/Jool v4.1.9 src/mod/common/translation_state.c (stolen/accept/drop).
set -eu

classify() {
  awk '
    BEGIN {
      split("RECEIVED4 RECEIVED6 SUCCESS BIB_ENTRIES SESSIONS TYPE1PKT TYPE2PKT ICMP6ERR_SUCCESS ICMP4ERR_SUCCESS", s, " ")
      for (i in s) special["JSTAT_" s[i]] = 1
      split("XLATOR_DISABLED POOL6_UNSET POOL6_MISMATCH POOL4_MISMATCH SESSION_NOT_FOUND UNKNOWN_PROTO_INNER FAILED_ROUTES BIB4_NOT_FOUND UNTRANSLATABLE_DST6 UNTRANSLATABLE_DST4 UNKNOWN_L4_PROTO UNKNOWN_ICMP6_TYPE UNKNOWN_ICMP4_TYPE", u, " ")
      for (i in u) untranslatable["JSTAT_" u[i]] = 1
      split("JSTAT64_SRC JSTAT64_DST JSTAT46_SRC JSTAT46_DST", v, " ")
      for (i in v) untranslatable[v[i]] = 1
    }
    # "NAME: VALUE" (plain) or "NAME,VALUE[,explanation]" (--csv); anything else is skipped.
    match($0, /^JSTAT[A-Z0-9_]*[:,] *[0-9]+/) {
      line = substr($0, RSTART, RLENGTH)
      name = line; sub(/[:,].*/, "", name)
      value = line; sub(/^[^:,]*[:,] */, "", value)
      if (name == "JSTAT_SUCCESS") print "Translated", value
      else if (name == "JSTAT_RECEIVED4") print "Received4", value
      else if (name == "JSTAT_RECEIVED6") print "Received6", value
      else if (name == "JSTAT_BIB_ENTRIES") print "BibEntries", value
      else if (name == "JSTAT_SESSIONS") print "Sessions", value
      else if (name in special || name ~ /^JSTAT_JOOLD_/) next
      else if (name in untranslatable) print "Untranslatable", value, name
      else print "Dropped", value, name
    }'
}

if [ "${1:-}" = "--classify" ]; then
  classify
  exit 0
fi

mode=${1:?usage: siit-dc-jool-metrics siit|nat64}
case "$mode" in
  siit) jool=jool_siit; conf=${SIIT_DC_JOOL_CONF:-/etc/jool/jool_siit.conf} ;;
  nat64) jool=jool; conf=${SIIT_DC_JOOL_CONF:-/etc/jool/jool.conf} ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
state=${SIIT_DC_STATE_DIR:-/var/lib/siit-dc}
imds=${SIIT_DC_IMDS:-http://[fd00:ec2::254]}
mkdir -p "$state"

# Who and where (cached: metrics keep flowing when metadata is briefly unreachable).
if token=$(curl -fsS -m 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "$imds/latest/api/token"); then
  instance=$(curl -fsS -m 2 -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/instance-id")
  region=$(curl -fsS -m 2 -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/placement/region")
  printf '%s %s\n' "$instance" "$region" > "$state/identity"
fi
read -r instance region < "$state/identity"

current="$state/$mode.counters"
previous="$state/$mode.counters.previous"
# The instance is the one the applied file names: without -i the tool asks for the instance
# "default" (NICMx/Jool v4.1.9 src/usr/nl/core.c: `iname ? iname : "default"`), which a node
# never has, and the kernel answers "instance not found".
# python3 is there wherever cloud-init is. No applied file yet: no instance, no counters.
instance_name=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["instance"])' "$conf" 2>/dev/null || true)
if [ -n "$instance_name" ] && "$jool" -i "$instance_name" stats display --all --csv --no-headers > "$state/$mode.stats.txt"; then
  classify < "$state/$mode.stats.txt" > "$current"
else
  : > "$current"
fi
[ -f "$previous" ] || cp "$current" "$previous"

refused=0 fragment=""
if [ -f "$state/$mode.refused" ]; then
  refused=1
  # A team name (a DNS label) or a file name the config agent made safe: letters, digits, . _ -
  fragment=$(sed -n 's/^fragment \([A-Za-z0-9._-]\{1,255\}\)$/\1/p' "$state/$mode.refused" | head -n 1)
fi
version=$(cut -c 1-12 "$state/$mode.applied" 2>/dev/null || echo none)

# Deltas of cumulative counters (a counter that went down means the module was reloaded: count
# from zero), levels as they are; then one put-metric-data call.
awk -v instance="$instance" -v mode="$mode" -v refused="$refused" -v fragment="$fragment" -v version="$version" '
  function datum(name, value, extra) {
    printf "%s{\"MetricName\":\"%s\",\"Value\":%s,\"Unit\":\"Count\",\"Dimensions\":[{\"Name\":\"InstanceId\",\"Value\":\"%s\"},{\"Name\":\"Mode\",\"Value\":\"%s\"}%s]}", sep, name, value, instance, mode, extra
    sep = ","
  }
  FNR == NR { before[$1 " " $3] = $2; next }
  {
    key = $1 " " $3
    delta = (key in before && $2 >= before[key]) ? $2 - before[key] : $2
    if ($1 == "BibEntries" || $1 == "Sessions") { datum($1, $2, ""); next }
    total[$1] += delta
    if ($1 == "Dropped" && delta > 0) datum("Dropped", delta, ",{\"Name\":\"Reason\",\"Value\":\"" $3 "\"}")
  }
  END {
    split("Translated Received4 Received6 Dropped Untranslatable", names, " ")
    for (i = 1; i <= 5; i++) datum(names[i], total[names[i]] + 0, "")
    datum("ConfigRefused", refused, "")
    if (fragment != "") datum("ConfigRefused", 1, ",{\"Name\":\"Fragment\",\"Value\":\"" fragment "\"}")
    datum("Heartbeat", 1, "")
    datum("ConfigVersion", 1, ",{\"Name\":\"Version\",\"Value\":\"" version "\"}")
  }
  BEGIN { printf "[" }
  END { printf "]\n" }
' "$previous" "$current" > "$state/$mode.metrics.json"
mv "$current" "$previous"

AWS_USE_DUALSTACK_ENDPOINT=true aws cloudwatch put-metric-data --region "$region" --namespace SiitDc/Jool --metric-data "file://$state/$mode.metrics.json"
