#!/bin/sh
# Keeps a Jool node on the configuration the deployment published for it.
# Usage: siit-dc-jool-agent siit|nat64 (run every 30 s by siit-dc-jool-agent@<mode>.timer), or
#        siit-dc-jool-agent siit|nat64 --restore (at boot: load the module and re-apply the last
#        good configuration, which works without network).
#
# 1. Finds its object from the instance tag SiitDcConfig (s3://bucket/key), cached for offline runs.
# 2. Removes secondary IPv4 addresses from the interface: Jool refuses to translate any address the
#    node owns (docs/DESIGN.md invariant 4), and EC2's cloud-init adds them unless told not to.
# 3. Downloads the object (format siit-dc-node-config/1, or /2 with teams: the complete Jool file and, on
#    translators, the nftables filter of each published address). If the object names teams
#    (`fragments`), it also mirrors every team fragment under s3://bucket/<stem>.d/ (a removed
#    fragment leaves the mirror) and merges them (the merge program below, python3 stdlib): each
#    fragment's EAM entries and filter data must lie inside its own team's ranges and clash with
#    nobody's; one bad fragment refuses the whole merge, named in the log and in the refused
#    state ("fragment <team>"), which the metrics agent publishes as ConfigRefused with
#    Fragment=<team>. The merged Jool file gets the merged EAM table and denylist4 (the VPC block
#    without every merged EAM address); the filter gets `add element` lines for the fragments'
#    addresses, in the same nft transaction.
#    If the result differs from what was last applied: checks the filter with `nft -c`, hands the
#    Jool file to `<jool> file handle` (atomic: all or nothing), then loads the filter (one nft
#    transaction). If the filter fails after Jool took its file, Jool goes back to the last good
#    file. The version compared is the object's sha256, or with fragments the merged result's
#    (Jool file then filter), so a changed fragment is applied and an unchanged set is not.
# 4. Only a configuration that was applied whole becomes what the boot unit restores from: a
#    truncated or invalid download, one half of a publication, or a refused merge never replaces
#    the last good one.
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

