#!/usr/bin/env node
// The `muster` command: a stable entry that exists before the build, so installs can link it.
// It first restarts itself in place with muster's V8 memory flags (see src/node-flags.ts).
import { relaunchWithMemoryFlags } from '../dist/node-flags.js';

relaunchWithMemoryFlags();
await import('../dist/cli.js');
