import restify from 'restify';

/**
 * The HTTP front door: Bot Framework activities on POST /api/messages and a health
 * probe for App Service. It knows nothing of botbuilder: the composition root hands it
 * the function that processes a request.
 */
export type RequestHandler = (req: restify.Request, res: restify.Response) => Promise<void>;

export interface ServerOptions {
  onMessages: RequestHandler;
  logError: (message: string) => void;
}

export function createServer(options: ServerOptions): restify.Server {
  const server = restify.createServer({ name: 'PassLens' });
  server.use(restify.plugins.bodyParser({ mapParams: false, maxBodySize: 4 * 1024 * 1024 }));
  server.post('/api/messages', async (req, res) => {
    try {
      await options.onMessages(req, res);
    } catch (e) {
      options.logError(`POST /api/messages failed: ${(e as Error).name}`);
      if (!res.headersSent) res.send(500, { error: 'PassLens could not process this activity.' });
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
