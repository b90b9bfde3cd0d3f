/**
 * A streaming RFC 4180 record splitter: quoted fields, doubled quotes, CR/LF, fields
 * spanning lines, comma or semicolon.
 *
 * Hand-written on purpose: measured on a 1,000,000-row Active users file, csv-parse took
 * 19x and papaparse 3.7x the time of merely reading the bytes and splitting lines, and
 * the product's target is 4x for the whole analysis. Unquoted lines, the common case in
 * PPAC downloads, take a String.split fast path.
 */

export interface CsvRecordSink {
  record(fields: string[], line: number): void;
  bad(line: number, reason: string): void;
}

export class CsvRecordSplitter {
  private buffer = '';
  /** physical line number of buffer[0] */
  private line = 1;

  constructor(
    private readonly delimiter: string,
    private readonly sink: CsvRecordSink,
    private readonly maxRecordChars = 1 << 16,
  ) {}

  push(chunk: string): void {
    this.buffer = this.buffer.length ? this.buffer + chunk : chunk;
    this.drain(false);
  }

  end(): void {
    this.drain(true);
    this.buffer = '';
  }

  private drain(final: boolean): void {
    const buf = this.buffer;
    const delim = this.delimiter;
    let pos = 0;
    let line = this.line;
    while (pos < buf.length) {
      let nl = buf.indexOf('\n', pos);
      if (nl < 0) {
        if (!final) {
          if (buf.length - pos > this.maxRecordChars) {
            this.sink.bad(line, `line is longer than ${this.maxRecordChars} characters`);
            pos = buf.length;
          }
          break;
        }
        nl = buf.length;
      }
      const quote = buf.indexOf('"', pos);
      if (quote < 0 || quote > nl) {
        const end = nl > pos && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
        if (end > pos) this.sink.record(buf.slice(pos, end).split(delim), line);
        pos = nl + 1;
        line++;
        continue;
      }
      const parsed = parseQuotedRecord(buf, pos, delim, final);
      if (parsed === 'incomplete') {
        if (buf.length - pos > this.maxRecordChars) {
          // An unclosed quote would otherwise swallow the rest of the file: give up on this line only.
          this.sink.bad(line, 'a quoted field is never closed');
          pos = nl + 1;
          line++;
          continue;
        }
        break;
      }
      if (parsed.error) this.sink.bad(line, parsed.error);
      else this.sink.record(parsed.fields, line);
      line += parsed.newlines + 1;
      pos = parsed.next;
    }
    this.buffer = pos >= buf.length ? '' : buf.slice(pos);
    this.line = line;
  }
}

interface ParsedRecord {
  fields: string[];
  /** index just past the record's line end */
  next: number;
  /** line breaks inside quoted fields */
  newlines: number;
  error?: string;
}

function parseQuotedRecord(buf: string, start: number, delim: string, final: boolean): ParsedRecord | 'incomplete' {
  const fields: string[] = [];
  let i = start;
  let newlines = 0;
  for (;;) {
    if (buf[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = buf.indexOf('"', from);
        if (q < 0) {
          if (!final) return 'incomplete';
          return skipLine(buf, start, 'a quoted field is never closed');
        }
        if (q + 1 >= buf.length && !final) return 'incomplete';
        if (buf[q + 1] === '"') {
          value += buf.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += buf.slice(from, q);
        i = q + 1;
        break;
      }
      newlines += countNewlines(value);
      fields.push(value);
      const c = buf[i];
      if (c === delim) {
        i++;
        continue;
      }
      if (i >= buf.length) return { fields, next: i, newlines };
      if (c === '\n') return { fields, next: i + 1, newlines };
      if (c === '\r' && buf[i + 1] === '\n') return { fields, next: i + 2, newlines };
      if (c === '\r' && i + 1 >= buf.length && !final) return 'incomplete';
      return skipLine(buf, start, `unexpected text after a closing quote in field ${fields.length}`, newlines);
    }
    let j = i;
    while (j < buf.length && buf[j] !== delim && buf[j] !== '\n') j++;
    if (j >= buf.length && !final) return 'incomplete';
    const raw = buf.slice(i, j);
    const atEnd = j >= buf.length || buf[j] === '\n';
    fields.push(atEnd && raw.endsWith('\r') ? raw.slice(0, -1) : raw);
    if (atEnd) return { fields, next: j + 1, newlines };
    i = j + 1;
  }
}

function skipLine(buf: string, start: number, error: string, newlines = 0): ParsedRecord {
  let nl = buf.indexOf('\n', start);
  for (let k = 0; k < newlines && nl >= 0; k++) nl = buf.indexOf('\n', nl + 1);
  return { fields: [], next: nl < 0 ? buf.length : nl + 1, newlines, error };
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** Picks the delimiter used most in the header line, outside quotes. */
export function sniffDelimiter(headerLine: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  return Object.entries(counts).sort((a, b) => b[1] - a[1])[0][0];
}
