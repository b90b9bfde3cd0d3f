#!/usr/bin/env node
'use strict';
/**
 * `npm test`: everything the suite needs, then the suite. It builds the sources (the CLI
 * tests run the real binary), installs Debian's Chromium when it is missing (the
 * end-to-end tests drive the Agents Playground in it), and runs mocha: the unit,
 * integration and reliability suites, then the end-to-end suite in a process of its own.
 * Extra arguments go to one mocha run of the whole configuration, e.g. `npm test -- --grep CSV`.
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
const mocha = require.resolve('mocha/bin/mocha.js');
const extra = process.argv.slice(2);
if (extra.length > 0) {
  run(process.execPath, [mocha, ...extra]);
} else {
  // Two stages, each in a process of its own: the end-to-end tests drive the Agents
  // Playground in Chromium after the rest, so nothing the earlier suites left in this
  // process (shared readers, timers, sockets) reaches them. In one process the channel
  // digest test failed in three full runs out of five while passing alone every time,
  // with the bot's reply sent and the Playground's page not showing it.
  const { spec, ...options } = require('../.mocharc.json');
  const flags = ['--no-config', ...options.require.flatMap((r) => ['--require', r]), '--extension', ...options.extension, '--timeout', String(options.timeout), '--reporter', options.reporter, '--exit'];
  const e2e = spec.filter((s) => s.startsWith('test/e2e/'));
  run(process.execPath, [mocha, ...flags, ...spec.filter((s) => !e2e.includes(s))]);
  run(process.execPath, [mocha, ...flags, ...e2e]);
}
