/** A copy twice as long, the new half zero: how the usage index's typed arrays grow. */
export function doubled<T extends Int32Array | Uint16Array | Uint8Array>(array: T): T {
  const out = new (array.constructor as new (n: number) => T)(array.length * 2);
  out.set(array);
  return out;
}
