import * as http from "http";
import { AddressInfo } from "net";

/**
 * A loopback endpoint that answers the EC2 reads the AWS provider makes while *planning* an
 * existing `aws_instance` whose launch template version changes (DescribeTags for the
 * aws:ec2launchtemplate:id/version tags, DescribeLaunchTemplates for the versions): with the
 * values of the prior state the change planner built, i.e. what AWS would say about that
 * deployment. Any other request is refused and recorded, so a test sees when the provider asks
 * for something this endpoint cannot answer truthfully.
 */
export interface LaunchTemplateFacts {
  /** instance id -> launch template id and the version it was launched from. */
  readonly instances: Map<string, { launchTemplateId: string; version: string }>;
  /** launch template id -> name and versions. */
  readonly templates: Map<string, { name: string; defaultVersion: string; latestVersion: string }>;
}

export class Ec2ReadEndpoint {
  readonly refused: string[] = [];
  private server?: http.Server;

  constructor(private readonly facts: () => LaunchTemplateFacts) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        const params = new URLSearchParams(body);
        if (process.env.DEBUG_EC2) console.error("EC2", body);
        const reply = this.answer(params);
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

  private answer(p: URLSearchParams): string | undefined {
    const facts = this.facts();
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
