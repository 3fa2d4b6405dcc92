#!/bin/sh
# Boot-time setup of a Jool node (SIIT-DC border relay or stateful NAT64): packages, kernel
# settings, the forward-path guard, and the units that keep its Jool configuration current.
# Usage: siit-dc-jool-node-setup siit|nat64. Idempotent; runs at first boot from cloud-init.
set -eu

mode=${1:?usage: siit-dc-jool-node-setup siit|nat64}
case "$mode" in
  siit) jool=jool_siit; module=jool_siit ;;
  nat64) jool=jool; module=jool ;;
  *) echo "unknown mode $mode" >&2; exit 2 ;;
esac

# 1. Packages, unless the image was baked with them. DKMS builds the module for the running
#    kernel; the cloud headers metapackage keeps headers installed for the kernels to come
#    (docs/DESIGN.md invariant 14: tools and module must stay the same version).
if ! command -v "$jool" >/dev/null 2>&1 || ! modinfo "$module" >/dev/null 2>&1; then
  arch=$(dpkg --print-architecture)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y --no-install-recommends "linux-headers-$(uname -r)" "linux-headers-cloud-$arch" \
    dkms jool-dkms jool-tools nftables awscli curl
fi

# 2. Kernel settings. accept_ra=2 comes before forwarding: a forwarding interface otherwise
#    ignores router advertisements and loses its IPv6 default route. rp_filter=0 because
#    translated packets leave by routes the reverse-path check would reject.
ifname=$(ip -4 route show default | awk '{ print $5; exit }')
cat > /etc/sysctl.d/90-siit-dc.conf <<SYSCTL
net.ipv6.conf.all.accept_ra = 2
net.ipv6.conf.default.accept_ra = 2
net.ipv6.conf.$ifname.accept_ra = 2
net.ipv6.conf.all.forwarding = 1
net.ipv4.conf.all.forwarding = 1
net.ipv4.conf.all.rp_filter = 0
net.ipv4.conf.default.rp_filter = 0
net.ipv4.conf.$ifname.rp_filter = 0
SYSCTL
sysctl -q -p /etc/sysctl.d/90-siit-dc.conf

# 3. Never forward to the instance metadata service (docs/DESIGN.md invariant 9).
systemctl enable --now nftables
nft -f /etc/nftables.conf

# 4. The module, the unit that restores the last good configuration at boot (the same on
#    Debian's packages and on baked images built from source), the agent that keeps it current,
#    and the agent that publishes its counters.
modprobe "$module"
systemctl daemon-reload
systemctl enable "siit-dc-jool-restore@$mode.service"
systemctl enable --now "siit-dc-jool-agent@$mode.timer" "siit-dc-jool-metrics@$mode.timer"
systemctl start "siit-dc-jool-agent@$mode.service" || true
