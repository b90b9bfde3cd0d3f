import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { DeliveryError, type DigestSender } from '../digest/runner';
import type { ConversationRef } from '../digest/subscriptions';
import type { CardView } from '../cards/render';
import { toAttachment } from './passLensBot';

/**
 * Proactive sends with adapter.continueConversationAsync and the stored full reference
 * (its own serviceUrl, tenant and bot). Connector throttling and 5xx are retried with
 * backoff; the bot removed, blocked or disabled is a permanent failure, reported once.
 */
const PERMANENT_CODES = ['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin', 'ConversationNotFound', 'BotRemovedFromConversation'];

export interface ProactiveSenderOptions {
  retries?: number;
  backoffMs?: number;
}

export class ProactiveSender implements DigestSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly options: ProactiveSenderOptions = {},
  ) {}

  async send(reference: ConversationRef, card: CardView): Promise<void> {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
          await context.sendActivity({ attachments: [toAttachment(card)] });
        });
        return;
      } catch (e) {
        const { status, code, retryAfterMs } = describe(e);
        if (status === 404 || (status === 403 && (!code || PERMANENT_CODES.includes(code))) || (code && PERMANENT_CODES.includes(code))) {
          throw new DeliveryError(`Teams refused the post (${status ?? '?'} ${code ?? 'Forbidden'}): PassLens was removed from this conversation, blocked or disabled. Reinstall it here to resume the digest.`, true);
        }
        const transient = status === undefined || status === 429 || status >= 500;
        if (!transient || attempt >= retries) {
          throw new DeliveryError(`Teams did not accept the post after ${attempt + 1} attempt(s) (${status ?? 'network error'}${code ? ` ${code}` : ''}).`, false);
        }
        const backoff = (this.options.backoffMs ?? 1000) * 2 ** attempt * (1 + Math.random() * 0.2);
        await new Promise((r) => setTimeout(r, Math.max(backoff, retryAfterMs ?? 0)));
      }
    }
  }
}

/** Status, error code and Retry-After of a connector failure, whatever the error's shape. */
function describe(e: unknown): { status?: number; code?: string; retryAfterMs?: number } {
  const err = e as { statusCode?: number; status?: number; code?: string; message?: string; response?: { status?: number; headers?: { get?: (n: string) => string | undefined }; bodyAsText?: string } };
  const status = err.statusCode ?? err.status ?? err.response?.status;
  const text = `${err.response?.bodyAsText ?? ''} ${err.message ?? ''}`;
  const code = PERMANENT_CODES.find((c) => text.includes(c)) ?? /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  const retryAfter = err.response?.headers?.get?.('retry-after');
  const retryAfterMs = retryAfter ? (Number(retryAfter) * 1000 || Math.max(0, Date.parse(retryAfter) - Date.now())) : undefined;
  return { status: typeof status === 'number' ? status : undefined, code, retryAfterMs };
}
