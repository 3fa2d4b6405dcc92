#!/bin/sh
# Keeps a Jool node on the configuration the deployment published for it.
# Usage: siit-dc-jool-agent siit|nat64 (run every 30 s by siit-dc-jool-agent@<mode>.timer), or
#        siit-dc-jool-agent siit|nat64 --restore (at boot: load the module and re-apply the last
#        good configuration, which works without network).
#
# 1. Finds its object from the instance tag SiitDcConfig (s3://bucket/key), cached for offline runs.
# 2. Removes secondary IPv4 addresses from the interface: Jool refuses to translate any address the
#    node owns (docs/DESIGN.md invariant 4), and EC2's cloud-init adds them unless told not to.
# 3. Downloads the object (format siit-dc-node-config/1: the complete Jool file and, on
#    translators, the nftables filter of each published address). If it differs from what was
#    last applied: checks the filter with `nft -c`, hands the Jool file to `<jool> file handle`
#    (atomic: all or nothing), then loads the filter (one nft transaction). If the filter fails
#    after Jool took its file, Jool goes back to the last good file.
# 4. Only an object that was applied whole becomes what the boot unit restores from: a truncated
#    or invalid download, or one half of a publication, never replaces the last good one.
set -eu

mode=${1:?usage: siit-dc-jool-agent siit|nat64}
case "$mode" in
  siit) jool=jool_siit; module=jool_siit; conf=${SIIT_DC_JOOL_CONF:-/etc/jool/jool_siit.conf} ;;
  nat64) jool=jool; module=jool; conf=${SIIT_DC_JOOL_CONF:-/etc/jool/jool.conf} ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac
filter=${SIIT_DC_FILTER:-/etc/siit-dc/$mode.nft}
state=${SIIT_DC_STATE_DIR:-/var/lib/siit-dc}
imds=${SIIT_DC_IMDS:-http://[fd00:ec2::254]}
mkdir -p "$state" "$(dirname "$conf")" "$(dirname "$filter")"

log() { echo "siit-dc-jool-agent[$mode]: $*" >&2; }

if [ "${2:-}" = "--restore" ]; then
  modprobe "$module"
  if [ -s "$conf" ]; then
    if [ -s "$filter" ]; then nft -f "$filter"; fi
    "$jool" file handle "$conf"
    log "restored $conf"
  else
    log "no configuration applied yet; waiting for the first download"
  fi
  exit 0
fi

metadata() {
  curl -fsS -m 2 -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/$1"
}

# Instance metadata (token, location of the configuration, region, primary address).
uri="" region="" primary=""
if token=$(curl -fsS -m 2 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "$imds/latest/api/token"); then
  uri=$(metadata tags/instance/SiitDcConfig || true)
  region=$(metadata placement/region || true)
  primary=$(metadata local-ipv4 || true)
fi
if [ -n "$uri" ] && [ -n "$region" ]; then
  printf '%s %s\n' "$uri" "$region" > "$state/location"
elif [ -s "$state/location" ]; then
  read -r uri region < "$state/location"
else
  log "no configuration location (instance tag SiitDcConfig) and none cached"
  exit 1
fi

if [ -n "$primary" ]; then
  ifname=$(ip -4 route show default | awk '{ print $5; exit }')
  for cidr in $(ip -4 -o addr show dev "$ifname" | awk '{ print $4 }'); do
    if [ "${cidr%/*}" != "$primary" ]; then
      log "removing $cidr from $ifname: mapped addresses must not belong to the node"
      ip addr del "$cidr" dev "$ifname"
    fi
  done
fi

candidate="$state/$mode.candidate.json"
if ! AWS_USE_DUALSTACK_ENDPOINT=true aws s3 cp --only-show-errors --region "$region" "$uri" "$candidate"; then
  log "could not fetch $uri; $conf stays in force"
  exit 1
fi
version=$(sha256sum "$candidate" | cut -d ' ' -f 1)
if [ -f "$state/$mode.applied" ] && [ "$(cat "$state/$mode.applied")" = "$version" ] && cmp -s "$candidate" "$state/$mode.json"; then
  rm -f "$state/$mode.refused" # a refused object was withdrawn: the one in force is published again
  exit 0
fi

refuse() {
  printf '%s\n' "$version" > "$state/$mode.refused"
  log "$1: configuration $version refused; $conf stays in force"
  exit 1
}
# The object's two parts, as files; anything but a siit-dc-node-config/1 object is refused.
unpack() {
  python3 - "$candidate" "$1" "$2" <<'PY'
import json, sys
try:
    bundle = json.load(open(sys.argv[1]))
except ValueError as err:
    sys.exit(f"not JSON: {err}")
if not isinstance(bundle, dict) or bundle.get("format") != "siit-dc-node-config/1" or not isinstance(bundle.get("jool"), dict):
    sys.exit("not a siit-dc-node-config/1 object")
nftables = bundle.get("nftables", "")
if not isinstance(nftables, str):
    sys.exit("its nftables part is not text")
with open(sys.argv[2], "w") as out:
    json.dump(bundle["jool"], out, indent=2)
    out.write("\n")
with open(sys.argv[3], "w") as out:
    out.write(nftables)
PY
}
new_conf="$state/$mode.candidate.jool.json"
new_filter="$state/$mode.candidate.nft"
unpack "$new_conf" "$new_filter" || refuse "the object is not a node configuration"
if [ -s "$new_filter" ] && ! nft -c -f "$new_filter"; then refuse "nft refused the filter"; fi
if ! "$jool" file handle "$new_conf"; then refuse "$jool refused the Jool file"; fi
if [ -s "$new_filter" ] && ! nft -f "$new_filter"; then
  if [ -s "$conf" ]; then "$jool" file handle "$conf" || log "could not go back to $conf"; fi
  refuse "nft could not load the filter"
fi
mv "$new_filter" "$filter"
mv "$new_conf" "$conf"
cp "$candidate" "$state/$mode.json.new"
mv "$state/$mode.json.new" "$state/$mode.json"
printf '%s\n' "$version" > "$state/$mode.applied"
rm -f "$state/$mode.refused"
log "applied configuration $version"
