#!/usr/bin/env node
// The `apikeys` command: emulator, demo, install-provider, drift, bench.
require('../dist/src/cli/main.js');
