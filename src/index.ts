import { spawn, type ChildProcess } from 'node:child_process';
import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { assertServable, ConfigError, loadConfig, type Config } from './config';
import { CLOUDS } from './tenant/live/cloud';
import { EntraTokenValidator } from './digest/entraToken';
import { trustExtraCa } from './tenant/live/trust';
import { createServer, listen } from './server';
import { jsonLogger, type Logger } from './logger';
import { PassLensBot } from './bot/passLensBot';
import { trainedReader } from './conversation/understanding';
import { TenantService } from './tenant/tenantService';
import { removeAbandonedRoots, UploadWindows } from './tenant/uploadWindow';
import { buildDemoTenant } from './tenant/demo/demoTenant';
import { LiveTenantSource } from './tenant/live/liveSource';
import { scrubSecrets } from './conversation/failures';
import { BlobsStorage } from 'botbuilder-azure-blobs';
import { Cron } from 'croner';
import { FileStorage } from './storage/fileStorage';
import type { StateStore } from './storage/stateStore';
import { SubscriptionStore } from './digest/subscriptions';
import { DigestRunner } from './digest/runner';
import { ProactiveSender } from './bot/proactiveSender';
import { PassLensAdapter, routeLibraryConsole } from './bot/activityRequests';
import { LaunchStore } from './launches/launchStore';
import { LaunchCollector } from './launches/collector';

/**
 * The composition root: configuration -> parts -> server. The only place outside
 * src/bot/ that imports botbuilder.
 */
export interface RunningPassLens {
  port: number;
  runDigest(force: boolean): Promise<object>;
  /** Launches from the audit log: the store (a LaunchMonthSource) and, on a live tenant, its collector. */
  launches: { store: LaunchStore; collector: LaunchCollector | null };
  dataSource: 'demo' | 'live';
  playgroundUrl: string | null;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  /** Start the Agents Playground when there is no bot identity (npm start does). */
  playground?: boolean;
  host?: string;
  /** Extra Bot Framework authentication settings (tests: a local OpenID metadata URL). */
  botAuthentication?: Record<string, string>;
  /** Rows the uploads kept for their buttons may hold together (default KEPT_UPLOAD_ROWS; tests: a small budget). */
  keptUploadRows?: number;
}

