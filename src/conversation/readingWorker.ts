import { parentPort } from 'node:worker_threads';
import { QuestionReader } from './understanding';
import type { TenantNames } from './tenantNames';
import type { FromReader, ToReader } from './readingThread';

/**
 * The reading thread (readingThread.ts): trains the question reader, then reads each
 * sentence it is sent with the names it was sent. Messages that come while it trains
 * wait, in order.
 */
const port = parentPort!;
const waiting: ToReader[] = [];
let handle: ((m: ToReader) => void) | null = null;
port.on('message', (m: ToReader) => (handle ? handle(m) : waiting.push(m)));

void QuestionReader.train().then((reader) => {
  // A tenant's names, or why they could not be built: each read with them then fails with it, and the thread goes on.
  const names = new Map<number, TenantNames | Error>();
  const answer = (m: FromReader) => port.postMessage(m);
  handle = (m) => {
    if (m.type === 'names') {
      if (m.forget !== undefined) names.delete(m.forget);
      try {
        names.set(m.key, reader.namesFrom(m.things));
      } catch (e) {
        names.set(m.key, e instanceof Error ? e : new Error(String(e)));
      }
      return;
    }
    try {
      if (m.type === 'mayName') return answer({ type: 'answer', id: m.id, mayName: reader.mayName(m.said) });
      const tenantNames = m.names === null ? undefined : names.get(m.names);
      if (m.names !== null && !tenantNames) throw new Error(`no names were sent under ${m.names}`);
      if (tenantNames instanceof Error) throw tenantNames;
      answer({ type: 'answer', id: m.id, question: reader.read(m.said, { ...m.options, names: tenantNames }) });
    } catch (e) {
      answer({ type: 'answer', id: m.id, error: e instanceof Error ? e.message : String(e) });
    }
  };
  answer({ type: 'ready', trainingMs: reader.trainingMs });
  for (const m of waiting.splice(0)) handle(m);
});
