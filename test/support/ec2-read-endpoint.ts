import * as http from "http";
import { AddressInfo } from "net";

/**
 * A loopback endpoint that answers the EC2 reads the AWS provider makes while *planning* an
 * existing `aws_instance` whose launch template version changes (DescribeTags for the
 * aws:ec2launchtemplate:id/version tags, DescribeLaunchTemplates for the versions), and the reads
 * of the translators' staged rollout (the `aws_instances` and `aws_instance` data sources:
 * DescribeInstances, DescribeInstanceTypes, DescribeInstanceAttribute, DescribeVolumes): with the
 * values of the prior state the change planner built, i.e. what AWS would say about that
 * deployment. Any other request is refused and recorded, so a test sees when the provider asks
 * for something this endpoint cannot answer truthfully.
 */
export interface LaunchTemplateFacts {
  /** instance id -> launch template id and the version it was launched from. */
  readonly instances: Map<string, { launchTemplateId: string; version: string }>;
  /** launch template id -> name and versions. */
  readonly templates: Map<string, { name: string; defaultVersion: string; latestVersion: string }>;
  /** Instances as DescribeInstances reports them (every one `running`). */
  readonly running?: LiveInstance[];
}

/** An instance of the prior state as EC2 would describe it. */
export interface LiveInstance {
  readonly id: string;
  /** The AMI EC2 launched (a `resolve:ssm:` reference is reported as a stand-in AMI id). */
  readonly imageId: string;
  readonly instanceType: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly subnetId: string;
  readonly networkInterfaceId: string;
  readonly tags: Record<string, string>;
}

/** DescribeInstances filters this endpoint evaluates; any other filter is refused. */
function matches(i: LiveInstance, name: string, values: string[]): boolean | undefined {
  if (name === "instance-state-name") return values.includes("running");
  if (name === "availability-zone") return values.includes(i.availabilityZone);
  if (name === "private-ip-address") return values.includes(i.privateIp);
  if (name.startsWith("tag:")) return name.slice(4) in i.tags && values.includes(i.tags[name.slice(4)]);
  return undefined;
}

function instanceXml(i: LiveInstance): string {
  const tags = Object.entries(i.tags)
    .map(([k, v]) => `<item><key>${escape(k)}</key><value>${escape(v)}</value></item>`)
    .join("");
  return (
    `<item><instanceId>${escape(i.id)}</instanceId><imageId>${escape(i.imageId)}</imageId><instanceState><code>16</code><name>running</name></instanceState>` +
    `<instanceType>${escape(i.instanceType)}</instanceType><launchTime>2026-01-01T00:00:00.000Z</launchTime>` +
    `<placement><availabilityZone>${escape(i.availabilityZone)}</availabilityZone><tenancy>default</tenancy></placement><monitoring><state>disabled</state></monitoring>` +
    `<subnetId>${escape(i.subnetId)}</subnetId><privateIpAddress>${escape(i.privateIp)}</privateIpAddress><sourceDestCheck>false</sourceDestCheck><tagSet>${tags}</tagSet>` +
    `<networkInterfaceSet><item><networkInterfaceId>${escape(i.networkInterfaceId)}</networkInterfaceId><subnetId>${escape(i.subnetId)}</subnetId>` +
    `<attachment><attachmentId>eni-attach-0</attachmentId><deviceIndex>0</deviceIndex><status>attached</status></attachment>` +
    `<privateIpAddressesSet><item><privateIpAddress>${escape(i.privateIp)}</privateIpAddress><primary>true</primary></item></privateIpAddressesSet></item></networkInterfaceSet>` +
    `<metadataOptions><state>applied</state><httpTokens>required</httpTokens><httpPutResponseHopLimit>1</httpPutResponseHopLimit><httpEndpoint>enabled</httpEndpoint><httpProtocolIpv6>enabled</httpProtocolIpv6><instanceMetadataTags>enabled</instanceMetadataTags></metadataOptions>` +
    `</item>`
  );
}

export class Ec2ReadEndpoint {
  readonly refused: string[] = [];
  private server?: http.Server;

