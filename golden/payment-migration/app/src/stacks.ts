// The golden stacks, defined once for the plain synthesis (main.ts) and for
// the re-synthesis with tfmend's fixes as overrides (resynth.ts).
import { App, TerraformStack } from "cdktf";
import { ALL_FAILURES, PaymentMigrationStack } from "./stack";

/// Defines every golden stack in `app`; `each` runs on each one at the end of
/// its construction, where an app calls applyTfmendFixes.
export function defineStacks(app: App, each: (stack: TerraformStack) => void = () => {}): void {
  const common = { environmentSuffix: "dev", migrationPhase: "legacy" };
  const define = (id: string, options: ConstructorParameters<typeof PaymentMigrationStack>[2]) => {
    each(new PaymentMigrationStack(app, id, options));
  };
  define("model-output", { ...common, failures: ALL_FAILURES });
  define("ideal", { ...common, failures: [] });
  // The model output again, with the suffix as a Terraform variable.
  define("model-output-suffix-variable", { ...common, failures: ALL_FAILURES, suffixAsVariable: true });
  for (const f of ALL_FAILURES) {
    define(`failure-${String(f).padStart(2, "0")}`, { ...common, failures: [f] });
  }
}