# The merge program: `probe OBJECT` prints "fragments" when the object names teams;
# `merge OBJECT FRAGMENT_DIR JOOL_OUT NFT_OUT` checks the object (anything but a
# siit-dc-node-config/1 or /2 object is refused) and, with FRAGMENT_DIR, every fragment in it, and
# writes the Jool file and the filter. It prints the version (sha256) and, on a fragment's
# refusal, the fragment's file name (or, merged, the fragments' names); exit 1 when refused.
program() {
  python3 - "$@" <<'PY'
import hashlib, ipaddress, json, os, re, sys

mode = sys.argv[1]
try:
    raw = open(sys.argv[2], "rb").read()
    bundle = json.loads(raw)
except ValueError as err:
    bundle, problem = None, f"not JSON: {err}"
if mode == "probe":
    if isinstance(bundle, dict) and "fragments" in bundle:
        print("fragments")
    sys.exit(0)
frag_dir, jool_out, nft_out = sys.argv[3:6]
FORMATS = ("siit-dc-node-config/1", "siit-dc-node-config/2")
FRAGMENT_FORMAT = "siit-dc-jool-fragment/1"
LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
PORT = re.compile(r"^(tcp|udp) ([0-9]{1,5})(?:-([0-9]{1,5}))?$")
TABLE = "inet siit_dc_services"


class Refused(Exception):
    pass


def refuse(problem, culprit=None):
    print(hashlib.sha256(raw + b"".join(inputs)).hexdigest())
    if culprit is not None:
        print(culprit)
        problem = f"fragment {culprit}: {problem}"
    print(problem, file=sys.stderr)
    sys.exit(1)


inputs = []
if bundle is None:
    refuse(problem)
if not isinstance(bundle, dict) or bundle.get("format") not in FORMATS or not isinstance(bundle.get("jool"), dict):
    refuse("not a siit-dc-node-config/1 or /2 object")
nftables = bundle.get("nftables", "")
if not isinstance(nftables, str):
    refuse("its nftables part is not text")
jool = bundle["jool"]
if "fragments" not in bundle:
    with open(jool_out, "w") as out:
        json.dump(jool, out, indent=2)
        out.write("\n")
    with open(nft_out, "w") as out:
        out.write(nftables)
    print(hashlib.sha256(raw).hexdigest())
    sys.exit(0)


def net(text, family, what):
    try:
        n = ipaddress.ip_network(text, strict=True)
    except (TypeError, ValueError):
        raise Refused(f"{what} {json.dumps(text)} is not an IPv{family} prefix")
    if n.version != family:
        raise Refused(f"{what} {json.dumps(text)} is not an IPv{family} prefix")
    return n


def addr(text, family, what):
    try:
        a = ipaddress.ip_address(text)
    except (TypeError, ValueError):
        raise Refused(f"{what} {json.dumps(text)} is not an IPv{family} address")
    if a.version != family:
        raise Refused(f"{what} {json.dumps(text)} is not an IPv{family} address")
    return a


def embed(prefix, v4):
    """RFC 6052 section 2.2: v4 inside prefix (32, 40, 48, 56, 64 or 96), the u octet (bits 64-71) zero."""
    out = bytearray(prefix.network_address.packed)
    pos = prefix.prefixlen // 8
    for byte in v4.packed:
        if pos == 8:
            pos += 1
        out[pos] = byte
        pos += 1
    return ipaddress.IPv6Address(bytes(out))


# The platform's part: which teams, which ranges.
try:
    f = bundle["fragments"]
    if bundle["format"] != "siit-dc-node-config/2" or not isinstance(f, dict) or set(f) != {"translator", "vpcIpv4", "teams"}:
        raise Refused("its fragments part is not translator, vpcIpv4 and teams")
    if not isinstance(f["translator"], str) or not isinstance(f["teams"], list) or not nftables:
        raise Refused("its fragments part needs a translator id, a list of teams and a filter to add to")
    translator = f["translator"]
    vpc = net(f["vpcIpv4"], 4, "vpcIpv4")
    pool6 = net(jool.get("global", {}).get("pool6"), 6, "pool6")
    if pool6.prefixlen not in (32, 40, 48, 56, 64, 96):
        raise Refused(f"pool6 {pool6} is not an RFC 6052 prefix length")
    teams = {}
    for t in f["teams"]:
        if not isinstance(t, dict) or set(t) != {"team", "ipv4", "pool6"} or not isinstance(t["team"], str) or not LABEL.match(t["team"]) or t["team"] in teams:
            raise Refused(f"its team entry {json.dumps(t)} is not a team (a DNS label, listed once) with ipv4 and pool6 ranges")
        if not isinstance(t["ipv4"], list) or not isinstance(t["pool6"], list):
            raise Refused(f"team {t['team']}: its ranges are not lists")
        teams[t["team"]] = ([net(r, 4, f"team {t['team']} range") for r in t["ipv4"]], [net(r, 6, f"team {t['team']} range") for r in t["pool6"]])
    platform4, platform6 = [], []
    for e in jool.get("eamt", []):
        platform4.append(net(e["ipv4 prefix"], 4, "the platform's EAM entry"))
        platform6.append(net(e["ipv6 prefix"], 6, "the platform's EAM entry"))
except (Refused, KeyError, TypeError, AttributeError) as err:
    refuse(f"the object's fragments part is not usable: {err}")

# Every address so far and who maps it.
owners4 = [(n, "the platform") for n in platform4]
owners6 = [(n, "the platform") for n in platform6]


def owner(owners, a):
    for n, who in owners:
        if a in n:
            return who
    return None


names = sorted(os.listdir(frag_dir)) if frag_dir else []
merged = []  # (team, eamt, filter entries), teams in name order
for name in names:
    path = os.path.join(frag_dir, name)
    shown = re.sub(r"[^A-Za-z0-9._-]", "_", name)
    try:
        if not os.path.isfile(path) or not name.endswith(".json"):
            raise Refused("not a <team>.json object")
        data = open(path, "rb").read()
        inputs.append(name.encode() + b"\0" + data)
        try:
            frag = json.loads(data)
        except ValueError as err:
            raise Refused(f"not JSON: {err}")
        if not isinstance(frag, dict) or frag.get("format") != FRAGMENT_FORMAT:
            raise Refused(f"not a {FRAGMENT_FORMAT} object")
        extra = sorted(set(frag) - {"format", "team", "translator", "eamt", "filter"})
        if extra:
            raise Refused(f"unknown key {json.dumps(extra[0])} (a fragment holds format, team, translator, eamt and filter only)")
        team = frag.get("team")
        if team != name[: -len(".json")]:
            raise Refused(f"names team {json.dumps(team)}, but its file is {shown}")
        if team not in teams:
            raise Refused(f"team {team} has no range on translator {translator}")
        if frag.get("translator") != translator:
            raise Refused(f"is for translator {json.dumps(frag.get('translator'))}, not {translator}")
        ranges4, ranges6 = teams[team]
        if not isinstance(frag.get("eamt"), list) or not isinstance(frag.get("filter"), list):
            raise Refused("eamt and filter must be lists")
        eamt = []
        mine4 = set()
        for e in frag["eamt"]:
            if not isinstance(e, dict) or set(e) != {"ipv6 prefix", "ipv4 prefix"}:
                raise Refused(f"EAM entry {json.dumps(e)} is not exactly an ipv6 prefix and an ipv4 prefix")
            v4 = net(e["ipv4 prefix"], 4, "EAM ipv4 prefix")
            v6 = net(e["ipv6 prefix"], 6, "EAM ipv6 prefix")
            if v4.prefixlen != 32 or v6.prefixlen != 128:
                raise Refused(f"EAM entry {v6} -> {v4} is not one address (/128 -> /32)")
            a4, a6 = v4.network_address, v6.network_address
            if not any(a4 in r for r in ranges4):
                raise Refused(f"{a4} is outside team {team}'s ranges ({', '.join(map(str, ranges4)) or 'none'})")
            for a, owners in ((a4, owners4), (a6, owners6)):
                who = owner(owners, a)
                if who is not None:
                    raise Refused(f"{a} is already mapped by {who}")
            owners4.append((v4, f"fragment {shown}"))
            owners6.append((v6, f"fragment {shown}"))
            mine4.add(a4)
            eamt.append((a4, e))
        entries = []
        for entry in frag["filter"]:
            if not isinstance(entry, dict) or set(entry) != {"ipv4", "pool6", "ports", "echo", "outbound"}:
                raise Refused(f"filter entry {json.dumps(entry)} is not exactly ipv4, pool6, ports, echo and outbound")
            a4 = addr(entry["ipv4"], 4, "filter ipv4")
            a6 = addr(entry["pool6"], 6, "filter pool6")
            if not any(a4 in r for r in ranges4):
                raise Refused(f"filter address {a4} is outside team {team}'s ranges")
            if a4 not in mine4:
                raise Refused(f"filter address {a4} has no EAM entry in this fragment")
            if any(a4 == x[0] for x in entries):
                raise Refused(f"filter address {a4} is listed twice")
            if not any(a6 in r for r in ranges6):
                raise Refused(f"filter pool6 {a6} is outside team {team}'s pool6 ranges")
            if a6 != embed(pool6, a4):
                raise Refused(f"filter pool6 {a6} is not {a4} in pool6 {pool6} ({embed(pool6, a4)})")
            if not isinstance(entry["echo"], bool) or not isinstance(entry["outbound"], bool) or not isinstance(entry["ports"], list):
                raise Refused(f"filter entry of {a4}: echo and outbound must be true or false, ports a list")
            ports = []
            for p in entry["ports"]:
                m = PORT.match(p) if isinstance(p, str) else None
                lo, hi = (int(m.group(2)), int(m.group(3) or m.group(2))) if m else (0, 0)
                if not m or not 1 <= lo <= hi <= 65535:
                    raise Refused(f"filter entry of {a4}: port {json.dumps(p)} is not \"tcp|udp N\" or \"tcp|udp N-M\" with 1 <= N <= M <= 65535")
                for q, qlo, qhi in ports:
                    if q == m.group(1) and lo <= qhi and qlo <= hi:
                        raise Refused(f"filter entry of {a4}: port {p} overlaps {q} {qlo}-{qhi}")
                ports.append((m.group(1), lo, hi))
            entries.append((a4, a6, ports, entry["echo"], entry["outbound"]))
        if {x[0] for x in entries} != mine4:
            missing = sorted(mine4 - {x[0] for x in entries})
            raise Refused(f"{missing[0]} has an EAM entry but no filter entry (every address is filtered)")
        merged.append((team, [e for _, e in sorted(eamt, key=lambda x: x[0])], sorted(entries, key=lambda x: x[0])))
    except Refused as err:
        refuse(str(err), shown)

# The merged Jool file: the platform's entries, then each team's by IPv4; denylist4 the VPC block
# without every merged EAM address (invariant 5, with the hairpin exception of each).
out = dict(jool)
out["eamt"] = list(jool.get("eamt", [])) + [e for _, eamt, _ in merged for e in eamt]
rest = [vpc]
for hole, _ in owners4:
    kept = []
    for n in rest:
        if hole.subnet_of(n):
            kept.extend(n.address_exclude(hole))
        elif not n.subnet_of(hole):
            kept.append(n)
    rest = kept
out["denylist4"] = [str(n) for n in ipaddress.collapse_addresses(rest)]
jool_text = json.dumps(out, indent=2) + "\n"

# The merged filter: the platform's script, then the fragments' elements (same transaction).
sets = {k: [] for k in ("published4", "published6", "declared4", "declared6", "echo4", "echo6", "outbound4", "outbound6")}
for _, _, entries in merged:
    for a4, a6, ports, echo, outbound in entries:
        sets["published4"].append(str(a4))
        sets["published6"].append(str(a6))
        for proto, lo, hi in ports:
            service = str(lo) if lo == hi else f"{lo}-{hi}"
            sets["declared4"].append(f"{a4} . {proto} . {service}")
            sets["declared6"].append(f"{a6} . {proto} . {service}")
        if echo:
            sets["echo4"].append(str(a4))
            sets["echo6"].append(str(a6))
        if outbound:
            sets["outbound4"].append(str(a4))
            sets["outbound6"].append(str(a6))
lines = [f"# team fragments: {', '.join(t for t, _, _ in merged) or 'none'}"] if merged or names else []
lines += [f"add element {TABLE} {k} {{ {', '.join(v)} }}" for k, v in sets.items() if v]
nft_text = nftables + ("\n".join(lines) + "\n" if lines else "")
with open(jool_out, "w") as o:
    o.write(jool_text)
with open(nft_out, "w") as o:
    o.write(nft_text)
print(hashlib.sha256((jool_text + nft_text).encode()).hexdigest())
print(" ".join(names))
PY
}

