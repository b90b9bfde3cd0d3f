import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, statSync, writeFileSync } from 'node:fs';
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
 * (getrusage maxrss) is printed. Runs the shipped code in dist/ (npm run build first).
 *
 *   node --import tsx bench/uploadMemory.ts [--mib N]   (default: the chat cap)
 */
const BYTES_PER_ROW = 152; // the synthetic rows' mean length, measured by writeSyntheticCsv

async function parent(): Promise<void> {
  const dist = join(__dirname, '..', 'dist');
  const { MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS } = (await import(join(dist, 'tenant', 'uploadLimits.js'))) as typeof import('../src/tenant/uploadLimits');
  const i = process.argv.indexOf('--mib');
  const targetBytes = i > 0 ? Number(process.argv[i + 1]) * 1024 * 1024 : MAX_UPLOAD_BYTES;
  const dir = mkdtempSync(join(tmpdir(), 'passlens-upload-bench-'));
  const inventory = syntheticInventory(FULL_SIZE);
  const inventoryPath = join(dir, 'inventory.json');
  writeFileSync(inventoryPath, JSON.stringify(inventory));
  const rows = Math.min(MAX_UPLOAD_ROWS, Math.floor(targetBytes / BYTES_PER_ROW));
  const csvPath = join(dir, 'upload.csv');
  let bytes = await writeSyntheticCsv(csvPath, inventory, rows);
  // Trimmed to the byte target when rows ran longer than the mean; a cut last line is one bad row.
  if (bytes > targetBytes) bytes = targetBytes;
  const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--child', csvPath, inventoryPath, String(bytes)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (child.status !== 0) throw new Error(`upload bench failed: ${child.stderr}`);
  const result = JSON.parse(child.stdout.trim().split('\n').pop()!) as Record<string, number | string>;
  const limitMb = 600;
  console.log(
    `Upload in chat: ${(Number(result.bytes) / 1024 / 1024).toFixed(0)} MiB, ${rows.toLocaleString('en')} rows (caps ${(MAX_UPLOAD_BYTES / 1024 / 1024).toFixed(0)} MiB, ${MAX_UPLOAD_ROWS.toLocaleString('en')} rows): ` +
      `peak RSS ${result.peakMb} MB (idle bot with the inventory ${result.idleMb} MB), ${result.seconds} s to the reply "${result.reply}"; target < ${limitMb} MB ${Number(result.peakMb) < limitMb ? 'OK' : 'MISSED'}`,
  );
  console.log(`  file size ${statSync(csvPath).size} bytes served as ${result.bytes}`);
}

async function child(csvPath: string, inventoryPath: string, bytes: number): Promise<void> {
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

  const files = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(bytes) });
    createReadStream(csvPath, { start: 0, end: bytes - 1 }).pipe(res);
  });
  await new Promise<void>((r) => files.listen(0, '127.0.0.1', r));
  let reply: (title: string) => void = () => {};
  const replied = new Promise<string>((r) => (reply = r));
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
  const bot = new PassLensBot({ tenant, access: { admins: [], openLocally: true, tenantId: null }, logger: { info: () => {}, error: () => {} } });
  const server = createServer({ onMessages: (req, res) => adapter.process(req, res, (context) => bot.run(context)), logError: () => {} });
  const port = await listen(server, 0, '127.0.0.1');
  global.gc?.();
  const idle = process.memoryUsage.rss();
  const start = performance.now();
  await fetch(`http://127.0.0.1:${port}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'message',
      id: 'upload-1',
      channelId: 'msteams',
      serviceUrl: `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`,
      from: { id: 'admin', name: 'Admin' },
      recipient: { id: 'bot', name: 'PassLens' },
      conversation: { id: 'conv-upload', conversationType: 'personal' },
      attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name: 'upload.csv', content: { downloadUrl: `http://127.0.0.1:${(files.address() as AddressInfo).port}/upload.csv`, fileType: 'csv' } }],
    }),
  });
  const title = await replied;
  const seconds = (performance.now() - start) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024;
  console.log(JSON.stringify({ bytes, peakMb: Math.round(peak / 1e6), idleMb: Math.round(idle / 1e6), seconds: seconds.toFixed(1), reply: title.slice(0, 80) }));
  process.exit(0);
}

if (process.argv[2] === '--child') void child(process.argv[3], process.argv[4], Number(process.argv[5]));
else void parent();
