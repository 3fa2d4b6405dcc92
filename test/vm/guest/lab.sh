# VM tier, "files" boot, after files.sh: runs the packet lab's plans (out of lib/lab, made on the
# host: /mnt/host/lab/<name>.plan.json) with the executor the host transpiled (lib/lab/executor.ts
# and agent.ts, on the guest's Node), on freshly loaded real Jool modules; writes
# out/lab-<name>.json (probe outcomes and trace counters), .log and .status ("status seconds").
. /mnt/host/lib.sh
for plan in /mnt/host/lab/*.plan.json; do
  name=$(basename "$plan" .plan.json)
  modprobe -r jool_siit jool 2>/dev/null
  modprobe jool_siit && modprobe jool
  t0=$(cut -d' ' -f1 /proc/uptime)
  node /mnt/host/lab/executor.js "$plan" "$OUT/lab-$name.json" > "$OUT/lab-$name.log" 2>&1
  status=$?
  echo "$status $(echo "$(cut -d' ' -f1 /proc/uptime) - $t0" | awk '{ print $1 - $3 }')" > "$OUT/lab-$name.status"
done
echo "DONE lab" >> "$OUT/checks.log"
