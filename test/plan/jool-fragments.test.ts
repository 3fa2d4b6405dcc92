import { NODE_CONFIG_FORMAT, NODE_CONFIG_FORMAT_WITH_FRAGMENTS, nodeConfigBundleText } from "../../lib/plan/jool/bundle";
import { SIIT_INSTANCE, SiitConfig } from "../../lib/plan/jool/config";
import { fragmentKey, fragmentPrefix, JOOL_FRAGMENT_FORMAT, teamFragmentText } from "../../lib/plan/jool/fragments";
import { Port } from "../../lib/plan/ports";

/**
 * The team fragment object and the node object's `fragments` part (lib/plan/jool/fragments.ts,
 * lib/plan/jool/bundle.ts). What the config agent does with them is tested by running it
 * (test/artefacts/jool-agent.test.ts, the VM tier).
 */
const jool: SiitConfig = { comment: "test", instance: SIIT_INSTANCE, framework: "netfilter", global: { "manually-enabled": true, pool6: "64:ff9b:1::/96", "lowest-ipv6-mtu": 1500, "eam-hairpin-mode": "intrinsic" }, eamt: [], denylist4: ["10.0.0.0/16"] };

test("a fragment's text: format, team, translator, EAM pairs and filter data by IPv4, ports as data", () => {
  const text = teamFragmentText("payments", "a0", [
    { ipv4: "10.0.16.130", pool6: "64:ff9b:1::a00:1082", target: "${aws_instance.x.ipv6_addresses[0]}", ports: [Port.udpRange(123, 124)], outbound: true },
    { ipv4: "10.0.16.129", pool6: "64:ff9b:1::a00:1081", target: "2001:db8::1", ports: [Port.tcp(443), Port.icmpEcho()], outbound: false },
  ]);
  expect(text.endsWith("}\n")).toBe(true);
  expect(JSON.parse(text)).toEqual({
    format: JOOL_FRAGMENT_FORMAT,
    team: "payments",
    translator: "a0",
    eamt: [
      { "ipv6 prefix": "2001:db8::1/128", "ipv4 prefix": "10.0.16.129/32" },
      { "ipv6 prefix": "${aws_instance.x.ipv6_addresses[0]}/128", "ipv4 prefix": "10.0.16.130/32" },
    ],
    filter: [
      { ipv4: "10.0.16.129", pool6: "64:ff9b:1::a00:1081", ports: ["tcp 443"], echo: true, outbound: false },
      { ipv4: "10.0.16.130", pool6: "64:ff9b:1::a00:1082", ports: ["udp 123-124"], echo: false, outbound: true },
    ],
  });
  expect(Object.keys(JSON.parse(text) as object)).toEqual(["format", "team", "translator", "eamt", "filter"]);
  expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
});

test("where a node's fragments live: beside its object, <stem>.d/<team>.json", () => {
  expect(fragmentPrefix("siit/Stack/Edge/a0.json")).toBe("siit/Stack/Edge/a0.d/");
  expect(fragmentKey("siit/Stack/Edge/a0.json", "payments")).toBe("siit/Stack/Edge/a0.d/payments.json");
  expect(() => fragmentPrefix("siit/Stack/Edge/a0")).toThrow("ends in .json");
});

test("the node object: format 1 without teams (what older agents read), format 2 and a fragments part only with them", () => {
  expect([NODE_CONFIG_FORMAT, NODE_CONFIG_FORMAT_WITH_FRAGMENTS]).toEqual(["siit-dc-node-config/1", "siit-dc-node-config/2"]);
  const plain = JSON.parse(nodeConfigBundleText(jool, "table inet x\n")) as { format: string };
  expect(Object.keys(plain)).toEqual(["format", "jool", "nftables"]);
  expect(plain.format).toBe(NODE_CONFIG_FORMAT);
  const withTeams = JSON.parse(
    nodeConfigBundleText(jool, "table inet x\n", { translator: "a0", vpcIpv4: "10.0.0.0/16", teams: [{ team: "payments", ipv4: ["10.0.16.128/28"], pool6: ["64:ff9b:1::a00:1080/124"] }] }),
  ) as object;
  expect(withTeams).toEqual({
    format: NODE_CONFIG_FORMAT_WITH_FRAGMENTS,
    jool,
    nftables: "table inet x\n",
    fragments: { translator: "a0", vpcIpv4: "10.0.0.0/16", teams: [{ team: "payments", ipv4: ["10.0.16.128/28"], pool6: ["64:ff9b:1::a00:1080/124"] }] },
  });
});
