#!/usr/bin/env node
// The `fluxir` command: a committed shim so that npm can link it before the TypeScript is built.
require('../dist/cli/main.js').main();
