#!/usr/bin/env node
'use strict';
/**
 * `npm test`: everything the suite needs, then the suite. It builds the sources (the CLI
 * tests run the real binary), installs Debian's Chromium when it is missing (the
 * end-to-end tests drive the Agents Playground in it), and runs mocha. Extra arguments
 * go to mocha, e.g. `npm test -- --grep CSV`.
 */
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) {
    process.stderr.write(`npm test: "${cmd} ${args.join(' ')}" failed (exit ${r.status})\n`);
    process.exit(r.status || 1);
  }
}

function ensureChromium() {
  if (process.env.PASSLENS_CHROMIUM || existsSync('/usr/bin/chromium')) return;
  if (process.getuid && process.getuid() !== 0) {
    process.stderr.write('npm test: Chromium is missing; install Debian\'s "chromium" package (apt-get install chromium) or set PASSLENS_CHROMIUM.\n');
    process.exit(1);
  }
  process.stdout.write('npm test: installing Debian\'s chromium for the end-to-end tests...\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium', 'fonts-dejavu-core'], { env });
}

run(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json']);
ensureChromium();
run(process.execPath, [require.resolve('mocha/bin/mocha.js'), ...process.argv.slice(2)]);
