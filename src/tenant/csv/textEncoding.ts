/**
 * The Active users report as bytes in UTF-8, whatever Excel saved it as: "Unicode Text"
 * and "CSV UTF-16" are UTF-16 little endian with a byte order mark (FF FE), some tools
 * write big endian (FE FF). Some tools write UTF-16 with no byte order mark at all: the
 * header row is ASCII, so every other byte of it is zero, which UTF-8 text never has
 * (utf16WithoutMark). Those are decoded as they stream (a code unit split across chunks
 * included); anything else passes through untouched for the byte scanner.
 */
export async function* asUtf8(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  let decoder: TextDecoder | null = null;
  // The first two bytes decide (the first eight when they hold a zero); a shorter first chunk waits for the next.
  let head: Uint8Array | null = new Uint8Array(0);
  for await (const chunk of chunks) {
    if (typeof chunk === 'string') {
      if (head?.length) yield head;
      head = null;
      yield chunk;
      continue;
    }
    let bytes: Uint8Array = chunk;
    if (head) {
      bytes = head.length ? Buffer.concat([head, chunk]) : chunk;
      // A zero in the first few bytes may be UTF-16 without a mark: wait for enough to tell.
      if (bytes.length < 2 || (bytes.length < SNIFF_MIN_UNITS * 2 && bytes.includes(0))) {
        head = bytes;
        continue;
      }
      head = null;
      if (bytes[0] === 0xff && bytes[1] === 0xfe) decoder = new TextDecoder('utf-16le');
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoder = new TextDecoder('utf-16be');
      else {
        const endian = utf16WithoutMark(bytes);
        if (endian) decoder = new TextDecoder(endian);
      }
    }
    if (!decoder) yield bytes;
    else {
      const text = decoder.decode(bytes, { stream: true });
      if (text) yield Buffer.from(text, 'utf8');
    }
  }
  if (head?.length) yield head;
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}

/** How many of the first bytes are looked at, and how few code units make a verdict. */
const SNIFF_BYTES = 512;
const SNIFF_MIN_UNITS = 4;

/**
 * UTF-16 without a byte order mark, told by its zeros: ASCII in UTF-16 LE is "H\0e\0", in BE
 * "\0H\0e". Nine in ten code units of the start with a zero on one side and almost none on
 * the other; UTF-8 text has no zero byte, so it is never mistaken.
 */
export function utf16WithoutMark(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | null {
  const units = Math.floor(Math.min(bytes.length, SNIFF_BYTES) / 2);
  if (units < SNIFF_MIN_UNITS) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < units; i++) {
    if (bytes[2 * i] === 0) evenZeros++;
    if (bytes[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros >= units * 0.9 && evenZeros <= units * 0.1) return 'utf-16le';
  if (evenZeros >= units * 0.9 && oddZeros <= units * 0.1) return 'utf-16be';
  return null;
}
