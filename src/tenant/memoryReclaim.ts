import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

let collect: (() => void) | null = null;

/**
 * A full garbage collection now. V8 sizes its next collection from the heap the last one
 * left, so a large analysis just released would otherwise still be held while the next
 * large set is read (docs/performance.md, "Uploads dropped back to back"). The flag is set
 * on first use only, so the CLI and an idle bot never have it; this is the pattern Jest's
 * leak detector uses, since a flag given on the command line would not reach `node dist/index.js`
 * run by a host.
 */
export function reclaimMemory(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as () => void;
  }
  collect();
}
