#!/bin/sh
# The VM tier's Debian 12 guest image, cached outside the clone by what it is made of.
#   image.sh key     prints the cache key: sha256 of this recipe (packages.txt, the scripts, the
#                    overlay) and of the archive's newest version of every listed package
#   image.sh dir     prints the cache folder ($SIIT_DC_VM_CACHE or /var/cache/cdktf-siit-dc/vm)/<key>
#   image.sh ensure  builds the image there unless it is already complete; prints the folder
# The folder holds root.img (raw ext4, booted with snapshot=on so it never changes), vmlinuz,
# initrd.img and manifest.txt (kernel, Jool, every installed package). Needs root, mmdebstrap,
# mke2fs and the Debian archive (apt-get update first, so the key sees current versions).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cache=${SIIT_DC_VM_CACHE:-/var/cache/cdktf-siit-dc/vm}
packages=$(grep -v -e '^#' -e '^$' "$here/packages.txt")

newest() {
  best=
  while read -r v; do
    if [ -z "$best" ] || dpkg --compare-versions "$v" gt "$best"; then best=$v; fi
  done
  echo "$best"
}

key() {
  {
    cat "$here/packages.txt" "$here/image.sh" "$here/initramfs.sh"
    (cd "$here/overlay" && find . -type f | LC_ALL=C sort | xargs sha256sum)
    # shellcheck disable=SC2086 # one word per package
    for p in $packages; do
      # The archive's newest version (madison lists what the sources offer; `policy` would name a
      # newer version installed on the host from elsewhere, e.g. nodesource's nodejs).
      v=$(apt-cache madison "$p" | awk -F'|' '$3 ~ /Packages$/ { gsub(/ /, "", $2); print $2 }' | newest)
      [ -n "$v" ] || { echo "image.sh: the archive has no $p (apt-get update?)" >&2; exit 1; }
      echo "$p=$v"
    done
  } | sha256sum | cut -c 1-16
}

build() {
  out=$1
  work=$(mktemp -d "$cache/.build.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  t0=$(date +%s)
  include=$(echo "$packages" | paste -sd, -)
  # No mirror given: mmdebstrap's default archive, with -updates and -security for a stable suite.
  # DKMS output is hidden by mmdebstrap; on failure read the make.log under the root filesystem.
  mmdebstrap --mode=root --variant=apt --include="$include" \
    --aptopt='Acquire::Languages "none"' \
    --customize-hook='chroot "$1" sh -c "for k in \$(ls /lib/modules); do dkms autoinstall -k \$k; done; dkms status"' \
    --customize-hook='cp "'"$here"'/initramfs.sh" "$1/tmp/"; chroot "$1" sh /tmp/initramfs.sh; rm "$1/tmp/initramfs.sh"' \
    --customize-hook='cp -a "'"$here"'/overlay/." "$1/"' \
    --customize-hook='chroot "$1" systemctl enable sdvm-early.service sdvm-late.service' \
    --customize-hook='chroot "$1" systemctl mask serial-getty@ttyS0.service getty@tty1.service apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service' \
    --customize-hook='echo sdvm > "$1/etc/hostname"; echo "/dev/vda / ext4 rw 0 1" > "$1/etc/fstab"' \
    --customize-hook='chroot "$1" dpkg-query -W > "$1/.manifest"' \
    --customize-hook='chroot "$1" apt-get clean' \
    bookworm "$work/rootfs"
  t1=$(date +%s)
  r=$work/rootfs
  kver=$(ls "$r/lib/modules" | sort -V | tail -1)
  ls "$r/lib/modules/$kver/updates/dkms/jool_siit.ko" "$r/lib/modules/$kver/updates/dkms/jool.ko" >/dev/null
  { echo "kernel $kver"; echo "jool $(chroot "$r" jool_siit --version 2>&1 | head -n 1)"; cat "$r/.manifest"; } > "$work/manifest.txt"
  rm "$r/.manifest"
  cp "$r/boot/vmlinuz-$kver" "$work/vmlinuz"
  cp "$r/boot/initrd.img-$kver" "$work/initrd.img"
  size=$(du -sm "$r" | cut -f1)
  mke2fs -q -t ext4 -L sdvm -d "$r" "$work/root.img" "$((size + size / 4 + 300))M"
  rm -rf "$r"
  t2=$(date +%s)
  echo "image.sh: root filesystem $((t1 - t0)) s, ext4 image $((t2 - t1)) s, kernel $kver" >&2
  echo "rootfs_seconds=$((t1 - t0)) image_seconds=$((t2 - t1))" >> "$work/manifest.txt"
  rm -rf "$out"
  mv "$work" "$out"
  trap - EXIT
}

case "${1:-}" in
  key) key ;;
  dir) echo "$cache/$(key)" ;;
  ensure)
    mkdir -p "$cache"
    dir="$cache/$(key)"
    if [ ! -f "$dir/manifest.txt" ]; then
      # One build at a time per cache (flock), and a finished build by another process counts.
      exec 9>"$cache/.lock"
      flock 9
      [ -f "$dir/manifest.txt" ] || build "$dir"
    fi
    echo "$dir"
    ;;
  *) echo "usage: image.sh key|dir|ensure" >&2; exit 2 ;;
esac
