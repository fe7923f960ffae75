// Synthesizes tfmend's golden stacks: the seed's model output (all thirteen
// failures), the ideal stack (every fix applied), and one stack per failure.
import { App } from "cdktf";
import { ALL_FAILURES, PaymentMigrationStack } from "./stack";

const outdir = process.argv[2] ?? "cdktf.out";
const app = new App({ outdir, skipValidation: false });
const common = { environmentSuffix: "dev", migrationPhase: "legacy" };

new PaymentMigrationStack(app, "model-output", { ...common, failures: ALL_FAILURES });
new PaymentMigrationStack(app, "ideal", { ...common, failures: [] });
// The model output again, with the suffix as a Terraform variable.
new PaymentMigrationStack(app, "model-output-suffix-variable", { ...common, failures: ALL_FAILURES, suffixAsVariable: true });
for (const f of ALL_FAILURES) {
  new PaymentMigrationStack(app, `failure-${String(f).padStart(2, "0")}`, { ...common, failures: [f] });
}
app.synth();
