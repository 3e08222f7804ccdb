#!/usr/bin/env node
/**
 * The bin. Sets two V8 settings before anything else is loaded (see v8-memory.ts), then loads the
 * command line (program.ts): static imports would all be evaluated first, and yargs, zod and the
 * config alone grew the young generation to 4 times its first size before a command ran.
 */
import { keepWasmOnBaseline, keepYoungGenerationSmall } from '../v8-memory.js';

// Before the first HTTP request: ~35 MiB less at the peak of every run.
keepWasmOnBaseline();
// Before any module is evaluated: ~10 MiB less at the peak of a `download` (program.ts gives every
// other command V8's default back).
keepYoungGenerationSmall();
await import('./program.js');
