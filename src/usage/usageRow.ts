import type { BookedLicenseType } from '../licensing/snapshot';
import type { CsvRecordView } from './csvScanner';
import { KeyTable } from './keyTable';

/**
 * One key of a usage row (a UPN, an app or environment id, a license word): either a
 * text, or a field of a scanned CSV record with the fingerprint the scanner took while
 * reading it, so a known key is found without making a string. Sources fill it; only
 * the usage index interns it.
 */
export class RowKey {
  private view: CsvRecordView | null = null;
  private field = 0;
  private fingerprinted = false;
  private given = '';

  /** A key given as text (a Launch's field). */
  ofText(text: string): this {
    this.view = null;
    this.given = text;
    return this;
  }

  /** Field `field` of a scanned record; `fingerprinted`: the scanner was asked to hash it. */
  ofField(view: CsvRecordView, field: number, fingerprinted: boolean): this {
    this.view = view;
    this.field = field;
    this.fingerprinted = fingerprinted;
    return this;
  }

  /** The key's text, trimmed. */
  text(): string {
    const v = this.view;
    if (!v) return this.given.trim();
    return utf8.decode(v.bytes.subarray(v.start[this.field], v.end[this.field])).trim();
  }

  /** Its number in `table`, added if new. */
  internIn(table: KeyTable): number {
    const v = this.view;
    if (!v) return table.intern(this.given);
    const k = this.field;
    // A fingerprint exists only for the fields asked for: a name standing in for a blank id is read again.
    return table.internField(v.bytes, v.start[k], v.end[k], v.h1[k], v.h2[k], this.fingerprinted && v.clean[k] === 1);
  }

  /** Its number in `table`, or -1. */
  findIn(table: KeyTable): number {
    const v = this.view;
    if (v && this.fingerprinted && v.clean[this.field] === 1) return table.find(v.h1[this.field], v.h2[this.field]);
    return table.numberOf(this.text());
  }
}

const utf8 = new TextDecoder();

/**
 * One usage row as the index takes it: the keys it is counted under, and the texts
 * asked for only when a key is new.
 */
export interface UsageRow {
  readonly user: RowKey;
  readonly environment: RowKey;
  /** by app id, or by app name where the source has no id */
  readonly app: RowKey;
  environmentId(): string;
  environmentName(): string | undefined;
  appId(): string;
  appName(): string | undefined;
  readonly month: string | null;
  /** null: the source does not say what Microsoft charged (the audit log): the row books nothing. */
  readonly licenseType: BookedLicenseType | null;
  readonly reportedPremium: boolean | null;
  readonly line: number | undefined;
}

/**
 * What a value spelled in a row means, worked out once per distinct spelling: license
 * words, premium flags and dates repeat on every row of a report. Past `limit` spellings
 * (timestamps can all differ) new ones are read each time rather than kept.
 */
export class SpellingCache<T> {
  private readonly spellings = new KeyTable(16);
  private readonly values: T[] = [];

  constructor(
    private readonly understand: (spelling: string) => T,
    private readonly limit = Infinity,
  ) {}

  valueOf(key: RowKey): T {
    const n = this.values.length < this.limit ? key.internIn(this.spellings) : key.findIn(this.spellings);
    if (n < 0) return this.understand(key.text());
    if (n === this.values.length) this.values.push(this.understand(key.text()));
    return this.values[n];
  }
}
