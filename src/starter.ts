import { readFileSync } from 'node:fs';
import { isAlive } from './liveProcess';

/**
 * The process that started PassLens. `npm start` runs `sh -c "node bin/start.js"`; when npm
 * is killed with SIGKILL nothing tells the shell or PassLens, which would keep the port and
 * the Playground running with nobody to stop them. So `npm start` watches npm and stops
 * when it is gone. Linux shows a process's parent in /proc/<pid>/stat; elsewhere only the
 * direct parent is watched.
 */

const SHELLS = new Set(['sh', 'dash', 'bash', 'zsh']);

/** The pids to outlive no longer than: the parent, and npm above a script shell. Empty under an init process (a container's PID 1 or none). */
export function startingProcesses(env: NodeJS.ProcessEnv = process.env): number[] {
  const chain: number[] = [];
  let pid = process.ppid;
  while (pid > 1 && chain.length < 2) {
    chain.push(pid);
    const stat = processStat(pid);
    // Only npm's own script shell is looked through; a user's shell is left alone.
    if (!env.npm_lifecycle_event || !stat || !SHELLS.has(stat.command)) break;
    pid = stat.parent;
  }
  return chain;
}

function processStat(pid: number): { command: string; parent: number } | null {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so split at the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    return { command: stat.slice(stat.indexOf('(') + 1, close), parent: Number(stat.slice(close + 2).split(' ')[1]) };
  } catch {
    return null;
  }
}

/** Calls `onEnd` once, within `everyMs`, after any of `pids` ends or this process is handed to another parent. */
export function watchStarter(pids: readonly number[], onEnd: (pid: number) => void, everyMs = 1_000): () => void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    const gone = process.ppid !== parent ? parent : pids.find((pid) => !isAlive(pid));
    if (gone === undefined) return;
    clearInterval(timer);
    onEnd(gone);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
