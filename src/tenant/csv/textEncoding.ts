/**
 * The Active users report as bytes in UTF-8, whatever Excel saved it as: "Unicode Text"
 * and "CSV UTF-16" are UTF-16 little endian with a byte order mark (FF FE), some tools
 * write big endian (FE FF). Those are decoded as they stream (a code unit split across
 * chunks included); anything else passes through untouched for the byte scanner.
 */
export async function* asUtf8(chunks: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  let decoder: TextDecoder | null = null;
  // The first two bytes decide; a first chunk of one byte waits for the next.
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
      if (bytes.length < 2) {
        head = bytes;
        continue;
      }
      head = null;
      if (bytes[0] === 0xff && bytes[1] === 0xfe) decoder = new TextDecoder('utf-16le');
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoder = new TextDecoder('utf-16be');
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
