import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/**
 * A full garbage collection now: V8 sizes its next one from the heap its last one left, so
 * the garbage of a large analysis just released would pile up under the next read
 * (docs/performance.md, "Uploads dropped back to back"). Jest's leak-detector pattern, the
 * flag set on first use so the CLI and a bot without large uploads never have it.
 */
export function reclaimMemory(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
