import { readFileSync } from 'node:fs';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { Agent, setGlobalDispatcher } from 'undici';
import { ConfigError } from '../../config';

/**
 * An extra trusted certificate authority (PASSLENS_CA_FILE), for a TLS-inspecting
 * proxy, a private cloud endpoint or the local tenant simulator. MSAL signs in through
 * Node's fetch (undici) and the API clients use axios (node:https): both are told.
 */
const trusted = new Map<string, https.Agent>();

/** Once per file: the process's fetch dispatcher is global, and one agent serves every client. */
export function trustExtraCa(caFile: string | null): https.Agent | undefined {
  if (!caFile) return undefined;
  const known = trusted.get(caFile);
  if (known) return known;
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new ConfigError(`PASSLENS_CA_FILE ${caFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (!pem.includes('BEGIN CERTIFICATE')) throw new ConfigError(`PASSLENS_CA_FILE ${caFile} holds no PEM certificate.`);
  const ca = [...rootCertificates, pem];
  setGlobalDispatcher(new Agent({ connect: { ca } }));
  const agent = new https.Agent({ ca, keepAlive: true, maxSockets: 64 });
  trusted.set(caFile, agent);
  return agent;
}
