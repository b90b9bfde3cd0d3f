import type { CloudAdapter, ConversationReference } from 'botbuilder';
import { DeliveryError, type DigestSender } from '../digest/runner';
import type { ConversationRef } from '../digest/subscriptions';
import type { CardView } from '../cards/render';
import { toAttachment } from './passLensBot';

/**
 * Proactive sends with adapter.continueConversationAsync and the stored full reference
 * (its own serviceUrl, tenant and bot). The connector client already retries 429 and
 * 5xx with backoff (three retries, honouring Retry-After), so a failure here is final
 * for this attempt; the runner tries the period again at later ticks, a few times. The
 * bot removed, blocked or disabled is permanent and reported once.
 */
const PERMANENT_CODES = ['BotNotInConversationRoster', 'ConversationBlockedByUser', 'BotDisabledByAdmin', 'ConversationNotFound', 'BotRemovedFromConversation'];

export class ProactiveSender implements DigestSender {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
  ) {}

  async send(reference: ConversationRef, card: CardView): Promise<void> {
    try {
      await this.adapter.continueConversationAsync(this.appId, reference as unknown as Partial<ConversationReference>, async (context) => {
        await context.sendActivity({ attachments: [toAttachment(card)] });
      });
    } catch (e) {
      const { status, code } = describe(e);
      if (status === 404 || (status === 403 && (!code || PERMANENT_CODES.includes(code))) || (code && PERMANENT_CODES.includes(code))) {
        throw new DeliveryError(`Teams refused the post (${status ?? '?'} ${code ?? 'Forbidden'}): PassLens was removed from this conversation, blocked or disabled. Reinstall it here to resume the digest.`, true);
      }
      throw new DeliveryError(`Teams did not accept the post after the connector's retries (${status ?? 'network error'}${code ? ` ${code}` : ''}).`, false);
    }
  }
}

/** Status and error code of a connector failure, whatever the error's shape. */
function describe(e: unknown): { status?: number; code?: string } {
  const err = e as { statusCode?: number; status?: number; message?: string; response?: { status?: number; bodyAsText?: string } };
  const status = err.statusCode ?? err.status ?? err.response?.status;
  const text = `${err.response?.bodyAsText ?? ''} ${err.message ?? ''}`;
  const code = PERMANENT_CODES.find((c) => text.includes(c)) ?? /"code"\s*:\s*"([^"]+)"/.exec(text)?.[1];
  return { status: typeof status === 'number' ? status : undefined, code };
}
