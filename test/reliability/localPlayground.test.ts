import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from '../support/chromium';

/**
 * Issue 23, item 2: the Agents Playground that `npm start` opens listened on every
 * interface (anyone on the network could post activities into local mode), and `kill -9`
 * left it running. With the real bin/start.js (and npm start) on free ports: the bot and
 * the Playground listen on loopback only; killing PassLens, or npm above it, with SIGKILL
 * takes the Playground down within seconds; a start that finds the port taken by a
 * Playground says so and where its own is.
 */

const ROOT = join(__dirname, '../..');

interface Started {
  child: ChildProcess;
  output: () => string;
  botPort: number;
  playgroundPort: number;
  playgroundPid: number;
}

/** Starts `command` (bin/start.js or npm start) and waits for both ports in its log. */
async function start(command: string, args: string[], env: Record<string, string>): Promise<Started> {
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, MicrosoftAppId: '', PASSLENS_ADMINS: '', PASSLENS_CLIENT_ID: '', PORT: '0', PASSLENS_PLAYGROUND_PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 60_000;
  while (!/Chat with it in the Agents Playground/.test(out)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no Playground in 60 s: ${out.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const bot = /"message":"PassLens listening","port":(\d+)/.exec(out);
  const playground = /"message":"playground listening","host":"[^"]*","port":(\d+),"pid":(\d+)/.exec(out);
  assert.ok(bot && playground, out);
  return { child, output: () => out, botPort: Number(bot[1]), playgroundPort: Number(playground[1]), playgroundPid: Number(playground[2]) };
}

/** The local addresses listening on a TCP port (Linux /proc/net/tcp and tcp6: hex, IPv4 little-endian per word). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(file)) continue;
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue;
      const [hex, portHex] = local.split(':');
      if (parseInt(portHex, 16) === port) found.push(hex);
    }
  }
  return found;
}

const LOOPBACK = new Set(['0100007F', '00000000000000000000000001000000', '0000000000000000FFFF00000100007F']);

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Gone or a zombie waiting for a reaper: either way it runs no more. */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

async function within(ms: number, condition: () => Promise<boolean> | boolean): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return condition();
}

describe('reliability: the local bot and its Playground stay on this machine and end with PassLens (issue 23, item 2)', function () {
  this.timeout(120_000);
  const started: Started[] = [];
  afterEach(() => {
    for (const s of started.splice(0)) {
      if (s.child.exitCode === null) s.child.kill('SIGKILL');
      if (running(s.playgroundPid)) process.kill(s.playgroundPid, 'SIGKILL');
    }
  });

  it('bin/start.js: bot and Playground listen on loopback only; kill -9 takes the Playground down', async () => {
    const s = await start(process.execPath, ['bin/start.js'], {});
    started.push(s);
    for (const port of [s.botPort, s.playgroundPort]) {
      const addresses = listeningAddresses(port);
      assert.ok(addresses.length > 0, `nothing listens on ${port}`);
      assert.deepEqual(addresses.filter((a) => !LOOPBACK.has(a)), [], `port ${port} listens beyond loopback: ${addresses.join(', ')}`);
    }
    assert.ok(await accepts(s.playgroundPort));
    s.child.kill('SIGKILL');
    assert.ok(await within(5_000, async () => !running(s.playgroundPid) && !(await accepts(s.playgroundPort))), `the Playground (pid ${s.playgroundPid}) outlived PassLens`);
  });

  it('npm start: kill -9 of npm stops PassLens and the Playground', async () => {
    const s = await start('npm', ['start', '--silent'], {});
    started.push(s);
    s.child.kill('SIGKILL');
    assert.ok(await within(10_000, async () => !(await accepts(s.botPort)) && !running(s.playgroundPid) && !(await accepts(s.playgroundPort))), `still running after npm was killed: ${s.output().slice(-500)}`);
  });

  it('a start that finds the Playground port taken by a Playground says so, and which port its own is on', async () => {
    const port = await freePort();
    const first = await start(process.execPath, ['bin/start.js'], { PASSLENS_PLAYGROUND_PORT: String(port) });
    started.push(first);
    assert.equal(first.playgroundPort, port);
    const second = await start(process.execPath, ['bin/start.js'], { PASSLENS_PLAYGROUND_PORT: String(port) });
    started.push(second);
    assert.notEqual(second.playgroundPort, port);
    assert.match(second.output(), new RegExp(`Port ${port} is taken by another Agents Playground .*this Playground is on port ${second.playgroundPort}`));
    assert.match(second.output(), new RegExp(`Agents Playground: http://localhost:${second.playgroundPort}`));
  });
});
