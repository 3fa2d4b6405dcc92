import * as fs from "fs";
import * as path from "path";
import { gunzipSync, gzipSync } from "zlib";
import { yaml } from "../lazy";
import { fail, Origin } from "../errors";

/**
 * EC2 user data: cloud-config documents, shell scripts, and the MIME multipart that combines
 * the library's boot configuration with the application's own user data.
 */

/** EC2 accepts at most 16 KB of user data, counted before base64 encoding. */
export const USER_DATA_LIMIT_BYTES = 16 * 1024;

const BOUNDARY = "==SIIT-DC-USER-DATA==";

/** One part of a cloud-init multipart document. */
export interface UserDataPart {
  readonly contentType: "text/cloud-config" | "text/x-shellscript" | "text/cloud-boothook" | "text/x-include-url" | "text/cloud-config-archive";
  readonly filename: string;
  readonly content: string;
}

/** A cloud-config document as a plain object (validated with `cloud-init schema` in the tests). */
export type CloudConfig = Record<string, unknown>;

/** `#cloud-config` followed by the document as YAML. Strings are never folded, so scripts survive intact. */
export function renderCloudConfig(doc: CloudConfig): string {
  return `#cloud-config\n${yaml().stringify(doc, { lineWidth: 0, blockQuote: "literal" })}`;
}

/**
 * The library's part merges into the application's cloud-config instead of replacing its lists
 * (cloud-init's default merge replaces `runcmd` and `write_files` of earlier parts).
 */
export const APPEND_MERGE = [
  { name: "list", settings: ["append"] },
  { name: "dict", settings: ["no_replace", "recurse_list"] },
];

/** Classifies application user data by its first line, as cloud-init does. */
export function applicationPart(userData: string, origin: Origin): UserDataPart {
  const firstLine = userData.split("\n", 1)[0].trimEnd();
  if (firstLine === "#cloud-config") {
    checkCloudConfig(userData, origin);
    return { contentType: "text/cloud-config", filename: "application.cfg", content: userData };
  }
  if (userData.startsWith("#!")) return { contentType: "text/x-shellscript", filename: "application.sh", content: userData };
  if (firstLine === "#cloud-boothook") return { contentType: "text/cloud-boothook", filename: "application.boothook", content: userData };
  if (firstLine === "#cloud-config-archive") return { contentType: "text/cloud-config-archive", filename: "application.archive", content: userData };
  if (firstLine === "#include") return { contentType: "text/x-include-url", filename: "application.include", content: userData };
  if (/^content-type:\s*multipart\//i.test(firstLine) || /^mime-version:/i.test(firstLine)) {
    fail(origin, userData.slice(0, 40), "is already a MIME multipart document, and the library adds its own part to the user data", "pass the content of your part (#cloud-config, #! script, #cloud-boothook or #include) instead of a multipart document");
  }
  return fail(
    origin,
    userData.slice(0, 40),
    firstLine.startsWith("#cloud-config") ? `starts with "${firstLine}", and cloud-init recognises only a first line that is exactly #cloud-config` : "is neither a cloud-config document (#cloud-config), a script (#!), a boothook (#cloud-boothook), a cloud-config archive (#cloud-config-archive) nor an include list (#include)",
    "start the user data with #cloud-config, a #! line, #cloud-boothook or #include; the library combines it with its own boot configuration",
  );
}

/** cloud-init ignores a cloud-config part it cannot parse (with only a log line): refuse it here instead. */
function checkCloudConfig(text: string, origin: Origin): void {
  const doc = yaml().parseDocument(text);
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    // The parser often reports where it gave up (a blank line): show the last line with text.
    const lines = text.split("\n").slice(0, line);
    const shown = [...lines].reverse().find((l) => l.trim() !== "") ?? "";
    const reason = error.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    fail(origin, shown.slice(0, 60), `is not valid YAML (line ${line} of the user data): ${reason}`, "fix the cloud-config document; `cloud-init schema --config-file` checks it offline");
  }
  const value: unknown = doc.toJS();
  if (value !== null && (typeof value !== "object" || Array.isArray(value))) {
    fail(origin, text.slice(0, 40), `is a cloud-config document whose top level is ${Array.isArray(value) ? "a list" : "a scalar"}, not a mapping of modules`, "write the document as keys such as packages:, runcmd:, write_files:");
  }
}

