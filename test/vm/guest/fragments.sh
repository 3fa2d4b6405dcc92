# VM tier, "fragments" boot (no systemd): the config agent, as the user data ships it
# (/mnt/host/jool-config-agent.sh), on real Jool and the real nft, with the AWS stand-ins on
# [fd00:ec2::254] (aws-standin.py, the guest's `aws`). The platform's object names teams alpha and
# beta; their fragments sit under <stem>.d/. Checks: the merge is applied (Jool's EAM table and
# denylist4, the loaded filter), a bad fragment is refused naming it while Jool keeps the previous
# table, the metrics agent publishes Fragment=<team>, and a removed fragment leaves Jool's table.
. /mnt/host/lib.sh
. /mnt/host/params.sh
s3=/mnt/host/s3
fragments=$s3/$FRAGMENTS
state=/var/lib/siit-dc

ip addr add fd00:ec2::254/128 dev lo nodad
python3 /mnt/host/aws-standin.py fd00:ec2::254 &
install -m 0755 /mnt/host/aws /usr/local/bin/aws
until_true 30 curl -fsS -m 1 -X PUT -H "X-aws-ec2-metadata-token-ttl-seconds: 60" "http://[fd00:ec2::254]/latest/api/token" > /dev/null
modprobe jool_siit
echo "fragments: Jool $(modinfo -F version jool_siit), $(nft --version)"

agent() { sh /mnt/host/jool-config-agent.sh siit > "$OUT/agent-$1.log" 2>&1; }
# Jool's EAM table equals the eamt of a Jool file (order-insensitive).
eamt_is() {
  python3 - "$1" "$INSTANCE" <<'PY'
import json, subprocess, sys
want = sorted((e["ipv6 prefix"], e["ipv4 prefix"]) for e in json.load(open(sys.argv[1]))["eamt"])
out = subprocess.run(["jool_siit", "-i", sys.argv[2], "eamt", "display", "--csv", "--no-headers"], capture_output=True, text=True, check=True).stdout
have = sorted(tuple(l.split(",")[:2]) for l in out.splitlines() if l.strip())
if have != want:
    sys.exit(f"Jool's EAM table {have} is not {want}")
print(f"{len(have)} entries")
PY
}
# Jool's denylist4 equals a Jool file's (order-insensitive; every IPv4 prefix Jool prints).
denylist_is() {
  python3 - "$1" "$INSTANCE" <<'PY'
import json, re, subprocess, sys
want = sorted(json.load(open(sys.argv[1]))["denylist4"])
out = subprocess.run(["jool_siit", "-i", sys.argv[2], "denylist4", "display", "--csv", "--no-headers"], capture_output=True, text=True, check=True).stdout
have = sorted(re.findall(r"\d+\.\d+\.\d+\.\d+/\d+", out))
if have != want:
    sys.exit(f"Jool's denylist4 {have} is not {want}")
PY
}
# The loaded filter's published4 set holds exactly these addresses.
published_is() {
  have=$(nft -j list set inet siit_dc_services published4 | python3 -c 'import json, sys; print(" ".join(sorted(e for o in json.load(sys.stdin)["nftables"] if "set" in o for e in o["set"].get("elem", []))))')
  want=$(printf '%s\n' "$@" | sort | paste -sd ' ' -)
  [ "$have" = "$want" ] || { echo "published4 holds $have, expected $want"; return 1; }
}
logged() { grep -qF "$2" "$OUT/agent-$1.log" || { cat "$OUT/agent-$1.log"; return 1; }; }

