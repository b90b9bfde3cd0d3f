import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticInventory, writeSyntheticCsv, FULL_SIZE } from './syntheticTenant';

/**
 * Peak RSS of the bot while it analyses an upload of the largest size it accepts in chat:
 * the file is served over HTTP, dropped into a personal chat as Teams does (a
 * file.download.info attachment), and goes through POST /api/messages, the download, the
 * CSV reader, the analysis and the reply card, in a process of its own whose peak RSS
 * (getrusage maxrss) is printed. Runs the shipped code in dist/ (npm run build first); part
 * of `npm run bench` (--only upload).
 * With --drops N the rows are split into N monthly files dropped one after another into the
 * same chat, each drop answered with the whole set so far (the upload window); with
 * --together as well, the N files are dropped in one message (the same set, read once).
 *
 * --pause S waits S seconds between drops, as a person reading the card would.
 *
 *   node --import tsx bench/uploadMemory.ts [--mib N] [--drops N [--together | --pause S]]   (default: the chat cap, one file)
 */
const BYTES_PER_ROW = 152; // the synthetic rows' mean length, measured by writeSyntheticCsv

export async function uploadMemoryBench(): Promise<boolean> {
  const dist = join(__dirname, '..', 'dist');
  const { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } = (await import(join(dist, 'tenant', 'uploadLimits.js'))) as typeof import('../src/tenant/uploadLimits');
  const i = process.argv.indexOf('--mib');
  const targetBytes = i > 0 ? Number(process.argv[i + 1]) * 1024 * 1024 : MAX_UPLOAD_BYTES;
  const d = process.argv.indexOf('--drops');
  const drops = d > 0 ? Number(process.argv[d + 1]) : 1;
  const dir = mkdtempSync(join(tmpdir(), 'passlens-upload-bench-'));
  const inventory = syntheticInventory(FULL_SIZE);
  const inventoryPath = join(dir, 'inventory.json');
  writeFileSync(inventoryPath, JSON.stringify(inventory));
  const rows = Math.min(MAX_UPLOAD_ROWS, Math.floor(targetBytes / BYTES_PER_ROW));
  const files: string[] = [];
  for (let n = 0; n < drops; n++) {
    const csvPath = join(dir, `upload-${n + 1}.csv`);
    let bytes = await writeSyntheticCsv(csvPath, inventory, Math.floor(rows / drops), 7 + n, `2026-${String(11 - drops + 1 + n).padStart(2, '0')}`);
    // Trimmed to the byte target when rows ran longer than the mean; a cut last line is one bad row.
    if (bytes > targetBytes / drops) bytes = Math.floor(targetBytes / drops);
    files.push(`${bytes}:${csvPath}`);
  }
  const together = process.argv.includes('--together');
  const p = process.argv.indexOf('--pause');
  const pause = p > 0 ? Number(process.argv[p + 1]) : 0;
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', together ? 'together' : `apart:${pause}`, inventoryPath, ...files], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`upload bench failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
  const limitMb = 600;
  const ok = Number(result.peakMb) < limitMb;
  console.log(
    `Upload in chat: ${(Number(result.bytes) / 1024 / 1024).toFixed(0)} MiB, ${rows.toLocaleString('en')} rows${drops > 1 ? ` in ${drops} files dropped ${together ? 'in one message' : `one after another${pause ? `, ${pause} s apart` : ''}`}` : ''} (caps ${(MAX_UPLOAD_BYTES / 1024 / 1024).toFixed(0)} MiB, ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows): ` +
      `peak RSS ${result.peakMb} MB (idle bot with the inventory ${result.idleMb} MB), ${result.seconds} s to the reply "${result.reply}"; target < ${limitMb} MB ${ok ? 'OK' : 'MISSED'}`,
  );
  if (drops > 1 && !together) console.log(`  per drop (the set so far read again): ${result.perDrop}`);
  console.log(`  file sizes ${files.map((f) => statSync(f.slice(f.indexOf(':') + 1)).size).join(', ')} bytes served as ${result.bytes}`);
  rmSync(dir, { recursive: true, force: true });
  return ok;
}

