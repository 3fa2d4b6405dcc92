#!/bin/bash
# Image Builder "test" phase of a Jool image: a broken image fails the build, not production.
# Loads both modules, checks that tools and modules are the same version, and creates and removes
# a throwaway SIIT and NAT64 instance.
set -euo pipefail

expected=$(cut -d ' ' -f 1 /etc/siit-dc-image-jool)
kernel=$(cat /etc/siit-dc-image-kernel)
if [ "$(uname -r)" != "$kernel" ]; then
  echo "running kernel $(uname -r) is not the kernel the module was built for ($kernel)" >&2
  exit 1
fi

for module in jool_siit jool; do
  modprobe "$module"
  module_version=$(modinfo -F version "$module")
  case "$module_version" in
    "$expected"*) ;;
    *) echo "$module is version $module_version, expected $expected" >&2; exit 1 ;;
  esac
done
jool_siit --version | grep -q "$expected" || { echo "jool_siit tool is not version $expected" >&2; exit 1; }
jool --version | grep -q "$expected" || { echo "jool tool is not version $expected" >&2; exit 1; }

jool_siit instance add siit-dc-test --netfilter --pool6 64:ff9b:1::/96
jool_siit -i siit-dc-test instance status
jool_siit instance remove siit-dc-test
jool instance add nat64-test --netfilter --pool6 64:ff9b::/96
jool instance remove nat64-test
modprobe -r jool_siit jool
command -v nft >/dev/null
command -v aws >/dev/null || test -x /snap/bin/aws
echo "Jool $expected works on kernel $kernel"
