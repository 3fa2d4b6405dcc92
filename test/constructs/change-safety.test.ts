import { referenceTopology } from "../../examples/reference";
import { MachineImage } from "../../lib";
import { diffResources } from "../support/compare";
import { resourcesOf, synthJson } from "../support/stacks";

/**
 * Addresses must survive image changes: replacing the AMI changes the launch template (and so
 * the instances, which follow its latest version), never a network interface.
 */
describe("changing the web fleet's image", () => {
  const before = synthJson((s) => referenceTopology(s));
  const after = synthJson((s) => referenceTopology(s, { webImage: MachineImage.fromAmiId("ami-0123456789abcdef0") }));

  test("only the web launch template's configuration changes; nothing is added or removed", () => {
    const diff = diffResources(before, after);
    expect(diff.added).toEqual([]);
    expect(diff.removed).toEqual([]);
    expect(diff.changed).toEqual([expect.stringMatching(/^aws_launch_template\.Web_LaunchTemplate_[0-9A-F]{8}$/)]);
  });

  test("the changed attribute is the image; instances follow the template's latest version, interfaces do not reference it", () => {
    const lt = (s: typeof before) => Object.entries(resourcesOf(s, "aws_launch_template")).find(([n]) => n.startsWith("Web_"))![1];
    expect(lt(before).image_id).toBe("resolve:ssm:/aws/service/debian/release/12/latest/arm64");
    expect(lt(after).image_id).toBe("ami-0123456789abcdef0");
    const { image_id: _a, description: _da, ...restBefore } = lt(before);
    const { image_id: _b, description: _db, ...restAfter } = lt(after);
    expect(restAfter).toEqual(restBefore);

    const webInstances = Object.entries(resourcesOf(after, "aws_instance")).filter(([n]) => n.startsWith("Web_"));
    expect(webInstances).toHaveLength(4);
    for (const [, instance] of webInstances) expect((instance.launch_template as { version: string }).version).toMatch(/^\$\{tostring\(aws_launch_template\.Web_LaunchTemplate_[0-9A-F]{8}\.latest_version\)\}$/);
    for (const eni of Object.values(resourcesOf(after, "aws_network_interface"))) expect(JSON.stringify(eni)).not.toContain("aws_launch_template");
  });
});
