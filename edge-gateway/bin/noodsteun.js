#!/usr/bin/env node
// Entry point of the `noodsteun` command. Sources are TypeScript, loaded through tsx so that
// developers, the simulator and CI run exactly the checked-in code without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
