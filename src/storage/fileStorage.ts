import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { StateStore, StoreItem, StoreItems } from './stateStore';

/**
 * State in files under a data folder, one JSON file per key: written to a temporary
 * file and renamed (a crash never leaves half a file), with eTag checks under a lock
 * file, so two processes sharing the folder cannot both win a conditional write.
 */
export class FileStorage implements StateStore {
  constructor(
    private readonly folder: string,
    private readonly lockTimeoutMs = 10_000,
  ) {}

  async read(keys: string[]): Promise<StoreItems> {
    const out: StoreItems = {};
    for (const key of keys) {
      const item = await this.readOne(key);
      if (item) out[key] = item;
    }
    return out;
  }

  async write(changes: StoreItems): Promise<void> {
    await fs.mkdir(this.folder, { recursive: true });
    for (const [key, change] of Object.entries(changes)) {
      await this.withLock(key, async () => {
        const current = await this.readOne(key);
        if (change.eTag && change.eTag !== '*' && current?.eTag !== change.eTag) {
          throw Object.assign(new Error(`eTag conflict on ${key}: it was changed by someone else.`), { code: 'ETAG_CONFLICT', statusCode: 412 });
        }
        const item: StoreItem = { ...change, eTag: randomUUID() };
        const path = this.pathOf(key);
        const temp = `${path}.${process.pid}.${randomUUID()}.tmp`;
        await fs.writeFile(temp, JSON.stringify(item), 'utf8');
        await fs.rename(temp, path);
      });
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await fs.rm(this.pathOf(key), { force: true });
  }

  private async readOne(key: string): Promise<StoreItem | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.pathOf(key), 'utf8')) as StoreItem;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  private pathOf(key: string): string {
    return join(this.folder, `${encodeURIComponent(key)}.json`);
  }

  private async withLock<T>(key: string, run: () => Promise<T>): Promise<T> {
    const lock = `${this.pathOf(key)}.lock`;
    const started = Date.now();
    for (;;) {
      try {
        const handle = await fs.open(lock, 'wx');
        await handle.close();
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        // A lock older than the timeout belongs to a process that died holding it.
        const stat = await fs.stat(lock).catch(() => null);
        if (stat && Date.now() - stat.mtimeMs > this.lockTimeoutMs) await fs.rm(lock, { force: true });
        if (Date.now() - started > this.lockTimeoutMs * 2) throw new Error(`Could not lock ${key} in ${this.folder}.`);
        await new Promise((r) => setTimeout(r, 5 + Math.random() * 20));
      }
    }
    try {
      return await run();
    } finally {
      await fs.rm(lock, { force: true });
    }
  }
}
