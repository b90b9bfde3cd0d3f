import { readdirSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../liveProcess';

/**
 * The private folders dropped reports wait in (tenant/uploadWindow.ts): one per process,
 * named by its pid and start time, deleted on exit, and, for a process that was killed,
 * by the next one to start on that machine.
 */

const DIR_PREFIX = 'passlens-uploads-';

/** A new private folder for this process's uploads under `parent`, after deleting dead processes' ones. */
export async function createUploadRoot(parent: string): Promise<string> {
  await mkdir(parent, { recursive: true });
  removeAbandonedRoots(parent);
  const root = await mkdtemp(join(parent, `${DIR_PREFIX}${process.pid}-${PROCESS_STARTED}-`));
  ROOTS.add(root);
  return root;
}

export async function deleteUploadRoot(root: string): Promise<void> {
  await rm(root, { recursive: true, force: true });
  ROOTS.delete(root);
}

/** When this process started, in seconds: with the pid, it tells this process's directories from a dead one's that had the same pid. */
const PROCESS_STARTED = Math.round(Date.now() / 1000 - process.uptime());
const ROOTS = new Set<string>();
process.once('exit', () => {
  for (const root of ROOTS) rmSync(root, { recursive: true, force: true });
});

/** Upload directories of processes that are gone (killed before they could delete them). */
export function removeAbandonedRoots(parent = tmpdir()): void {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    const m = new RegExp(`^${DIR_PREFIX}(\\d+)-(\\d+)-`).exec(name);
    if (!m) continue;
    const pid = Number(m[1]);
    const mine = pid === process.pid && Number(m[2]) === PROCESS_STARTED;
    if (mine || (pid !== process.pid && isAlive(pid))) continue;
    try {
      rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // Another user's directory in a shared folder: not ours to delete, and no reason not to start.
    }
  }
}
