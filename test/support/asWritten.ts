/**
 * A report as everything outside the engine reads it, findings with their words
 * written: a finding writes its words when first read, so comparing two reports
 * object by object would compare their facts only.
 */
export function asWritten<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
