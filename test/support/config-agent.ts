import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fragmentKey } from "../../lib/plan/jool/fragments";
import { TranslatorObjects } from "../../lib/lab/model/topology";

const root = path.resolve(__dirname, "../..");
const AGENT = "lib/plan/boot/scripts/jool-config-agent.sh";
const STANDINS = path.join(root, "test/support/standins");
const BUCKET = "siit-dc-config-lab";

/**
 * A translator's config agent run for real (lib/plan/boot/scripts/jool-config-agent.sh, with the
 * stand-ins of test/support/standins for instance metadata, S3, ip, jool_siit and nft), as the
 * packet lab's LabOptions.configAgent: the platform's object and the teams' fragments go into the
 * stand-in bucket where the stacks put them, the agent fetches, checks, merges and applies them,
 * and the Jool file and filter it wrote are what the lab's translator runs. A refused merge
 * throws with the agent's log. The stand-ins validate with the compiled validator (dist/).
 */
export function runConfigAgent(objects: TranslatorObjects): { joolFile: string; filter: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "siit-lab-agent-"));
  const put = (file: string, content: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  };
  try {
    const key = `siit/lab/${objects.translator}.json`;
    put("meta-data/tags/instance/SiitDcConfig", `s3://${BUCKET}/${key}`);
    put("meta-data/placement/region", "eu-north-1");
    put("meta-data/local-ipv4", objects.primaryIpv4);
    put("addresses", `${objects.primaryIpv4}/20\n`);
    put(`s3/${BUCKET}/${key}`, objects.object);
    for (const [team, text] of Object.entries(objects.fragments)) put(`s3/${BUCKET}/${fragmentKey(key, team)}`, text);
    const conf = path.join(dir, "etc/jool/jool_siit.conf");
    const filter = path.join(dir, "etc/siit-dc/siit.nft");
    const r = spawnSync("sh", [AGENT, "siit"], {
      cwd: root,
      encoding: "utf8",
      timeout: 60_000,
      env: {
        PATH: [STANDINS, path.dirname(process.execPath), process.env.PATH ?? "/usr/bin:/bin"].join(path.delimiter),
        LC_ALL: "C",
        STANDIN_DIR: dir,
        SIIT_DC_JOOL_CONF: conf,
        SIIT_DC_FILTER: filter,
        SIIT_DC_STATE_DIR: path.join(dir, "var/lib/siit-dc"),
      },
    });
    if (r.error) throw r.error;
    if (r.status !== 0 || !fs.existsSync(conf) || !fs.existsSync(filter)) {
      throw new Error(`the config agent did not apply translator ${objects.translator}'s objects (exit ${r.status}):\n${r.stderr}`);
    }
    return { joolFile: fs.readFileSync(conf, "utf8"), filter: fs.readFileSync(filter, "utf8") };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
