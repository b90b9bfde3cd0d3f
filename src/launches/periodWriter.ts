import type { StateStore } from '../storage/stateStore';
import type { LaunchRecord } from './auditRecord';
import { chunkKey, monthOf, type ChunkRef } from './launchStore';
import { accOf, encodeShard, keyHash, launchKey, mergeAcc, recordKey, shardCount, type LaunchAcc } from './launchShards';

const DAYS_A_MONTH = 31;

/**
 * Gathers one period's launches as its records stream in, and writes them to the store
 * in parts: when the distinct launches held reach `partLimit`, they are written (as
 * shards, see launchShards.ts) and dropped, so a period of any size is collected in
 * bounded memory. A record id seen twice in the period counts once.
 */
export class PeriodWriter {
  private readonly byMonth = new Map<string, Map<string, LaunchAcc>>();
  private readonly seen = new Set<string>();
  private held = 0;
  private part = 0;
  readonly chunks: ChunkRef[] = [];
  readonly written: string[] = [];
  readonly records: Record<string, number> = {};
  duplicates = 0;

  constructor(
    private readonly state: StateStore,
    private readonly generation: string,
    /** Told of each part's keys once written (the claim records them, for clean-up after a crash). */
    private readonly onWritten: (keys: string[]) => Promise<void>,
    private readonly partLimit = 100_000,
  ) {}

  /** false: a record already seen in this period. */
  add(record: LaunchRecord): boolean {
    const id = recordKey(record.recordId);
    if (this.seen.has(id)) {
      this.duplicates++;
      return false;
    }
    this.seen.add(id);
    const month = monthOf(record.at);
    this.records[month] = (this.records[month] ?? 0) + 1;
    let launches = this.byMonth.get(month);
    if (!launches) this.byMonth.set(month, (launches = new Map()));
    const key = launchKey(record.environmentId, record.appId, record.userPrincipalName);
    const acc = accOf(record, month);
    const known = launches.get(key);
    if (known) mergeAcc(known, acc);
    else {
      launches.set(key, acc);
      this.held++;
    }
    return true;
  }

  async flushIfFull(): Promise<void> {
    if (this.held >= this.partLimit) await this.flush();
  }

  async finish(): Promise<ChunkRef[]> {
    await this.flush();
    return this.chunks;
  }

  private async flush(): Promise<void> {
    if (!this.held) return;
    const part = this.part++;
    const keys: string[] = [];
    for (const [month, launches] of this.byMonth) {
      // Sized for the month this part is a day of: a month is then read in as many shards as
      // its parts were written in, each item once, with no shard holding more than its share.
      const shards = shardCount(launches.size * DAYS_A_MONTH);
      const buckets: LaunchAcc[][] = Array.from({ length: shards }, () => []);
      for (const [key, acc] of launches) buckets[keyHash(key) % shards].push(acc);
      const ref: ChunkRef = { month, part, shards, present: [] };
      for (let s = 0; s < shards; s++) {
        if (!buckets[s].length) continue;
        const key = chunkKey(this.generation, ref, s);
        await this.state.write({ [key]: { rows: encodeShard(buckets[s]), launches: buckets[s].length, eTag: '*' } });
        buckets[s] = [];
        ref.present.push(s);
        keys.push(key);
      }
      this.chunks.push(ref);
    }
    this.byMonth.clear();
    this.held = 0;
    this.written.push(...keys);
    await this.onWritten(keys);
  }
}
