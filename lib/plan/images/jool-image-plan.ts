import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { yaml } from "../lazy";
import { fail, Origin } from "../errors";

/**
 * The EC2 Image Builder side of baked Jool images ("Jool-based AMIs").
 *
 * Image Builder supports Ubuntu LTS but not Debian, so the parent is Ubuntu 24.04 (its rolling
 * AWS kernel was 6.8 at release and moves to later HWE kernels). Jool 4.1.15 supports kernels up
 * to 6.18 (docs/en/intro-jool.md, "Compatibility"); kernels 6.12 and later need Jool 4.1.14 or
 * later, and the Ubuntu archive's jool packages are older than that. The image therefore builds
 * Jool from a pinned upstream commit and holds the kernel it built the module for.
 */

/** Jool releases the image can build, with the commit of their tag (NICMx/Jool) and the newest kernel they support. */
export const JOOL_RELEASES: Readonly<Record<string, { commit: string; maxKernel: string }>> = {
  "4.1.14": { commit: "5afde37abf68df63c4beda091dfbeb2967d3ce80", maxKernel: "6.15" },
  "4.1.15": { commit: "b2ef294103bbcf8eccfaee97dcb41721995e2b0a", maxKernel: "6.18" },
};

export const DEFAULT_JOOL_VERSION = "4.1.15";

/** Canonical's public SSM parameter of the latest Ubuntu 24.04 server AMI (gp3 root). */
export function ubuntuParentImage(architecture: "arm64" | "amd64"): string {
  return `ssm:/aws/service/canonical/ubuntu/server/24.04/stable/current/${architecture}/hvm/ebs-gp3/ami-id`;
}

export function checkJoolVersion(version: string, origin: Origin): { commit: string; maxKernel: string } {
  const release = JOOL_RELEASES[version];
  if (!release) {
    fail(
      origin,
      version,
      "is not a Jool release this library knows the commit of (the image build refuses unpinned sources)",
      `use one of ${Object.keys(JOOL_RELEASES).join(", ")}; kernels 6.12 and later need 4.1.14 or later`,
    );
  }
  return release;
}

function script(name: string): string {
  return fs.readFileSync(path.join(__dirname, "scripts", name), "utf8");
}

/**
 * The Image Builder component document (schemaVersion 1.0): a build phase that installs Jool
 * from the pinned commit, and a test phase that loads the modules and creates and removes a
 * throwaway Jool instance, so a broken image fails the build.
 */
export function joolComponentDocument(version: string, commit: string): string {
  const env = `export JOOL_VERSION=${version} JOOL_COMMIT=${commit}`;
  return yaml().stringify(
    {
      name: "siit-dc-jool",
      description: `Jool ${version} (${commit.slice(0, 12)}) built for the image's kernel, with nftables and the AWS CLI`,
      schemaVersion: 1.0,
      phases: [
        {
          name: "build",
          steps: [{ name: "InstallJool", action: "ExecuteBash", timeoutSeconds: 3600, inputs: { commands: [env, script("jool-image-build.sh")] } }],
        },
        {
          name: "test",
          steps: [{ name: "JoolInstanceRoundTrip", action: "ExecuteBash", timeoutSeconds: 600, inputs: { commands: [script("jool-image-test.sh")] } }],
        },
      ],
    },
    { lineWidth: 0, blockQuote: "literal" },
  );
}

/**
 * Image Builder versions are x.y.z and a changed component or recipe needs a new one; deriving it
 * from the content means every change gets a version, and no change gets a new one.
 */
export function contentVersion(content: string): string {
  const digest = createHash("sha256").update(content).digest();
  return `1.${digest.readUInt16BE(0)}.${digest.readUInt16BE(2)}`;
}
