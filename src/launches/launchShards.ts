import { createHash } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AuditLaunch } from './launch';
import type { LaunchRecord } from './auditRecord';

/**
 * The launch store's unit of storage: one shard of one part of one period's launches in
 * one month, a store item of its own. A shard holds the distinct (environment, app, user)
 * launches whose key hashes to it, as tab-separated lines, deflated: the ids of the
 * records behind each launch go with it (12 characters of a hash each), so records read
 * twice, by two periods or two parts, count once when a month is read.
 *
 * Shard counts are powers of two and a launch's shard is its key's hash modulo the count,
 * so a month read in S shards (the largest count of its parts) reads shard j of a part
 * with fewer shards s as that part's shard j mod s, keeping only the lines of shard j.
 */

export const MAX_SHARDS = 64;
/** Distinct launches a shard is sized for: a month is read one shard at a time. */
export const SHARD_LAUNCHES = 16_384;

/** A launch being gathered, in a shard or in memory. */
export interface LaunchAcc {
  environmentId: string;
  appId: string;
  appName: string;
  userObjectId: string;
  userPrincipalName: string;
  /** Epoch seconds. */
  first: number;
  last: number;
  ids: string[];
}

export function launchKey(environmentId: string, appId: string, upn: string): string {
  return `${environmentId}\t${appId}\t${upn}`;
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

const clean = (s: string): string => s.replace(/[\t\r\n]/g, ' ');

export function accOf(record: LaunchRecord): LaunchAcc {
  const at = Math.floor(Date.parse(record.at) / 1000);
  return {
    environmentId: record.environmentId,
    appId: record.appId,
    appName: record.appName ?? '',
    userObjectId: record.userObjectId ?? '',
    userPrincipalName: record.userPrincipalName,
    first: at,
    last: at,
    ids: [recordKey(record.recordId)],
  };
}

/** Adds `b` into `a` (the same key); record ids are merged without repeats. */
export function mergeAcc(a: LaunchAcc, b: LaunchAcc): void {
  if (b.first < a.first) a.first = b.first;
  if (b.last > a.last) a.last = b.last;
  if (!a.appName && b.appName) a.appName = b.appName;
  if (!a.userObjectId && b.userObjectId) a.userObjectId = b.userObjectId;
  for (const id of b.ids) if (!a.ids.includes(id)) a.ids.push(id);
}

export function encodeShard(launches: Iterable<LaunchAcc>): string {
  const lines: string[] = [];
  for (const l of launches) {
    lines.push([clean(l.environmentId), clean(l.appId), clean(l.appName), clean(l.userObjectId), clean(l.userPrincipalName), l.first, l.last, l.ids.join(',')].join('\t'));
  }
  return deflateRawSync(Buffer.from(lines.join('\n'), 'utf8')).toString('base64');
}

/** The shard's launches; with `of` = [j, S], only those whose key hashes to j of S. */
export function* decodeShard(data: string, of?: [number, number]): Generator<LaunchAcc> {
  if (!data) return;
  const text = inflateRawSync(Buffer.from(data, 'base64')).toString('utf8');
  let from = 0;
  while (from < text.length) {
    let to = text.indexOf('\n', from);
    if (to < 0) to = text.length;
    const f = text.slice(from, to).split('\t');
    from = to + 1;
    if (f.length < 8) continue;
    if (of && keyHash(launchKey(f[0], f[1], f[4])) % of[1] !== of[0]) continue;
    yield { environmentId: f[0], appId: f[1], appName: f[2], userObjectId: f[3], userPrincipalName: f[4], first: Number(f[5]), last: Number(f[6]), ids: f[7] ? f[7].split(',') : [] };
  }
}

export function toLaunch(month: string, l: LaunchAcc): AuditLaunch {
  return {
    month,
    environmentId: l.environmentId,
    appId: l.appId,
    ...(l.appName ? { appName: l.appName } : {}),
    ...(l.userObjectId ? { userObjectId: l.userObjectId } : {}),
    userPrincipalName: l.userPrincipalName,
    firstLaunch: new Date(l.first * 1000).toISOString(),
    lastLaunch: new Date(l.last * 1000).toISOString(),
    count: l.ids.length,
  };
}
