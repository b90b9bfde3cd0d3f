import { doubled } from './typedArrays';
import type { RowLog } from './rowLog';
import { LICENSE_BIT } from './rowFlags';

/** How many CSV lines (or UPNs) a finding keeps as evidence: the lowest, so the answer does not depend on the order of the rows. */
export const EVIDENCE_SAMPLES = 5;

/** Per group, a slot of up to EVIDENCE_SAMPLES lines (-1: the group has no AppPass row with a line). */
export interface AppPassEvidence {
  slotOf: Int32Array;
  lines: Int32Array;
  counts: Uint8Array;
}

/**
 * The lowest CSV lines of each group's AppPass rows, read in row order (the lowest few do
 * not depend on the order): slots only for the groups that have such rows, instead of a
 * line per row carried through the sort. `slotOf` (per group) is reused; it is refilled here.
 */
export function appPassEvidence(log: RowLog, appCount: number, slotOf: Int32Array, rankOfApp: Int32Array): AppPassEvidence {
  slotOf.fill(-1);
  let lines = new Int32Array(EVIDENCE_SAMPLES * 64);
  let counts = new Uint8Array(64);
  let slots = 0;
  const appPass = LICENSE_BIT.AppPass;
  for (let b = 0; b < log.app.length; b++) {
    const [apps, months, flags, lineOf] = [log.app[b], log.month[b], log.flags[b], log.line[b]];
    for (let i = 0, n = log.rowsIn(b); i < n; i++) {
      const line = lineOf[i];
      if ((flags[i] & appPass) === 0 || line <= 0) continue;
      const g = months[i] * appCount + rankOfApp[apps[i]];
      let slot = slotOf[g];
      if (slot < 0) {
        slot = slotOf[g] = slots++;
        if (slot >= counts.length) [lines, counts] = [doubled(lines), doubled(counts)];
      }
      counts[slot] = keepLowestIn(lines, slot * EVIDENCE_SAMPLES, counts[slot], line);
    }
  }
  return { slotOf, lines, counts };
}

/** keepLowest over `count` sorted numbers at `at` of a typed array, room for EVIDENCE_SAMPLES; returns the new count. */
function keepLowestIn(list: Int32Array, at: number, count: number, value: number): number {
  if (count >= EVIDENCE_SAMPLES && value >= list[at + count - 1]) return count;
  let i = count;
  while (i > 0 && list[at + i - 1] > value) i--;
  if (i > 0 && list[at + i - 1] === value) return count;
  const kept = Math.min(count + 1, EVIDENCE_SAMPLES);
  for (let j = kept - 1; j > i; j--) list[at + j] = list[at + j - 1];
  list[at + i] = value;
  return kept;
}

/**
 * Keeps `list` as the `max` smallest numbers seen, sorted; no compare function and no
 * splice (which makes an array per call), since it runs for every AppPass row and pair.
 */
export function keepLowest(list: number[], value: number, max: number): void {
  const n = list.length;
  if (n >= max && value >= list[n - 1]) return;
  let i = n;
  while (i > 0 && list[i - 1] > value) i--;
  if (i > 0 && list[i - 1] === value) return;
  // full: the largest falls off the end
  const last = n < max ? n : n - 1;
  if (n < max) list.push(value);
  for (let j = last; j > i; j--) list[j] = list[j - 1];
  list[i] = value;
}
