# VM tier, "files" boot (no systemd): hands every file of /mnt/host/files/index.txt to the real
# Jool (`jool_siit file handle` / `jool file handle`), each on freshly loaded modules, and records
# the exit status and output as out/files/<file>.status and .out.
. /mnt/host/lib.sh
mkdir -p "$OUT/files"
modinfo -F version jool_siit > "$OUT/files/module-version"
jool_siit --version > "$OUT/files/tools-version"
while read -r file flavour; do
  modprobe -r jool_siit jool 2>/dev/null
  modprobe jool_siit && modprobe jool
  if [ "$flavour" = siit ]; then tool=jool_siit; else tool=jool; fi
  "$tool" file handle "/mnt/host/files/$file" > "$OUT/files/$file.out" 2>&1
  echo $? > "$OUT/files/$file.status"
done < /mnt/host/files/index.txt
echo "DONE files" >> "$OUT/checks.log"
