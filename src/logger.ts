import { scrubSecrets } from './conversation/failures';

/** One JSON line per event on stdout; every string field is scrubbed of credentials first. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    const clean = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, typeof v === 'string' ? scrubSecrets(v) : v]));
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message: scrubSecrets(message), ...clean })}\n`);
  };
  return { info: (m, f) => emit('info', m, f), error: (m, f) => emit('error', m, f) };
}
