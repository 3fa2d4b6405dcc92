# VM tier, node boot: runs as sdvm-early.service, before cloud-init looks for its datasource.
# Builds the node's network: its eth0 is one end of a veth pair whose other end is in namespace
# "vpc", which plays the VPC around the node (router, the IPv4 client, the IPv6 servers behind
# the EAM entries, the IPv4-only host) and, online only, the AWS stand-ins. First boot: also the
# NoCloud seed (the synthesized user data, as EC2 delivers it) and the stand-ins for AWS tools.
. /mnt/host/lib.sh
. /mnt/host/params.sh
phase=$(cat /var/lib/sdvm/phase 2>/dev/null || echo 1)
echo "early: phase $phase, boot $(cat /proc/sys/kernel/random/boot_id)"

ip netns add vpc
ip link add eth0 mtu 9001 type veth peer name vpc0 mtu 9001 netns vpc
ip netns exec vpc sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
ip -n vpc link set lo up
ip -n vpc addr add "$GW4/$LEN4" dev vpc0
ip -n vpc addr add "$GW6/$LEN6" dev vpc0 nodad
ip -n vpc addr add fd00:ec2::254/128 dev vpc0 nodad
ip -n vpc link set vpc0 up
if [ "$MODE" = siit ]; then
  ip -n vpc addr add "$CLIENT4/32" dev lo
  cat /mnt/host/services*.txt | while read -r _name mapped target _echo; do
    ip -n vpc addr replace "$target/128" dev lo nodad
    ip -n vpc route replace "$mapped/32" via "$NODE4" dev vpc0
  done
  ip -n vpc route add "$POOL6" via "$NODE6" dev vpc0
else
  ip -n vpc addr add "$CLIENT6/128" dev lo nodad
  ip -n vpc addr add "$HOST4/32" dev lo
  ip -n vpc route add 64:ff9b::/96 via "$NODE6" dev vpc0
fi

if [ "$phase" = 1 ]; then
  # AWS, online: instance metadata, S3 and CloudWatch stand-ins in the "vpc" namespace.
  systemd-run --no-block -p DefaultDependencies=no --unit sdvm-aws-standin ip netns exec vpc python3 /mnt/host/aws-standin.py fd00:ec2::254
  install -m 0755 /mnt/host/aws /usr/local/bin/aws
  # Session Manager's agent is AWS software the node would download from S3: a stand-in unit.
  printf '#!/bin/sh\nexec sleep infinity\n' > /usr/local/bin/amazon-ssm-agent
  chmod 0755 /usr/local/bin/amazon-ssm-agent
  printf '[Unit]\nDescription=amazon-ssm-agent stand-in (VM tier)\n[Service]\nExecStart=/usr/local/bin/amazon-ssm-agent\n[Install]\nWantedBy=multi-user.target\n' > /etc/systemd/system/amazon-ssm-agent.service
  # Debian's cloud images have en_US.UTF-8 generated; cloud-init's locale module sets it (and
  # Debian's locale-gen ignores the locale it is given), so make the guest alike.
  sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen
  locale-gen > /dev/null
  mkdir -p /var/lib/cloud/seed/nocloud /var/lib/sdvm
  cp /mnt/host/user-data /mnt/host/meta-data /mnt/host/network-config /var/lib/cloud/seed/nocloud/
  cat /proc/sys/kernel/random/boot_id > /var/lib/sdvm/boot1
fi
echo "early: done"