fragments=""
if [ "$(program probe "$candidate" 2>/dev/null || true)" = fragments ]; then
  fragments="$state/$mode.fragments"
  prefix="${uri%.json}.d/"
  mkdir -p "$fragments"
  # --exact-timestamps: from S3, sync otherwise skips an object of the local copy's size unless
  # the copy is newer (awscli/customizations/s3/syncstrategy/base.py, compare_time for
  # downloads), so a rewritten fragment of the same size would never be fetched.
  if ! AWS_USE_DUALSTACK_ENDPOINT=true aws s3 sync --delete --exact-timestamps --only-show-errors --region "$region" "$prefix" "$fragments"; then
    log "could not fetch the fragments under $prefix; $conf stays in force"
    exit 1
  fi
fi

new_conf="$state/$mode.candidate.jool.json"
new_filter="$state/$mode.candidate.nft"
status=0
result=$(program merge "$candidate" "$fragments" "$new_conf" "$new_filter") || status=$?
version=$(printf '%s\n' "$result" | sed -n 1p)
named=$(printf '%s\n' "$result" | sed -n 2p)
[ -n "$version" ] || version=$(sha256sum "$candidate" | cut -d ' ' -f 1)

# What was last applied is still what the object (and its fragments) give.
in_force() {
  if [ -n "$fragments" ]; then cmp -s "$new_conf" "$conf" && cmp -s "$new_filter" "$filter"; else cmp -s "$candidate" "$state/$mode.json"; fi
}
if [ "$status" = 0 ] && [ -f "$state/$mode.applied" ] && [ "$(cat "$state/$mode.applied")" = "$version" ] && in_force; then
  rm -f "$state/$mode.refused" # a refused object was withdrawn: the one in force is published again
  exit 0
fi

# The refused state: the version, then "fragment <team>" when a fragment is to blame.
refuse() {
  { printf '%s\n' "$version"; if [ -n "${2:-}" ]; then printf 'fragment %s\n' "${2%.json}"; fi; } > "$state/$mode.refused"
  log "$1: configuration $version refused; $conf stays in force"
  exit 1
}
if [ "$status" != 0 ]; then
  if [ -n "$fragments" ] && [ -n "$named" ]; then refuse "fragment $named" "$named"; fi
  refuse "the object is not a node configuration"
fi
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
if [ -n "$fragments" ]; then
  log "applied configuration $version (the platform's object with fragments: ${named:-none})"
else
  log "applied configuration $version"
fi