# 1. The platform's object and both fragments.
if agent first; then pass "fragments: the agent exits 0 on the first merge"; else fail "fragments: the agent exits 0 on the first merge" "$(cat "$OUT/agent-first.log")"; fi
check "fragments: the agent names the merged fragments" logged first "(the platform's object with fragments: alpha.json beta.json)"
check "fragments: Jool's EAM table holds the platform's and both teams' entries (the single-stack table)" eamt_is /mnt/host/expected/all.json
check "fragments: Jool's denylist4 is the single-stack one" denylist_is /mnt/host/expected/all.json
# shellcheck disable=SC2086 # address lists
check "fragments: the loaded filter publishes every address of the three owners" published_is $ALL4
check "fragments: the conf file in force is the single-stack Jool file's content" python3 -c "import json, sys; a = json.load(open('/etc/jool/jool_siit.conf')); b = json.load(open('/mnt/host/expected/all.json')); a['eamt'].sort(key=str); b['eamt'].sort(key=str); sys.exit(a != b)"

# 2. A bad fragment (beta maps an address outside its range): refused whole, named.
cp /mnt/host/objects/beta-bad.json "$fragments/beta.json"
if agent bad; then fail "fragments: a bad fragment is refused" "the agent exited 0: $(cat "$OUT/agent-bad.log")"; else pass "fragments: a bad fragment is refused"; fi
check "fragments: the log names the fragment and its problem" logged bad "fragment beta.json: $(cat /mnt/host/expected/bad-problem.txt)"
check "fragments: the refused state names the fragment" sh -c "sed -n 2p $state/siit.refused | grep -qx 'fragment beta'"
check "fragments: after the refusal Jool still holds the previous EAM table" eamt_is /mnt/host/expected/all.json
# shellcheck disable=SC2086
check "fragments: after the refusal the previous filter stays loaded" published_is $ALL4
metrics_named() {
  sh /mnt/host/jool-metrics-agent.sh siit || return 1
  latest=$(find "$OUT/cloudwatch" -name '*.json' | sed 's|.*/||' | sort -n | tail -n 1)
  python3 - "$OUT/cloudwatch/$latest" <<'PY'
import json, sys
data = [d for d in json.load(open(sys.argv[1])) if d["MetricName"] == "ConfigRefused"]
dims = [(d["Value"], [x for x in d["Dimensions"] if x["Name"] == "Fragment"]) for d in data]
if dims != [(1, []), (1, [{"Name": "Fragment", "Value": "beta"}])]:
    sys.exit(f"ConfigRefused data: {dims}")
PY
}
check "fragments: the metrics agent publishes ConfigRefused with Fragment=beta" metrics_named

# 3. beta fixed, alpha withdrawn: applied, the refusal cleared, alpha's entries gone from Jool.
cp /mnt/host/objects/beta.json "$fragments/beta.json"
rm "$fragments/alpha.json"
if agent removed; then pass "fragments: a fixed fragment and a removed one are applied"; else fail "fragments: a fixed fragment and a removed one are applied" "$(cat "$OUT/agent-removed.log")"; fi
check "fragments: the refusal is cleared" test ! -e "$state/siit.refused"
check "fragments: a removed fragment leaves Jool's EAM table (the single-stack table without alpha)" eamt_is /mnt/host/expected/no-alpha.json
check "fragments: a removed fragment leaves Jool's denylist4" denylist_is /mnt/host/expected/no-alpha.json
# shellcheck disable=SC2086
check "fragments: a removed fragment leaves the loaded filter" published_is $NO_ALPHA4
# 4. Nothing changed: no new apply.
applied=$(cat "$state/siit.applied")
unchanged() {
  agent again || { echo "the agent failed: $(cat "$OUT/agent-again.log")"; return 1; }
  # (The stand-in metadata has no local-ipv4: curl's 404 for it is all the agent may say.)
  ! grep -v "^curl: (22) The requested URL returned error: 404$" "$OUT/agent-again.log" || { echo "the agent said: $(cat "$OUT/agent-again.log")"; return 1; }
  [ "$(cat "$state/siit.applied")" = "$applied" ] || { echo "applied is now $(cat "$state/siit.applied"), was $applied"; return 1; }
}
check "fragments: an unchanged set is not applied again" unchanged
echo "DONE fragments" >> "$OUT/checks.log"
