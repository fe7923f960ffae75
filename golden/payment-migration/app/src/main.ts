// Synthesizes tfmend's golden stacks: the seed's model output (all thirteen
// failures), the ideal stack (every fix applied), and one stack per failure.
import { App } from "cdktf";
import { defineStacks } from "./stacks";

const outdir = process.argv[2] ?? "cdktf.out";
const app = new App({ outdir, skipValidation: false });
defineStacks(app);
app.synth();
