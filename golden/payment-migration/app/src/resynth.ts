// Re-synthesizes the golden stacks with the fixes that `tfmend fix
// --emit-overrides typescript` wrote into src/generated-fixes/*.ts, each
// stack calling applyTfmendFixes at the end of its construction, as an app
// would: the proof that tfmend's fixes survive `cdktf synth`. It also logs
// every override call to OUTDIR/overrides.json, to compare with the Python
// output.
import { App, TerraformElement, TerraformStack } from "cdktf";
import * as fs from "fs";
import * as path from "path";
import { defineStacks } from "./stacks";

type Fixer = (stack: TerraformStack) => void;

const outdir = process.argv[2] ?? "cdktf.out";
const dir = path.join(__dirname, "generated-fixes");
const fixers: Fixer[] = fs.existsSync(dir)
  ? fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(".js"))
      .sort()
      .map((f) => (require(path.join(dir, f)) as { applyTfmendFixes: Fixer }).applyTfmendFixes)
  : [];

// Record every override: [construct path or "stack", override path, value ("<remove>" for undefined)].
const log: unknown[] = [];
const record = (where: string, p: string, value: unknown) => log.push([where, p, value === undefined ? "<remove>" : value]);
const elementOverride = TerraformElement.prototype.addOverride;
TerraformElement.prototype.addOverride = function (this: TerraformElement, p: string, value: unknown) {
  record(this.node.path, p, value);
  elementOverride.call(this, p, value);
};
const stackOverride = TerraformStack.prototype.addOverride;
TerraformStack.prototype.addOverride = function (this: TerraformStack, p: string, value: unknown) {
  record(`stack:${this.node.id}`, p, value);
  stackOverride.call(this, p, value);
};

const app = new App({ outdir, skipValidation: false });
defineStacks(app, (stack) => fixers.forEach((fix) => fix(stack)));
app.synth();
fs.writeFileSync(path.join(outdir, "overrides.json"), JSON.stringify(log, null, 1));
