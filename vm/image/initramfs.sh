#!/bin/sh
# Runs inside the guest root filesystem while it is built: a small initrd that mounts / from a
# virtio disk (saves seconds of every TCG boot).
set -eu
sed -i 's/^MODULES=.*/MODULES=list/; s/^COMPRESS=.*/COMPRESS=gzip/' /etc/initramfs-tools/initramfs.conf
printf '%s\n' virtio_pci virtio_blk ext4 crc32c_generic > /etc/initramfs-tools/modules
update-initramfs -u -k all
