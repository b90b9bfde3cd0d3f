import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenID provider on loopback: metadata and a JWKS with one RS256 key, counting
 * every fetch, so tests see how often PassLens asks. `blackHole` accepts connections and
 * never answers.
 */
export class FakeOpenIdProvider {
  readonly key = generateKeyPairSync('rsa', { modulusLength: 2048 });
  readonly kid = 'fake-key-1';
  fetches = { metadata: 0, keys: 0 };
  blackHole = false;
  private server: Server | null = null;
  private held: ServerResponse[] = [];
  url = '';

  constructor(private readonly extraKeyFields: Record<string, unknown> = {}) {}

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (this.blackHole) {
        this.held.push(res);
        return;
      }
      const path = req.url ?? '';
      if (path.endsWith('/keys')) {
        this.fetches.keys++;
        const jwk = { ...this.key.publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256', ...this.extraKeyFields };
        sendJson(res, { keys: [jwk] });
        return;
      }
      this.fetches.metadata++;
      sendJson(res, { issuer: this.url, jwks_uri: `${this.url}/keys`, id_token_signing_alg_values_supported: ['RS256'] });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get publicKey(): KeyObject {
    return this.key.publicKey;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** Not chained: restify, loaded in the same process, patches ServerResponse.writeHead to return nothing. */
function sendJson(res: ServerResponse, body: object): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** A JWT with whatever header and claims a test wants, unsigned (`alg: none`) or with a given signature. */
export function rawJwt(header: object, claims: object, signature = ''): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${enc(header)}.${enc(claims)}.${signature}`;
}

/** Everything written to stdout and stderr while `run` runs (console included). */
export async function captureOutput<T>(run: () => Promise<T>): Promise<{ result: T; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    const result = await run();
    return { result, output: chunks.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}
