#!/usr/bin/env node
'use strict';
// Runs the compiled CLI; `npm ci` builds it (the "prepare" script).
const { runCli } = require('../dist/cli/main.js');
runCli(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { process.stderr.write(`passlens: unexpected error: ${e && e.message}\n`); process.exitCode = 1; },
);
