/**
 * `npm run drop -- FILE...`: drops report files into the running Agents Playground's
 * personal chat as Teams drops a file into a bot's personal chat, so a newcomer can try the
 * CSV path locally (the Playground has no upload). The files are served from a loopback-only
 * server under LOCAL_DROP_PATH until PassLens has downloaded them.
 *
 * The activity is the one Teams sends: a message whose attachments are of contentType
 * `application/vnd.microsoft.teams.file.download.info` with `contentUrl`, `name` and
 * `content: { downloadUrl, uniqueId, fileType }`, the file fetched from downloadUrl with a
 * plain GET ("Receive files in personal chat", "Message activity with file attachment example":
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bots-filesv4). Teams sends
 * files to bots only in the personal chat (same page), so that is where this drops them.
 *
 * It goes in through the Playground's own routes (@microsoft/m365agentsplayground 0.2.28,
 * the ones its "Mock an Activity > Custom activity" editor calls): GET /_internal/v1/config
 * (the personal chat's id), GET /_internal/v1/customActivities/template?conversationId=ID
 * (an activity from the Playground's user in that chat, with its connector), and
 * POST /_internal/v1/customActivities (sent to the bot as the user's).
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, extname, resolve } from 'node:path';
// The one path PassLens fetches from on loopback, in local mode only (its download allow-list).
import { LOCAL_DROP_PATH } from '../src/tenant/fileHosts';

const FILE_DOWNLOAD_INFO = 'application/vnd.microsoft.teams.file.download.info';
/** How long PassLens may take to fetch the files before the helper gives up (a large report over loopback takes seconds). */
const FETCH_DEADLINE_MS = 120_000;
/** The Playground's config route waits up to 15 s for the bot to answer (its wait-on timeout). */
const PLAYGROUND_TIMEOUT_MS = 20_000;

export class DropError extends Error {}

interface DropFile {
  path: string;
  name: string;
  size: number;
}

export interface DropOptions {
  playgroundUrl: string;
  files: string[];
  fetchDeadlineMs?: number;
  log?: (line: string) => void;
}

/** Drops the files into the Playground's personal chat; resolves once PassLens has downloaded every one. */
export async function dropIntoPlayground(options: DropOptions): Promise<void> {
  const files = options.files.map(readable);
  const log = options.log ?? (() => {});
  const chat = await personalChatOf(options.playgroundUrl);
  const served = await serveOnLoopback(files);
  try {
    const template = await playground<Record<string, unknown>>(options.playgroundUrl, `/_internal/v1/customActivities/template?conversationId=${encodeURIComponent(chat)}`);
    const attachments = files.map((file, i) => {
      const url = `${served.base}${LOCAL_DROP_PATH}${i}/${encodeURIComponent(file.name)}`;
      return { contentType: FILE_DOWNLOAD_INFO, contentUrl: url, name: file.name, content: { downloadUrl: url, uniqueId: randomUUID(), fileType: extname(file.name).slice(1).toLowerCase() } };
    });
    await playground(options.playgroundUrl, '/_internal/v1/customActivities', { ...template, type: 'message', id: randomUUID(), timestamp: new Date().toISOString(), text: '', attachments });
    log(`Dropped ${files.map((f) => f.name).join(', ')} into the Playground's personal chat; waiting for PassLens to fetch ${files.length > 1 ? 'them' : 'it'}...`);
    await served.allFetched(options.fetchDeadlineMs ?? FETCH_DEADLINE_MS);
    log('PassLens has the files: its answer is in the personal chat.');
  } finally {
    await served.close();
  }
}

function readable(path: string): DropFile {
  const full = resolve(path);
  let size: number;
  try {
    const stat = statSync(full);
    if (!stat.isFile()) throw new DropError(`${path} is not a file.`);
    size = stat.size;
  } catch (e) {
    if (e instanceof DropError) throw e;
    throw new DropError(`${path} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}. Give the path of a report, e.g. docs/samples/active-oct.csv.`);
  }
  return { path: full, name: basename(full), size };
}

async function personalChatOf(playgroundUrl: string): Promise<string> {
  const config = await playground<{ config?: { personalChat?: { id?: string } } }>(playgroundUrl, '/_internal/v1/config');
  const id = config.config?.personalChat?.id;
  if (!id) throw new DropError(`The Agents Playground at ${playgroundUrl} lists no personal chat.`);
  return id;
}

/** One call to the Playground's internal routes: GET without a body, POST with one. */
async function playground<T>(base: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(new URL(path, base), {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(PLAYGROUND_TIMEOUT_MS),
    });
  } catch (e) {
    throw new DropError(`No Agents Playground answers at ${base} (${(e as Error).cause ? ((e as Error).cause as Error).message : (e as Error).message}): start PassLens with "npm start", or give its address with --playground URL.`);
  }
  if (!res.ok) throw new DropError(`The Agents Playground at ${base} answered ${res.status} to ${path.split('?')[0]}.`);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Serves each file once at LOCAL_DROP_PATH/INDEX/NAME on 127.0.0.1, and tells when all were sent in full. */
async function serveOnLoopback(files: DropFile[]): Promise<{ base: string; allFetched(deadlineMs: number): Promise<void>; close(): Promise<void> }> {
  const fetched = new Set<number>();
  let onFetched = (): void => {};
  const server = http.createServer((req, res) => {
    const match = new RegExp(`^${LOCAL_DROP_PATH}(\\d+)/`).exec(req.url ?? '');
    const index = match ? Number(match[1]) : -1;
    const file = files[index];
    if (req.method !== 'GET' || !file || req.url !== `${LOCAL_DROP_PATH}${index}/${encodeURIComponent(file.name)}`) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(file.size) });
    createReadStream(file.path)
      .on('error', () => res.destroy())
      .pipe(res)
      .on('finish', () => {
        fetched.add(index);
        onFetched();
      });
  });
  await new Promise<void>((ok, fail) => server.once('error', fail).listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    allFetched: (deadlineMs) =>
      new Promise<void>((ok, fail) => {
        const timer = setTimeout(() => {
          const missing = files.filter((_, i) => !fetched.has(i)).map((f) => f.name);
          fail(new DropError(`PassLens did not fetch ${missing.join(', ')} within ${Math.round(deadlineMs / 1000)} s: is it running ("npm start"), and did it answer in the chat?`));
        }, deadlineMs);
        onFetched = () => {
          if (fetched.size < files.length) return;
          clearTimeout(timer);
          ok();
        };
        onFetched();
      }),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

/** The command line: `drop [--playground URL] FILE...`. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv): { playgroundUrl: string; files: string[] } {
  let playgroundUrl = `http://localhost:${env.PASSLENS_PLAYGROUND_PORT || '56150'}`;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--playground') {
      const url = argv[++i];
      if (!url) throw new DropError('--playground needs the Playground\'s address, e.g. --playground http://localhost:56150');
      playgroundUrl = url;
    } else if (argv[i].startsWith('--')) throw new DropError(`Unknown option ${argv[i]}. Usage: npm run drop -- [--playground URL] FILE...`);
    else files.push(argv[i]);
  }
  if (!files.length) throw new DropError('Name the report(s) to drop. Usage: npm run drop -- docs/samples/active-oct.csv');
  return { playgroundUrl, files };
}

if (require.main === module) {
  (async () => {
    try {
      await dropIntoPlayground({ ...parseArgs(process.argv.slice(2), process.env), log: (line) => process.stdout.write(`${line}\n`) });
    } catch (e) {
      if (!(e instanceof DropError)) throw e;
      process.stderr.write(`drop: ${e.message}\n`);
      process.exitCode = 2;
    }
  })();
}
