import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AuditLaunch } from './launch';
import type { LaunchRecord } from './auditRecord';

/**
 * The launch store's unit of storage: one shard of one part of one period's launches in
 * one month, a store item of its own. A shard holds the distinct (environment, app, user)
 * launches whose key hashes to it, as tab-separated lines (environment, app, user: the key
 * first, so a line's key is one slice of it), deflated: the ids of the records behind each
 * launch go with it (12 characters of a hash each, comma-separated), so records read twice,
 * by two periods or two parts, count once when a month is read.
 *
 * Shard counts are powers of two and a launch's shard is its key's hash modulo the count,
 * so a month read in S shards (the largest count of its parts) reads shard j of a part
 * with fewer shards s as that part's shard j mod s, keeping only the lines of shard j.
 */

export const MAX_SHARDS = 64;
/** Distinct launches a shard is sized for: a month is read one shard at a time. */
export const SHARD_LAUNCHES = 16_384;

/**
 * A launch being gathered, in the shape the store hands out (so reading a month makes one
 * object per launch, not two), with the ids of its records. `appName` and `userObjectId`
 * are undefined when no record gave them.
 */
export interface LaunchAcc extends AuditLaunch {
  /** Record ids (recordKey), comma-separated. */
  ids: string;
}

const clean = (s: string): string => s.replace(/[\t\r\n]/g, ' ');

/** The key as a shard line begins with it (decodeShard slices it back out). */
export function launchKey(environmentId: string, appId: string, upn: string): string {
  return `${clean(environmentId)}\t${clean(appId)}\t${clean(upn)}`;
}

/** FNV-1a, 32 bits: cheap and even enough to spread keys over shards. */
export function keyHash(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A record id as stored: 72 bits of its SHA-1, enough that two ids of a month never collide in practice. */
export function recordKey(id: string): string {
  return createHash('sha1').update(id).digest('base64url').slice(0, 12);
}

export function shardCount(launches: number): number {
  let s = 1;
  while (s < MAX_SHARDS && s * SHARD_LAUNCHES < launches) s *= 2;
  return s;
}

export function accOf(record: LaunchRecord, month: string): LaunchAcc {
  return {
    month,
    environmentId: record.environmentId,
    appId: record.appId,
    appName: record.appName || undefined,
    userObjectId: record.userObjectId || undefined,
    userPrincipalName: record.userPrincipalName,
    firstLaunch: record.at,
    lastLaunch: record.at,
    count: 0,
    ids: recordKey(record.recordId),
  };
}

/** Adds `b` into `a` (the same key); record ids are merged without repeats. ISO times compare as text. */
export function mergeAcc(a: LaunchAcc, b: LaunchAcc): void {
  if (b.firstLaunch < a.firstLaunch) a.firstLaunch = b.firstLaunch;
  if (b.lastLaunch > a.lastLaunch) a.lastLaunch = b.lastLaunch;
  if (!a.appName && b.appName) a.appName = b.appName;
  if (!a.userObjectId && b.userObjectId) a.userObjectId = b.userObjectId;
  if (a.ids === b.ids) return;
  const ids = new Set(a.ids.split(','));
  for (const id of b.ids.split(',')) ids.add(id);
  a.ids = [...ids].join(',');
}

/** Distinct records behind a launch. */
export function recordCount(l: LaunchAcc): number {
  if (!l.ids) return 0;
  let n = 1;
  for (let i = l.ids.indexOf(','); i >= 0; i = l.ids.indexOf(',', i + 1)) n++;
  return n;
}

export function encodeShard(launches: Iterable<LaunchAcc>): string {
  const lines: string[] = [];
  for (const l of launches) {
    lines.push([clean(l.environmentId), clean(l.appId), clean(l.userPrincipalName), clean(l.appName ?? ''), clean(l.userObjectId ?? ''), l.firstLaunch, l.lastLaunch, l.ids].join('\t'));
  }
  return deflateRawSync(Buffer.from(lines.join('\n'), 'utf8')).toString('base64');
}

/**
 * Hands each launch of the shard to `visit` with its key (environment, app, user) as one
 * slice of the text; with `of` = [j, S], only those whose key hashes to j of S. Fields are
 * cut out of the text by position: a month is a million lines, and every array or string
 * made per line is garbage to collect.
 */
export function decodeShard(data: string, month: string, visit: (key: string, launch: LaunchAcc) => void, of?: [number, number]): void {
  if (!data) return;
  const text = inflateRawSync(Buffer.from(data, 'base64')).toString('utf8');
  const tabs = new Int32Array(7);
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    let t = from - 1;
    let n = 0;
    while (n < 7 && (t = text.indexOf('\t', t + 1)) >= 0 && t < to) tabs[n++] = t;
    const start = from;
    from = to + 1;
    if (n < 7) continue;
    const key = text.slice(start, tabs[2]);
    if (of && keyHash(key) % of[1] !== of[0]) continue;
    visit(key, {
      month,
      environmentId: text.slice(start, tabs[0]),
      appId: text.slice(tabs[0] + 1, tabs[1]),
      appName: tabs[3] > tabs[2] + 1 ? text.slice(tabs[2] + 1, tabs[3]) : undefined,
      userObjectId: tabs[4] > tabs[3] + 1 ? text.slice(tabs[3] + 1, tabs[4]) : undefined,
      userPrincipalName: text.slice(tabs[1] + 1, tabs[2]),
      firstLaunch: text.slice(tabs[4] + 1, tabs[5]),
      lastLaunch: text.slice(tabs[5] + 1, tabs[6]),
      count: 0,
      ids: text.slice(tabs[6] + 1, to),
    });
  }
}
