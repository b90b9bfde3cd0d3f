import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from './logger';

/**
 * The Microsoft 365 Agents Playground that `npm start` opens when the bot has no identity:
 * a child process bound to the bot's interface (loopback unless HOST says otherwise) that
 * ends with PassLens however PassLens ends (bin/playgroundGuard.js, loaded into it).
 */
export interface RunningPlayground {
  /** Where to open it; null when it did not start. */
  url: string | null;
  /** Said once at start when the port asked for was taken, with what holds it. */
  portNote: string | null;
  stop(): Promise<void>;
}

export interface PlaygroundOptions {
  /** The bot's messaging endpoint. */
  botUrl: string;
  /** The port asked for (PASSLENS_PLAYGROUND_PORT; 0: any free port). */
  port: number;
  /** The interface to listen on (HOST; loopback by default). */
  host: string;
  logger: Logger;
  /** How long it may take to listen (default 30 s). */
  readyMs?: number;
}

const GUARD = join(__dirname, '..', 'bin', 'playgroundGuard.js');
const STOP_MS = 5_000;

export async function startPlayground(options: PlaygroundOptions): Promise<RunningPlayground> {
  const { logger } = options;
  const holder = options.port ? await whatHolds(options.host, options.port) : null;
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, ['--require', GUARD, cli, '-e', options.botUrl, '-c', 'msteams', '-p', String(options.port), '--disable-telemetry'], {
    // Without a browser to open it would try xdg-open and crash.
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', PASSLENS_PLAYGROUND_HOST: options.host },
    // The IPC channel is the guard's lifeline: it closes when PassLens dies.
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  child.stderr?.on('data', (d: Buffer) => logger.error('playground', { output: d.toString().trim().slice(0, 500) }));
  const exited = new Promise<void>((resolve) => child.once('exit', (code, signal) => {
    logger.info('playground exited', { code, signal });
    resolve();
  }));
  // Its CLI prints "Listening on <port>" when stdout is not a terminal; it falls back to a free port when the one asked for is taken.
  const port = await new Promise<number | null>((resolve) => {
    let seen = '';
    const timer = setTimeout(() => resolve(null), options.readyMs ?? 30_000);
    child.stdout?.on('data', (d: Buffer) => {
      if (seen.length < 4096) seen += d.toString();
      const m = /Listening on (\d+)/.exec(seen);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      resolve(null);
    });
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), STOP_MS);
    await exited;
    clearTimeout(hard);
  };
  if (port === null) {
    logger.error('the Agents Playground did not start; the bot answers without it', { host: options.host, port: options.port });
    await stop();
    return { url: null, portNote: null, stop };
  }
  const portNote = port !== options.port && options.port ? `Port ${options.port} is taken${holder ? ` by ${holder}` : ''}, so this Playground is on port ${port}. To find what holds ${options.port}: ss -ltnp 'sport = :${options.port}'.` : null;
  logger.info('playground listening', { host: options.host, port, pid: child.pid });
  return { url: `http://${shownHost(options.host)}:${port}`, portNote, stop };
}

/** What answers on the port already: another Agents Playground (a PassLens killed before this version could leave one) or something else. */
async function whatHolds(host: string, port: number): Promise<string | null> {
  try {
    const res = await fetch(`http://${connectHost(host)}:${port}/_internal/v1/config`, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? 'another Agents Playground (perhaps left running by an earlier PassLens)' : 'another program';
  } catch {
    return null;
  }
}

/** The address a browser opens: localhost for loopback and every-interface binds, as the Playground itself says. */
function shownHost(host: string): string {
  if (host === '127.0.0.1' || host === '::1' || host === '0.0.0.0' || host === '::' || host === 'localhost') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}

/** The address to reach a server bound to `host` from this machine. */
export function connectHost(host: string | undefined): string {
  if (!host || host === '0.0.0.0' || host === '::' || host === 'localhost') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}
