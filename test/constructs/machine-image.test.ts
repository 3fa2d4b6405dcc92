import { JoolImage, MachineImage } from "../../lib";
import { testStack } from "../support/stacks";

/** Jool nodes' files are validated for the Jool version of their image (lib/plan/jool/validate.ts). */
describe("the Jool version an image carries", () => {
  test("Debian 12 and images without a stated version: the archive's 4.1.9, which the boot script installs", () => {
    expect(MachineImage.debian12().joolVersion).toBe("4.1.9");
    expect(MachineImage.fromAmiId("ami-0123456789abcdef0").joolVersion).toBe("4.1.9");
    expect(MachineImage.fromSsmParameter("/my/ami", { joolVersion: "4.1.12" }).joolVersion).toBe("4.1.12");
  });

  test("a baked JoolImage: the version it builds", () => {
    const stack = testStack();
    expect(new JoolImage(stack, "JoolImage").machineImage().joolVersion).toBe("4.1.15");
  });
});
