#!/usr/bin/env node
// The `muster` command: a stable entry that exists before the build, so installs can link it.
import '../dist/cli.js';
