import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The Bot Framework connector's one route PassLens posts proactive messages to, with
 * scripted answers per conversation (403 with a Teams error code, 429, 503), so the real
 * CloudAdapter and ProactiveSender are tested against real HTTP.
 */
export interface ScriptedAnswer {
  status: number;
  code?: string;
  retryAfter?: string;
}

export class FakeConnector {
  url = '';
  /** Every send (POST) and update (PUT .../activities/{id}, the bot replacing a card it sent). */
  readonly posts: { conversationId: string; activity: Record<string, unknown>; status: number; method: string; activityId?: string }[] = [];
  /** Per conversation: answers used in order; when used up, 201. */
  readonly script = new Map<string, ScriptedAnswer[]>();
  /** GET .../members/{id}: the member's UPN, as Teams answers it (TeamsInfo.getMember). */
  readonly memberUpns = new Map<string, string>();
  readonly memberLookups: string[] = [];
  private server: http.Server | null = null;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
        if (member) {
          const id = decodeURIComponent(member[1]);
          this.memberLookups.push(id);
          const upn = this.memberUpns.get(id);
          res.writeHead(upn ? 200 : 404, { 'content-type': 'application/json' });
          res.end(JSON.stringify(upn ? { id, userPrincipalName: upn, name: upn } : { error: { code: 'MemberNotFoundInConversation' } }));
          return;
        }
        const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (!m) {
          res.writeHead(404);
          res.end();
          return;
        }
        const conversationId = decodeURIComponent(m[1]);
        const answer = this.script.get(conversationId)?.shift() ?? { status: 201 };
        const activity = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        this.posts.push({ conversationId, activity, status: answer.status, method: req.method ?? 'POST', activityId: m[2] ? decodeURIComponent(m[2]) : undefined });
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (answer.retryAfter) headers['retry-after'] = answer.retryAfter;
        res.writeHead(answer.status, headers);
        res.end(JSON.stringify(answer.status < 300 ? { id: req.method === 'PUT' && m[2] ? decodeURIComponent(m[2]) : `activity-${this.posts.length}` } : { error: { code: answer.code ?? 'Error', message: `scripted ${answer.status}` } }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/`;
    return this;
  }

  delivered(conversationId: string): number {
    return this.posts.filter((p) => p.conversationId === conversationId && p.status < 300).length;
  }

  attempts(conversationId: string): number {
    return this.posts.filter((p) => p.conversationId === conversationId).length;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
