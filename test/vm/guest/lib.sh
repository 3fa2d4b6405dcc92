# Shared by the guest scripts of the VM tier (sourced). Results go to /mnt/host/out/checks.log,
# one line per check: "PASS <name>" or "FAIL <name>: <why>"; the host test reads them.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
OUT=/mnt/host/out
mkdir -p "$OUT"

pass() { echo "PASS $1" >> "$OUT/checks.log"; echo "PASS $1"; }
fail() { echo "FAIL $1: $(printf '%s' "$2" | tr '\n' ' ' | tail -c 1500)" >> "$OUT/checks.log"; echo "FAIL $1: $2"; }

# check NAME COMMAND...: PASS when the command succeeds; its output explains a FAIL.
check() {
  name=$1
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$out"; fi
}

# until_true SECONDS COMMAND...: retries once a second.
until_true() {
  limit=$1
  shift
  i=0
  while [ "$i" -lt "$limit" ]; do
    "$@" > /dev/null 2>&1 && return 0
    sleep 1
    i=$((i + 1))
  done
  "$@"
}