/** The parts as one user data document: a lone part as itself, several as MIME multipart/mixed. */
export function combineUserData(parts: readonly UserDataPart[]): string {
  if (parts.length === 1) return parts[0].content;
  // A boundary must not occur in any part (RFC 2046 section 5.1.1): a user script that happens to
  // contain ours gets a longer one, never a broken document.
  let boundary = BOUNDARY;
  for (let n = 1; parts.some((p) => p.content.includes(boundary)); n++) boundary = `${BOUNDARY.slice(0, -2)}-${n}==`;
  const body = parts.map((p) => {
    return [
      `--${boundary}`,
      `Content-Type: ${p.contentType}; charset="utf-8"`,
      "MIME-Version: 1.0",
      "Content-Transfer-Encoding: 8bit",
      `Content-Disposition: attachment; filename="${p.filename}"`,
      "",
      p.content.endsWith("\n") ? p.content : `${p.content}\n`,
    ].join("\n");
  });
  return [`Content-Type: multipart/mixed; boundary="${boundary}"`, "MIME-Version: 1.0", "", ...body, `--${boundary}--`, ""].join("\n");
}

/** Splits a multipart document back into its parts (for tests and reports). */
export function splitUserData(userData: string): UserDataPart[] {
  if (!userData.startsWith("Content-Type: multipart/mixed")) {
    return [userData.startsWith("#!") ? { contentType: "text/x-shellscript", filename: "user-data", content: userData } : { contentType: "text/cloud-config", filename: "user-data", content: userData }];
  }
  const boundary = /boundary="([^"]+)"/.exec(userData.split("\n", 1)[0])![1];
  return userData
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((chunk) => {
      const [head, ...rest] = chunk.replace(/^\n/, "").split("\n\n");
      const type = /Content-Type: ([^;\n]+)/.exec(head)![1] as UserDataPart["contentType"];
      const filename = /filename="([^"]+)"/.exec(head)![1];
      return { contentType: type, filename, content: rest.join("\n\n").replace(/\n$/, "") };
    });
}

/**
 * User data as EC2 takes it (base64), optionally gzip-compressed (cloud-init recognises the gzip
 * magic and decompresses). Fails when the bytes exceed EC2's limit. The gzip header carries no
 * timestamp, so the same text always encodes the same way.
 */
export function encodeUserData(userData: string, compress: boolean, origin: Origin): string {
  // Every node of a kind shares its user data: encode (and gzip) each text once.
  const key = `${compress ? "gzip" : "text"}\n${userData}`;
  const known = encoded.get(key);
  if (known !== undefined) return known;
  const bytes = compress ? gzipSync(Buffer.from(userData, "utf8"), { level: 9 }) : Buffer.from(userData, "utf8");
  if (bytes.length > USER_DATA_LIMIT_BYTES) {
    fail(
      origin,
      `${bytes.length} bytes${compress ? " compressed" : ""}`,
      `user data is limited to ${USER_DATA_LIMIT_BYTES} bytes before base64 encoding`,
      "move large content (configuration, scripts) to S3 or SSM and fetch it at boot",
    );
  }
  const base64 = bytes.toString("base64");
  encoded.set(key, base64);
  return base64;
}
const encoded = new Map<string, string>();

/** The text of user data encoded by encodeUserData (for tests and reports). */
export function decodeUserData(base64: string): string {
  const bytes = Buffer.from(base64, "base64");
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** Reads a shell script shipped with the library (lib/plan/boot/scripts). */
export function bootScript(name: string): string {
  return fs.readFileSync(path.join(__dirname, "scripts", name), "utf8");
}
