import restify from 'restify';
import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The HTTP front door: Bot Framework activities on POST /api/messages and a health
 * probe for App Service. It knows nothing of botbuilder: the composition root hands it
 * the function that processes a request.
 */
export type RequestHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerOptions {
  onMessages: RequestHandler;
  logError: (message: string) => void;
  /** POST /api/digest, for an external timer; returns what the run did. */
  onDigest?: (force: boolean) => Promise<object>;
  digestSecret?: string | null;
  /** The alternative to the secret: an Entra ID access token for PassLens. */
  digestToken?: (token: string) => Promise<boolean>;
}

/** Constant-time comparison of a bearer secret, on hashes so that lengths leak nothing either. */
export function bearerMatches(header: string | undefined, secret: string | null | undefined): boolean {
  if (!secret || !header?.startsWith('Bearer ')) return false;
  const given = createHash('sha256').update(header.slice(7)).digest();
  const expected = createHash('sha256').update(secret).digest();
  return timingSafeEqual(given, expected);
}

export function createServer(options: ServerOptions): restify.Server {
  const server = restify.createServer({ name: 'PassLens' });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 4 * 1024 * 1024 }));
  // restify's own refusals (unparseable JSON, a body over the limit, no route) say what the
  // parser threw; callers get the status and a fixed line.
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, err: Error & { toJSON?: () => object }, callback: () => void) => {
    err.toJSON = () => ({ error: 'Bad request.' });
    err.toString = () => 'Bad request.';
    return callback();
  });
  server.post('/api/messages', async (req, res) => {
    try {
      await options.onMessages(req, res);
    } catch (e) {
      options.logError(`POST /api/messages failed: ${(e as Error).name}`);
      if (!res.headersSent) res.send(500, { error: 'PassLens could not process this activity.' });
    }
  });
  server.post('/api/digest', async (req, res) => {
    const header = req.headers.authorization;
    const allowed =
      bearerMatches(header, options.digestSecret) ||
      (Boolean(options.digestToken) && Boolean(header?.startsWith('Bearer ')) && (await options.digestToken!(header!.slice(7)).catch(() => false)));
    if (!options.onDigest || !allowed) {
      res.send(401, { error: 'Send Authorization: Bearer <PASSLENS_DIGEST_SECRET>, or an Entra ID token for PASSLENS_DIGEST_AUDIENCE.' });
      return;
    }
    try {
      const force = req.query?.force === 'true' || (req.body as { force?: boolean } | undefined)?.force === true;
      res.send(200, await options.onDigest(force));
    } catch (e) {
      options.logError(`POST /api/digest failed: ${(e as Error).name}: ${(e as Error).message}`);
      res.send(503, { error: 'The digest run failed; it is retried at the next tick. See the logs.' });
    }
  });
  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });
  return server;
}

export function listen(server: restify.Server, port: number, host?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as { port: number }).port));
  });
}
