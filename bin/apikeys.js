#!/usr/bin/env node
// The `apikeys` command: init, deploy, drift, install-provider, emulator, demo.
require('../dist/src/cli/main.js');