export async function startPassLens(options: StartOptions = {}): Promise<RunningPassLens> {
  const env = options.env ?? process.env;
  const config = loadConfig(env);
  assertServable(config);
  const logger = options.logger ?? jsonLogger();
  const auth = new ConfigurationBotFrameworkAuthentication({ ...botAuthSettings(config), ...options.botAuthentication });
  const adapter = new PassLensAdapter(auth);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error('turn failed', { error: scrubSecrets(`${error.name}: ${error.message}`) });
    await context.sendActivity('Sorry, something went wrong on my side. Please ask again; if it keeps failing, tell whoever runs PassLens.');
  };
  const live = config.live ? new LiveTenantSource(config.live, (m, f) => logger.info(m, f)) : null;
  const loader = live ? () => live.snapshot() : async () => buildDemoTenant(new Date().toISOString());
  const tenant = new TenantService(loader, { ttlMs: config.cacheTtlMs, prices: config.prices, keptRows: options.keptUploadRows });
  // Reports a killed process left on disk go now; this process's own go with their window, on close and at exit.
  removeAbandonedRoots(config.uploadDir ?? undefined);
  const uploads = new UploadWindows(tenant, { parent: config.uploadDir ?? undefined });
  const store: StateStore = config.storage ? new BlobsStorage(config.storage.connectionString, config.storage.container) : new FileStorage(config.dataDir);
  const subscriptions = new SubscriptionStore(store);
  await subscriptions.ensureIndex().catch((e: Error) => logger.error('state storage unavailable at start; the digest retries at the next tick', { error: scrubSecrets(`${e.name}: ${e.message}`) }));
  const launchStore = new LaunchStore(store);
  await launchStore.ensureIndex().catch(() => undefined);
  // Legacy records (RecordType 45) name no environment: the app inventory of the live tenant says where each app is.
  const collector = live
    ? new LaunchCollector({
        store: launchStore,
        reader: live.auditReader(),
        retentionMonths: config.launchRetentionMonths,
        inventory: async () => {
          const where = new Map(((await tenant.get()).inventory.apps ?? []).map((a) => [a.id.toLowerCase(), a.environmentId] as const));
          return (appId) => where.get(appId);
        },
        log: (m, f) => logger.info(m, f),
      })
    : null;
  // On every digest tick or POST /api/digest, in the background: a first collection takes minutes and must not hold the digest or the caller.
  const collectLaunches = (): void => {
    void collector?.collectDue().catch((e: Error) => logger.error('launch collection failed; retrying at the next tick', { error: scrubSecrets(`${e.name}: ${e.message}`) }));
  };
  // The question classifier trains here, before the port opens, so no first question waits for it.
  const reader = trainedReader();
  logger.info('question classifier trained', { ms: Math.round((await reader).trainingMs) });
  const bot = new PassLensBot({
    reader,
    tenant,
    access: { admins: config.admins, openLocally: config.openLocally, tenantId: config.tenantId, teamsServiceUrl: config.teamsServiceUrl },
    logger,
    subscriptions,
    uploads,
    checkSetup: live ? () => live.checkSetup() : undefined,
  });
  const runner = new DigestRunner({
    subscriptions,
    sender: new ProactiveSender(adapter, config.bot?.appId ?? ''),
    leaseMs: config.digestLeaseMs,
    report: async () => (await tenant.get()).report,
    log: (m, f) => logger.info(m, f),
  });
  const runDigest = async (force: boolean) => {
    collectLaunches();
    try {
      return await runner.runDue(new Date(), force);
    } catch (e) {
      // Storage or tenant data unavailable: said loudly, and the next tick tries again.
      logger.error('digest run failed; retrying at the next tick', { error: scrubSecrets(`${(e as Error).name}: ${(e as Error).message}`) });
      throw e;
    }
  };
  const timer = config.digestTimer === 'in-process' ? new Cron('* * * * *', { protect: true }, async () => {
        await runDigest(false).catch(() => undefined);
      }) : null;
  trustExtraCa(config.caFile);
  const entra = config.digestAudience
    ? new EntraTokenValidator({ authorityHost: config.live?.authorityHost ?? CLOUDS.public.authorityHost, tenantId: config.tenantId!, audience: config.digestAudience })
    : null;
  const server = createServer({
    onMessages: adapter.requestHandler((context) => bot.run(context), logger),
    logError: (m) => logger.error(m),
    onDigest: config.digestTimer === 'off' ? undefined : runDigest,
    digestSecret: config.digestSecret,
    digestToken: entra ? (token) => entra.validate(token) : undefined,
  });
  const unrouteConsole = routeLibraryConsole(logger);
  const port = await listen(server, config.port, options.host ?? config.host).catch((e: Error) => {
    unrouteConsole();
    throw e;
  });
  logger.info('PassLens listening', { port, host: options.host ?? config.host ?? 'all interfaces', botIdentity: config.bot ? config.bot.appType : 'none (local, no channel auth)', tenantData: config.dataSource });
  let playground: ChildProcess | null = null;
  let playgroundUrl: string | null = null;
  if (!config.bot && options.playground) {
    playground = startPlayground(port, config.playgroundPort, logger);
    playgroundUrl = `http://localhost:${config.playgroundPort}`;
  }
  return {
    port,
    dataSource: config.dataSource,
    playgroundUrl,
    runDigest,
    launches: { store: launchStore, collector },
    close: async () => {
      timer?.stop();
      if (playground && playground.exitCode === null) {
        const exited = new Promise((resolve) => playground!.once('exit', resolve));
        playground.kill('SIGTERM');
        await exited;
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await uploads.close();
      unrouteConsole();
    },
  };
}

function botAuthSettings(config: Config): Record<string, string | undefined> {
  if (!config.bot) return {};
  return {
    MicrosoftAppId: config.bot.appId,
    MicrosoftAppPassword: config.bot.appPassword,
    MicrosoftAppTenantId: config.bot.tenantId,
    MicrosoftAppType: config.bot.appType,
  };
}

function startPlayground(botPort: number, port: number, logger: Logger): ChildProcess {
  const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
  const child = spawn(process.execPath, [cli, '-e', `http://127.0.0.1:${botPort}/api/messages`, '-c', 'msteams', '-p', String(port), '--disable-telemetry'], {
    // Without a browser to open it would try xdg-open and crash.
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', () => {});
  child.stderr?.on('data', (d: Buffer) => logger.error('playground', { output: d.toString().trim().slice(0, 500) }));
  child.on('exit', (code) => logger.info('playground exited', { code }));
  return child;
}

export async function main(): Promise<void> {
  let running: RunningPassLens;
  try {
    running = await startPassLens({ playground: true });
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`PassLens: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  if (running.playgroundUrl) {
    process.stdout.write(`\nPassLens is running on the ${running.dataSource === 'live' ? 'live tenant' : 'demo tenant'}. Chat with it in the Agents Playground: ${running.playgroundUrl}\nPress Ctrl-C to stop.\n\n`);
  }
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) void main();
