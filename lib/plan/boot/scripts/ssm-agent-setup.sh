#!/bin/sh
# Makes AWS Systems Manager Session Manager work on an instance without IPv4:
# installs amazon-ssm-agent when the image lacks it (Debian's AMIs do) from the regional agent
# bucket's dual-stack S3 endpoint, and points the agent at dual-stack endpoints
# (UseDualStackEndpoint, agent 3.3.3270.0 and later). Idempotent; safe to run at every boot.
set -eu

imds="http://[fd00:ec2::254]"
token=$(curl -fsS -X PUT "$imds/latest/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300")
region=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" "$imds/latest/meta-data/placement/region")

if ! command -v amazon-ssm-agent >/dev/null 2>&1 && [ ! -d /snap/amazon-ssm-agent ]; then
  arch=$(dpkg --print-architecture)
  package=$(mktemp /tmp/amazon-ssm-agent.XXXXXX.deb)
  curl -fsS -o "$package" "https://amazon-ssm-$region.s3.dualstack.$region.amazonaws.com/latest/debian_$arch/amazon-ssm-agent.deb"
  dpkg -i "$package"
  rm -f "$package"
fi

mkdir -p /etc/amazon/ssm
cat > /etc/amazon/ssm/amazon-ssm-agent.json <<JSON
{"Agent": {"Region": "$region", "UseDualStackEndpoint": true}}
JSON
# Ubuntu ships the agent as a snap, under another unit name.
unit=amazon-ssm-agent
if systemctl cat snap.amazon-ssm-agent.amazon-ssm-agent.service >/dev/null 2>&1; then
  unit=snap.amazon-ssm-agent.amazon-ssm-agent
fi
systemctl enable "$unit"
systemctl restart "$unit"
