import { CloudAdapter, type ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import type { Activity } from 'botbuilder';
import { validateAndFixActivity } from 'botbuilder/lib/activityValidator';
import type restify from 'restify';
import type { Logger } from '../logger';
import { scrubSecrets } from '../conversation/failures';

/**
 * POST /api/messages without CloudAdapter.process: process() answers 500 with the
 * exception's message for every failure that is not an AuthenticationError (a forged
 * signature, `alg: none`, an unreachable OpenID host) and console.errors the stack. Here
 * the request is authenticated first, with the adapter's own BotFrameworkAuthentication,
 * and every refusal is a 401 with a fixed body; the turn runs through the same
 * processActivity that process() calls.
 */
export const REFUSED_BODY = { error: 'Unauthorized: not a valid Bot Framework request.' };
export const MALFORMED_BODY = { error: 'Bad request: the body is not a Bot Framework activity.' };
export const FAILED_BODY = { error: 'PassLens could not process this activity.' };

export class PassLensAdapter extends CloudAdapter {
  constructor(private readonly authentication: ConfigurationBotFrameworkAuthentication) {
    super(authentication);
  }

  /** The POST /api/messages handler for this adapter. */
  requestHandler(logic: (context: TurnContext) => Promise<void>, logger: Logger): (req: restify.Request, res: restify.Response) => Promise<void> {
    return async (req, res) => {
      const body = req.body as Record<string, unknown> | undefined;
      if (!body || typeof body !== 'object' || Array.isArray(body) || typeof body.type !== 'string' || !body.type) {
        res.send(400, MALFORMED_BODY);
        return;
      }
      const activity = validateAndFixActivity(body as unknown as Activity);
      let authenticated;
      try {
        authenticated = await this.authentication.authenticateRequest(activity, req.headers.authorization ?? '');
      } catch (e) {
        logger.info('activity refused: authentication failed', { reason: oneLine(e) });
        res.send(401, REFUSED_BODY);
        return;
      }
      try {
        const invoke = await this.processActivity(authenticated, activity, logic);
        if (invoke?.body !== undefined) res.send(invoke.status ?? 200, invoke.body);
        else res.send(invoke?.status ?? 200);
      } catch (e) {
        logger.error('activity failed', { error: oneLine(e) });
        if (!res.headersSent) res.send(500, FAILED_BODY);
      }
    };
  }
}

/** An error as one short scrubbed line: name and first line of the message, never the stack. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return scrubSecrets(text.split('\n')[0]).slice(0, 300);
}

/**
 * botbuilder writes to console.error and console.warn itself (a key lookup failure dumps
 * the available keys; an expired token its stack). While PassLens runs, those calls go to
 * the scrubbing logger as one line each.
 */
const consoleLoggers = new Set<Logger>();
let original: { error: typeof console.error; warn: typeof console.warn } | null = null;

export function routeLibraryConsole(logger: Logger): () => void {
  consoleLoggers.add(logger);
  if (!original) {
    original = { error: console.error, warn: console.warn };
    const route = (...args: unknown[]) => {
      const detail = args.map((a) => (typeof a === 'string' || a instanceof Error ? oneLine(a) : typeof a)).join(' ').slice(0, 300);
      for (const l of consoleLoggers) l.error('botbuilder', { detail });
    };
    console.error = route;
    console.warn = route;
  }
  return () => {
    consoleLoggers.delete(logger);
    if (consoleLoggers.size === 0 && original) {
      console.error = original.error;
      console.warn = original.warn;
      original = null;
    }
  };
}