async function child(together: boolean, pauseSeconds: number, inventoryPath: string, files: { path: string; bytes: number }[]): Promise<void> {
  const dist = join(__dirname, '..', 'dist');
  const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = await import('botbuilder');
  const { createServer, listen } = (await import(join(dist, 'server.js'))) as typeof import('../src/server');
  const { PassLensBot } = (await import(join(dist, 'bot', 'passLensBot.js'))) as typeof import('../src/bot/passLensBot');
  const { TenantService } = (await import(join(dist, 'tenant', 'tenantService.js'))) as typeof import('../src/tenant/tenantService');
  const { LIST_PRICES } = (await import(join(dist, 'licensing', 'prices.js'))) as typeof import('../src/licensing/prices');
  const { readFileSync } = await import('node:fs');
  const inventory = JSON.parse(readFileSync(inventoryPath, 'utf8'));
  const tenant = new TenantService(async () => ({ ...inventory, launches: [] }), { ttlMs: 3_600_000, prices: LIST_PRICES });
  await tenant.get();

  const host = http.createServer((req, res) => {
    const file = files[Number(/(\d+)/.exec(req.url ?? '')?.[1] ?? 0)];
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(file.bytes) });
    createReadStream(file.path, { start: 0, end: file.bytes - 1 }).pipe(res);
  });
  await new Promise<void>((r) => host.listen(0, '127.0.0.1', r));
  let last = '';
  const reply = (title: string) => void (last = title);
  const connector = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const activity = JSON.parse(Buffer.concat(chunks).toString() || '{}') as { attachments?: { content?: { body?: { text?: string }[] } }[] };
      const title = activity.attachments?.[0]?.content?.body?.[0]?.text;
      if (title) reply(title);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"id":"x"}');
    });
  });
  await new Promise<void>((r) => connector.listen(0, '127.0.0.1', r));
  const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
  const { FileTransfers } = (await import(join(dist, 'tenant', 'fileTransfer.js'))) as typeof import('../src/tenant/fileTransfer');
  // The files come from loopback, as from the local drop helper (src/tenant/fileHosts.ts, LOCAL_DROP_PATH).
  const transfers = new FileTransfers({ domains: [], localDrop: true });
  const bot = new PassLensBot({ tenant, access: { admins: [], openLocally: true, tenantId: null }, logger: { info: () => {}, error: () => {} }, transfers });
  const server = createServer({ onMessages: (req, res) => adapter.process(req, res, (context) => bot.run(context)), logError: () => {} });
  const port = await listen(server, 0, '127.0.0.1');
  global.gc?.();
  const idle = process.memoryUsage.rss();
  const start = performance.now();
  const perDrop: string[] = [];
  const attachment = (n: number) => ({ contentType: 'application/vnd.microsoft.teams.file.download.info', name: `upload-${n + 1}.csv`, content: { downloadUrl: `http://127.0.0.1:${(host.address() as AddressInfo).port}/passlens-drop/upload-${n}.csv`, fileType: 'csv' } });
  const messages = together ? [files.map((_, n) => attachment(n))] : files.map((_, n) => [attachment(n)]);
  for (let n = 0; n < messages.length; n++) {
    if (n > 0 && pauseSeconds) await new Promise((r) => setTimeout(r, pauseSeconds * 1000));
    const dropped = performance.now();
    // The response comes once the turn is done, its cards posted.
    await fetch(`http://127.0.0.1:${port}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        id: `upload-${n + 1}`,
        channelId: 'msteams',
        serviceUrl: `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`,
        from: { id: 'admin', name: 'Admin' },
        recipient: { id: 'bot', name: 'PassLens' },
        conversation: { id: 'conv-upload', conversationType: 'personal' },
        attachments: messages[n],
      }),
    });
    perDrop.push(`${((performance.now() - dropped) / 1000).toFixed(1)} s, peak ${Math.round((process.resourceUsage().maxRSS * 1024) / 1e6)} MB so far`);
  }
  const seconds = (performance.now() - start) / 1000 - pauseSeconds * (messages.length - 1);
  const peak = process.resourceUsage().maxRSS * 1024;
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  console.log(JSON.stringify({ bytes, peakMb: Math.round(peak / 1e6), idleMb: Math.round(idle / 1e6), seconds: seconds.toFixed(1), reply: last.slice(0, 80), perDrop: perDrop.join('; ') }));
  process.exit(0);
}

if (process.argv[2] === '--child') {
  void child(
    process.argv[3] === 'together',
    Number(process.argv[3].split(':')[1] ?? 0),
    process.argv[4],
    process.argv.slice(5).map((f) => ({ bytes: Number(f.slice(0, f.indexOf(':'))), path: f.slice(f.indexOf(':') + 1) })),
  );
}
else if (require.main === module) void uploadMemoryBench().then((ok) => (process.exitCode = ok ? 0 : 1));
