/**
 * The shape of botbuilder's Storage interface, restated here so that the digest and the
 * file store need no botbuilder import: botbuilder's own stores (BlobsStorage) satisfy it
 * as they are. An item's eTag makes writes conditional: a write whose eTag no longer
 * matches fails, which is how two instances agree on who sends a digest.
 */
export interface StoreItem {
  eTag?: string;
  [key: string]: unknown;
}

export interface StoreItems {
  [key: string]: StoreItem;
}

export interface StateStore {
  read(keys: string[]): Promise<StoreItems>;
  write(changes: StoreItems): Promise<void>;
  delete(keys: string[]): Promise<void>;
}

/** Did a write fail because someone else changed the item first? (412 from blobs, our own error from files.) */
export function isETagConflict(error: unknown): boolean {
  const e = error as { statusCode?: number; code?: string; message?: string } | null;
  return Boolean(e && (e.statusCode === 412 || e.code === 'ConditionNotMet' || e.code === 'ETAG_CONFLICT' || /ConditionNotMet|precondition|eTag conflict/i.test(e.message ?? '')));
}
