#!/bin/sh
# Boots the VM tier's cached guest image under TCG (this host's KVM is a PVM variant that a stock
# Debian kernel hangs in) with snapshot=on: guest writes go to a throwaway overlay that lives as
# long as this QEMU process, so a guest reboot keeps them and the cached image never changes.
# The host folder SHARE is the guest's /mnt/host (9p); the console goes to SHARE/out/console.log.
# Usage: boot.sh IMAGE_DIR SHARE init|systemd TIMEOUT_S [KERNEL_ARGS...]
#   init     sdvm-init as PID 1 runs SHARE/run.sh and powers off (no systemd; fast)
#   systemd  a full boot: sdvm-early (SHARE/early.sh) before cloud-init, sdvm-late (late.sh)
#            after it; late.sh powers off (or reboots: QEMU keeps running and the overlay stays)
set -eu
image=$1 share=$2 mode=$3 timeout=$4
shift 4
case "$mode" in
  init) init="init=/usr/local/sbin/sdvm-init" ;;
  # systemd-modules-load loads the 9p transport before sdvm-early (ordered after it) mounts the
  # share, instead of the mount loading it on demand: in one CI run on a loaded host the early
  # hook did nothing (no network, no NoCloud seed) while the late hook mounted the share fine.
  systemd) init="modules_load=9p,9pnet_virtio" ;;
  *) echo "boot.sh: mode is init or systemd" >&2; exit 2 ;;
esac
mkdir -p "$share/out"
# -cpu max under TCG; no NIC: the guest builds its test networks from veth pairs and namespaces.
exec timeout --foreground -k 10 "$timeout" qemu-system-x86_64 -accel tcg,thread=multi -cpu max -m 1536 -smp 2 \
  -nographic -nodefaults -serial "file:$share/out/console.log" -monitor none -nic none \
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
  -append "console=ttyS0 root=/dev/vda rw panic=-1 $init $*" \
  -drive "file=$image/root.img,format=raw,if=virtio,snapshot=on" \
  -virtfs "local,path=$share,mount_tag=host,security_model=none,id=host" \
  < /dev/null
