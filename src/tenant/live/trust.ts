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
export function trustExtraCa(caFile: string | null): https.Agent | undefined {
  if (!caFile) return undefined;
  let pem: string;
  try {
    pem = readFileSync(caFile, 'utf8');
  } catch (e) {
    throw new ConfigError(`PASSLENS_CA_FILE ${caFile} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`);
  }
  if (!pem.includes('BEGIN CERTIFICATE')) throw new ConfigError(`PASSLENS_CA_FILE ${caFile} holds no PEM certificate.`);
  const ca = [...rootCertificates, pem];
  setGlobalDispatcher(new Agent({ connect: { ca } }));
  return new https.Agent({ ca, keepAlive: true, maxSockets: 64 });
}
