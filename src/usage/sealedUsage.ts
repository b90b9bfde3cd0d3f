import type { RowLog } from './rowLog';
import type { LedgerEnvironment, PairList, PeriodUsage } from './usageIndex';
import { EVIDENCE_SAMPLES, appPassEvidence, type AppPassEvidence } from './appPassEvidence';

/** A period of the sealed ledger: its pairs, and the groups (month x app) its rows came from. */
export interface SealedPeriod {
  environmentKey: string;
  month: string | null;
  start: number;
  end: number;
  groupFrom: number;
  groupTo: number;
  /** the first group of its month: group - monthBase is an app's rank */
  monthBase: number;
}

/** The ledger's rows grouped into periods of distinct (app, user) pairs, as the rules read them. */
export interface Sealed {
  periods: SealedPeriod[];
  pairs: PairList;
  appOfRank: Int32Array;
  evidence: AppPassEvidence;
  /** user numbers in UPN order, built when first asked */
  usersInOrder: Int32Array | null;
  userRank: Int32Array | null;
}

/** What sealing reads of the ledger besides its row log: how many of each key, and the app to environment map. */
export interface LedgerNumbers {
  appCount: number;
  /** per ledger app: its environment number */
  envOfApp: Int32Array;
  environments: readonly LedgerEnvironment[];
  months: readonly (string | null)[];
  userCount: number;
}

/**
 * Groups the log by (month, environment, app) with one counting sort, then merges each
 * group's rows per user, in place: the pairs are written over the sorted rows they come
 * from, so sealing allocates about 10 bytes a row and nothing of it is garbage
 * (docs/performance.md). Every pass is sequential or touches arrays of users or apps that stay in cache.
 */
export function seal(log: RowLog, ledger: LedgerNumbers): Sealed {
  const rows = log.rows;
  const { appCount, envOfApp, environments, months: monthList } = ledger;
  const envCount = environments.length;
  const monthCount = monthList.length;
  // Apps ranked by environment, so that each environment's apps are one run of ranks.
  const envStart = new Int32Array(envCount + 1);
  for (let a = 0; a < appCount; a++) envStart[envOfApp[a] + 1]++;
  for (let e = 0; e < envCount; e++) envStart[e + 1] += envStart[e];
  const next = envStart.slice(0, envCount);
  const rankOfApp = new Int32Array(appCount);
  const appOfRank = new Int32Array(appCount);
  for (let a = 0; a < appCount; a++) {
    const rank = next[envOfApp[a]]++;
    rankOfApp[a] = rank;
    appOfRank[rank] = a;
  }
  // Counting sort of the rows by group = month * apps + rank; stable, so rows stay in row order.
  const groups = monthCount * appCount;
  const groupStart = new Int32Array(groups + 1);
  for (let b = 0; b < log.app.length; b++) {
    const [apps, months] = [log.app[b], log.month[b]];
    for (let i = 0, n = log.rowsIn(b); i < n; i++) groupStart[months[i] * appCount + rankOfApp[apps[i]] + 1]++;
  }
  for (let g = 0; g < groups; g++) groupStart[g + 1] += groupStart[g];
  const fill = groupStart.slice(0, groups);
  // The rows' users and flags moved into group order (random writes, which do not stall), so
  // that the walk below reads them in sequence; the pairs then overwrite them from the front.
  const pairUser = new Int32Array(rows);
  const pairFlags = new Uint8Array(rows);
  for (let b = 0; b < log.app.length; b++) {
    const [apps, users, months, flags] = [log.app[b], log.user[b], log.month[b], log.flags[b]];
    for (let i = 0, n = log.rowsIn(b); i < n; i++) {
      const at = fill[months[i] * appCount + rankOfApp[apps[i]]]++;
      pairUser[at] = users[i];
      pairFlags[at] = flags[i];
    }
  }
  const evidence = appPassEvidence(log, appCount, fill, rankOfApp);

  // per user: [the group it was last seen in, its pair there], side by side (one cache line)
  const lastSeen = new Int32Array(ledger.userCount * 2).fill(-1);
  const periods: SealedPeriod[] = [];
  let pairs = 0;
  for (let m = 0; m < monthCount; m++) {
    for (let e = 0; e < envCount; e++) {
      const start = pairs;
      const groupFrom = m * appCount + envStart[e];
      const groupTo = m * appCount + envStart[e + 1];
      for (let g = groupFrom; g < groupTo; g++) {
        const from = groupStart[g];
        const to = groupStart[g + 1];
        // From here on, groupStart[g] is where the group's pairs start (pairs <= k: no row is overwritten before it is read).
        groupStart[g] = pairs;
        for (let k = from; k < to; k++) {
          const user = pairUser[k];
          const flags = pairFlags[k];
          if (lastSeen[user * 2] === g) pairFlags[lastSeen[user * 2 + 1]] |= flags;
          else {
            lastSeen[user * 2] = g;
            lastSeen[user * 2 + 1] = pairs;
            pairUser[pairs] = user;
            pairFlags[pairs] = flags;
            pairs++;
          }
        }
      }
      // every row makes or merges into a pair, so an environment without pairs had no rows this month
      if (pairs > start) periods.push({ environmentKey: environments[e].key, month: monthList[m], start, end: pairs, groupFrom, groupTo, monthBase: m * appCount });
    }
  }
  groupStart[groups] = pairs;
  const pairApp = new Int32Array(pairs);
  for (let g = 0; g < groups; g++) pairApp.fill(appOfRank[g % appCount], groupStart[g], groupStart[g + 1]);
  return {
    periods,
    pairs: { app: pairApp, user: pairUser.subarray(0, pairs), flags: pairFlags.subarray(0, pairs), start: 0, end: pairs },
    appOfRank,
    evidence,
    usersInOrder: null,
    userRank: null,
  };
}

/** A period as the rules see it: its AppPass evidence as lists per app, made for the analysis that asks. */
export function periodUsage(p: SealedPeriod, sealed: Sealed): PeriodUsage {
  const { slotOf, lines, counts } = sealed.evidence;
  const appPassLines = new Map<number, number[]>();
  for (let g = p.groupFrom; g < p.groupTo; g++) {
    const slot = slotOf[g];
    if (slot < 0) continue;
    const list: number[] = [];
    for (let at = slot * EVIDENCE_SAMPLES, end = at + counts[slot]; at < end; at++) list.push(lines[at]);
    appPassLines.set(sealed.appOfRank[g - p.monthBase], list);
  }
  return { environmentKey: p.environmentKey, month: p.month, start: p.start, end: p.end, appPassLines };
}
