import { scrubSecrets } from './conversation/failures';

/**
 * One JSON line per event on stdout. Every string in it, however deep in the fields, is
 * scrubbed of credentials first (scrubSecrets: bearer tokens, JWTs, secret=/password=
 * values), and an Error is written as "Name: message" (JSON.stringify writes `{}` for one).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Deeper than any field PassLens logs; what lies below is written as its type. */
const MAX_DEPTH = 6;

/** A field as it may be logged: strings scrubbed, errors as their name and message, objects and arrays walked. */
export function loggable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (value instanceof Error) {
    const code = (value as NodeJS.ErrnoException).code;
    return scrubSecrets(`${value.name}: ${value.message}${code ? ` (${code})` : ''}`);
  }
  if (!value || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return Array.isArray(value) ? '[array]' : '[object]';
  if (Array.isArray(value)) return value.map((v) => loggable(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, loggable(v, depth + 1)]));
}

export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: string, message: string, fields: Record<string, unknown> = {}) => {
    write(`${JSON.stringify({ time: new Date().toISOString(), level, message: scrubSecrets(message), ...(loggable(fields) as object) })}\n`);
  };
  return { info: (m, f) => emit('info', m, f), error: (m, f) => emit('error', m, f) };
}