  /** `facts(scope)`: scope is the first path segment of the request URL (a provider's endpoint may name its module). */
  constructor(private readonly facts: (scope: string) => LaunchTemplateFacts) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const params = new URLSearchParams(body);
        if (process.env.DEBUG_EC2) console.error("EC2", body);
        const reply = this.answer(params, decodeURIComponent((req.url ?? "/").split("/")[1] ?? ""));
        if (reply === undefined) {
          this.refused.push(body);
          res.writeHead(400, { "Content-Type": "text/xml" });
          res.end(`<Response><Errors><Error><Code>UnsupportedOperation</Code><Message>not answered offline: ${escape(params.get("Action") ?? "?")}</Message></Error></Errors><RequestID>offline</RequestID></Response>`);
          return;
        }
        res.writeHead(200, { "Content-Type": "text/xml" });
        res.end(reply);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private answer(p: URLSearchParams, scope: string): string | undefined {
    const facts = this.facts(scope);
    const ns = 'xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"';
    switch (p.get("Action")) {
      case "DescribeTags": {
        const filters = filtersOf(p);
        const items: string[] = [];
        for (const id of filters.get("resource-id") ?? []) {
          const i = facts.instances.get(id);
          if (!i) continue;
          const tags: [string, string][] = [
            ["aws:ec2launchtemplate:id", i.launchTemplateId],
            ["aws:ec2launchtemplate:version", i.version],
          ];
          for (const [key, value] of tags) {
            if (filters.has("key") && !filters.get("key")!.includes(key)) continue;
            items.push(`<item><resourceId>${escape(id)}</resourceId><resourceType>instance</resourceType><key>${key}</key><value>${escape(value)}</value></item>`);
          }
        }
        return `<DescribeTagsResponse ${ns}><requestId>offline</requestId><tagSet>${items.join("")}</tagSet></DescribeTagsResponse>`;
      }
      case "DescribeLaunchTemplates": {
        const ids = [...p.entries()].filter(([k]) => k.startsWith("LaunchTemplateId.")).map(([, v]) => v);
        // While the prior state converges, an instance may still name a stand-in template id;
        // such a template is answered as a one-version template.
        const items = ids
          .map((id) => [id, facts.templates.get(id) ?? { name: id, defaultVersion: "1", latestVersion: "1" }] as const)
          .map(([id, t]) => `<item><launchTemplateId>${escape(id)}</launchTemplateId><launchTemplateName>${escape(t.name)}</launchTemplateName><defaultVersionNumber>${t.defaultVersion}</defaultVersionNumber><latestVersionNumber>${t.latestVersion}</latestVersionNumber></item>`);
        return `<DescribeLaunchTemplatesResponse ${ns}><requestId>offline</requestId><launchTemplates>${items.join("")}</launchTemplates></DescribeLaunchTemplatesResponse>`;
      }
      case "DescribeInstances": {
        const running = facts.running ?? [];
        const ids = [...p.entries()].filter(([k]) => k.startsWith("InstanceId.")).map(([, v]) => v);
        let found = ids.length ? running.filter((i) => ids.includes(i.id)) : running;
        for (const [name, values] of filtersOf(p)) {
          if (matches(found[0] ?? running[0] ?? ({ tags: {} } as LiveInstance), name, values) === undefined) return undefined;
          found = found.filter((i) => matches(i, name, values));
        }
        const reservations = found.map((i) => `<item><reservationId>r-0${i.id.slice(2)}</reservationId><ownerId>123456789012</ownerId><groupSet/><instancesSet>${instanceXml(i)}</instancesSet></item>`);
        return `<DescribeInstancesResponse ${ns}><requestId>offline</requestId><reservationSet>${reservations.join("")}</reservationSet></DescribeInstancesResponse>`;
      }
      case "DescribeInstanceTypes": {
        const types = [...p.entries()].filter(([k]) => k.startsWith("InstanceType.")).map(([, v]) => v);
        // Not burstable: the library's instance families (c7gn, c7g, ...) are not T types.
        const items = types.map((t) => `<item><instanceType>${escape(t)}</instanceType><burstablePerformanceSupported>false</burstablePerformanceSupported></item>`);
        return `<DescribeInstanceTypesResponse ${ns}><requestId>offline</requestId><instanceTypeSet>${items.join("")}</instanceTypeSet></DescribeInstanceTypesResponse>`;
      }
      case "DescribeInstanceAttribute": {
        const id = p.get("InstanceId") ?? "";
        if (!(facts.running ?? []).some((i) => i.id === id)) return undefined;
        const attribute = p.get("Attribute");
        const value = attribute === "disableApiStop" || attribute === "disableApiTermination" ? `<${attribute}><value>false</value></${attribute}>` : attribute === "userData" ? "<userData/>" : undefined;
        if (value === undefined) return undefined;
        return `<DescribeInstanceAttributeResponse ${ns}><requestId>offline</requestId><instanceId>${escape(id)}</instanceId>${value}</DescribeInstanceAttributeResponse>`;
      }
      case "DescribeVolumes":
        // The described instances have no block device mappings.
        return `<DescribeVolumesResponse ${ns}><requestId>offline</requestId><volumeSet/></DescribeVolumesResponse>`;
      default:
        return undefined;
    }
  }
}

function filtersOf(p: URLSearchParams): Map<string, string[]> {
  const filters = new Map<string, string[]>();
  for (const [k, v] of p.entries()) {
    const m = /^Filter\.(\d+)\.Name$/.exec(k);
    if (!m) continue;
    const values = [...p.entries()].filter(([vk]) => vk.startsWith(`Filter.${m[1]}.Value.`)).map(([, vv]) => vv);
    filters.set(v, values);
  }
  return filters;
}

function escape(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
