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
    const lines = this.buffer.split('\n');
    // The last piece has no line end yet: it waits for the next chunk, unless this is the end.
    let rest = final ? '' : (lines.pop() ?? '');
    const delim = this.delimiter;
    let line = this.line;
    for (let k = 0; k < lines.length; k++) {
      const text = lines[k];
      if (text.indexOf('"') < 0) {
        const clean = text.length && text.charCodeAt(text.length - 1) === 13 ? text.slice(0, -1) : text;
        if (clean.length) this.sink.record(clean.split(delim), line);
        line++;
        continue;
      }
      // A quoted field may hold line breaks: a record is complete when its quotes balance.
      let record = text;
      let span = 1;
      while (isOdd(countQuotes(record)) && k + span < lines.length && record.length <= this.maxRecordChars) {
        record += `\n${lines[k + span]}`;
        span++;
      }
      if (isOdd(countQuotes(record))) {
        if (!final && record.length <= this.maxRecordChars) {
          rest = [...lines.slice(k), rest].join('\n');
          break;
        }
        // An unclosed quote would otherwise swallow the rest of the file: give up on this line only.
        this.sink.bad(line, 'a quoted field is never closed');
        line++;
        continue;
      }
      const parsed = parseRecord(record, delim);
      if (typeof parsed === 'string') this.sink.bad(line, parsed);
      else this.sink.record(parsed, line);
      line += span;
      k += span - 1;
    }
    if (!final && rest.length > this.maxRecordChars && countQuotes(rest) === 0) {
      this.sink.bad(line, `line is longer than ${this.maxRecordChars} characters`);
      rest = '';
    }
    this.buffer = rest;
    this.line = line;
  }
}

function countQuotes(s: string): number {
  let n = 0;
  for (let k = s.indexOf('"'); k >= 0; k = s.indexOf('"', k + 1)) n++;
  return n;
}

function isOdd(n: number): boolean {
  return (n & 1) === 1;
}

/** Splits one complete record (quotes balanced) into fields, or says what is wrong with it. */
function parseRecord(record: string, delim: string): string[] | string {
  const text = record.endsWith('\r') ? record.slice(0, -1) : record;
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = text.indexOf('"', from);
        if (q < 0) return 'a quoted field is never closed';
        if (text[q + 1] === '"') {
          value += text.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += text.slice(from, q);
        i = q + 1;
        break;
      }
      fields.push(value);
      if (i >= text.length) return fields;
      if (text[i] !== delim) return `unexpected text after a closing quote in field ${fields.length}`;
      i++;
      continue;
    }
    const j = text.indexOf(delim, i);
    if (j < 0) {
      fields.push(text.slice(i));
      return fields;
    }
    fields.push(text.slice(i, j));
    i = j + 1;
  }
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
