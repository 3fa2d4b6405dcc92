#!/bin/bash
# Image Builder "build" phase of a Jool image (Ubuntu LTS parent): Jool from a pinned upstream
# commit, kernel module through DKMS for the running kernel, userspace tools of the same commit,
# and the tools the boot path expects (nftables, AWS CLI). The kernel is then held: a new kernel
# comes with a new image, built and tested by the pipeline (DESIGN.md invariant 14).
# Inputs (environment): JOOL_VERSION (e.g. 4.1.15), JOOL_COMMIT (full commit id of tag v$JOOL_VERSION).
set -euo pipefail
: "${JOOL_VERSION:?}" "${JOOL_COMMIT:?}"
export DEBIAN_FRONTEND=noninteractive

apt-get update
apt-get install -y --no-install-recommends build-essential pkg-config autoconf automake libtool git dkms \
  libnl-genl-3-dev libxtables-dev "linux-headers-$(uname -r)" linux-headers-aws nftables curl
snap list aws-cli >/dev/null 2>&1 || snap install aws-cli --classic

src=/usr/src/jool-git
rm -rf "$src"
git clone --depth 1 --branch "v$JOOL_VERSION" https://github.com/NICMx/Jool.git "$src"
actual=$(git -C "$src" rev-parse HEAD)
if [ "$actual" != "$JOOL_COMMIT" ]; then
  echo "tag v$JOOL_VERSION is $actual, expected $JOOL_COMMIT: refusing to build" >&2
  exit 1
fi

# Kernel modules: DKMS also rebuilds them if a kernel is ever installed on purpose.
dkms add "$src"
dkms_version=$(sed -n 's/^PACKAGE_VERSION=//p' "$src/dkms.package_version.conf")
dkms install "jool/$dkms_version" -k "$(uname -r)"

# Userspace tools of the same commit.
(cd "$src" && ./autogen.sh && ./configure)
make -C "$src/src/usr"
make -C "$src/src/usr" install
ldconfig

# Immutable kernel: the module was built for this kernel; upgrades come as new images.
apt-mark hold linux-aws linux-image-aws linux-headers-aws "linux-image-$(uname -r)" "linux-headers-$(uname -r)"
uname -r > /etc/siit-dc-image-kernel
echo "$JOOL_VERSION $JOOL_COMMIT" > /etc/siit-dc-image-jool
