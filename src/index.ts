import { ConfigurationBotFrameworkAuthentication, type TurnContext } from 'botbuilder';
import { assertServable, ConfigError, loadConfig, type Config } from './config';
import { CLOUDS } from './tenant/live/cloud';
import { EntraTokenValidator } from './digest/entraToken';
import { trustExtraCa } from './tenant/live/trust';
import { createServer, listen } from './server';
import { jsonLogger, type Logger } from './logger';
import { connectHost, startPlayground } from './playground';
import { startingProcesses, watchStarter } from './starter';
import { PassLensBot } from './bot/passLensBot';
import { ReadingThread } from './conversation/readingThread';
import { TenantService } from './tenant/tenantService';
import { removeAbandonedRoots, UploadWindows } from './tenant/uploadWindow';
import { FileTransfers } from './tenant/fileTransfer';
import { isLoopbackName } from './tenant/fileHosts';
import { buildDemoTenant } from './tenant/demo/demoTenant';
import { LiveTenantSource } from './tenant/live/liveSource';
import { scrubSecrets } from './conversation/failures';
import { oneLine } from './cards/cardText';
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
import { LiveLaunches } from './launches/liveLaunches';
import { withLogComparison } from './launches/reportAndLog';
import { pruneLaunches, withinRetention } from './launches/retention';

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
  /** Set when the Playground's port was taken: by what, and where this one is. */
  playgroundPortNote: string | null;
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

/** How long shutdown waits for the answers still being written before it closes their connections. */
export const SHUTDOWN_GRACE_MS = 5_000;

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
  // The live tenant's launches come from the audit log, through the launch store (set up below, with the state store).
  let launches: LiveLaunches | null = null;
  const loader = live
    ? async () => {
        const snapshot = await live.snapshot();
        return launches ? launches.tenantData(snapshot, new Date().toISOString().slice(0, 7), { collectIfMissing: true }) : snapshot;
      }
    : async () => buildDemoTenant(new Date().toISOString());
  const tenant = new TenantService(loader, {
    ttlMs: config.cacheTtlMs,
    prices: config.prices,
    keptRows: options.keptUploadRows,
    againstLog: live ? (data) => withLogComparison(data, keptLaunches) : undefined,
  });
  // Reports a killed process left on disk go now; this process's own go with their window, on close and at exit.
  removeAbandonedRoots(config.uploadDir ?? undefined);
  const uploads = new UploadWindows(tenant, { parent: config.uploadDir ?? undefined });
  const host = options.host ?? config.host;
  // Local mode on loopback only: the local drop helper's files (fileHosts.ts, LOCAL_DROP_PATH) besides Microsoft's file hosts.
  const transfers = new FileTransfers({ domains: CLOUDS[config.cloud].fileHosts, cloudName: config.cloud, localDrop: !config.bot && host !== undefined && isLoopbackName(host) }, { httpsAgent: trustExtraCa(config.caFile) });
  const store: StateStore = config.storage ? blobStorage(config.storage) : new FileStorage(config.dataDir);
  const subscriptions = new SubscriptionStore(store);
  await subscriptions.ensureIndex().catch((e: Error) => logger.error('state storage unavailable at start; the digest retries at the next tick', { error: scrubSecrets(`${e.name}: ${e.message}`) }));
  const launchStore = new LaunchStore(store);
  await launchStore.ensureIndex().catch(() => undefined);
  // Launches older than the retention: deleted now (a stopped bot missed the ticks that prune) and never answered from meanwhile.
  await pruneLaunches(launchStore, new Date(), config.launchRetentionMonths).catch((e: Error) => logger.error('launch store prune failed; retrying at the next collection', { error: scrubSecrets(e.message) }));
  const keptLaunches = withinRetention(launchStore, config.launchRetentionMonths);
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
  // A collection that read launches (or one answers wait for) reads the tenant again, so answers and the digest see them.
  launches = live
    ? new LiveLaunches({ store: keptLaunches, collector, onCollected: () => tenant.refresh(), log: (m, f) => logger.error(`${m}; retrying at the next tick`, { error: scrubSecrets(String(f.error)) }) })
    : null;
  // On every digest tick or POST /api/digest, in the background: a first collection takes minutes and must not hold the digest or the caller.
  const collectLaunches = (): void => {
    void launches?.collectInBackground();
  };
  // The question classifier trains here, on its own thread, before the port opens, so no first question waits for it.
  const reader = new ReadingThread();
  logger.info('question classifier trained', { ms: Math.round(await reader.ready) });
  const bot = new PassLensBot({
    reader,
    tenant,
    access: { admins: config.admins, openLocally: config.openLocally, tenantId: config.tenantId, teamsServiceUrl: config.teamsServiceUrl },
    logger,
    subscriptions,
    uploads,
    transfers,
    checkSetup: live ? () => live.checkSetup() : undefined,
    launches: launches ?? undefined,
    appId: config.bot?.appId ?? '',
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
  const port = await listen(server, config.port, host).catch((e: NodeJS.ErrnoException) => {
    unrouteConsole();
    throw listenRefusal(e, config.port, host);
  });
  logger.info('PassLens listening', { port, host: host ?? 'all interfaces', botIdentity: config.bot ? config.bot.appType : 'none (local, no channel auth)', tenantData: config.dataSource });
  const playground = !config.bot && options.playground
    ? await startPlayground({ botUrl: `http://${connectHost(host)}:${port}/api/messages`, port: config.playgroundPort, host: host ?? '127.0.0.1', logger })
    : null;
  return {
    port,
    dataSource: config.dataSource,
    playgroundUrl: playground?.url ?? null,
    playgroundPortNote: playground?.portNote ?? null,
    runDigest,
    launches: { store: launchStore, collector },
    close: async () => {
      timer?.stop();
      await playground?.stop();
      // A download in flight is stopped, and a request still open after the grace is cut: shutdown is bounded.
      transfers.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const cut = setTimeout(() => server.server.closeAllConnections(), SHUTDOWN_GRACE_MS);
      await closed;
      clearTimeout(cut);
      await uploads.close();
      await reader.close();
      unrouteConsole();
    },
  };
}

/** The port or the interface cannot be had: a setting to change, said in one line (exit 2). */
function listenRefusal(e: NodeJS.ErrnoException, port: number, host: string | undefined): Error {
  const where = host ?? 'every interface';
  if (e.code === 'EADDRINUSE') return new ConfigError(`PORT ${port} is already in use on ${where}: stop what holds it (ss -ltnp 'sport = :${port}') or set PORT to a free port.`);
  if (e.code === 'EACCES') return new ConfigError(`PORT ${port} needs privileges this user does not have: set PORT to 1024 or above.`);
  if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN') return new ConfigError(`HOST "${host}" is not an address of this machine (${e.code}): set HOST to one of its addresses, 0.0.0.0 for every interface, or leave it unset.`);
  return e;
}

/** The connection string is read when the client is made: a malformed one is a setting to fix, not a crash. The string itself is never repeated (it holds the account key). */
function blobStorage(storage: { connectionString: string; container: string }): StateStore {
  try {
    return new BlobsStorage(storage.connectionString, storage.container);
  } catch (e) {
    throw new ConfigError(`PASSLENS_STORAGE_CONNECTION_STRING is not an Azure Storage connection string (${oneLine(scrubSecrets((e as Error).message)).slice(0, 120)}): copy it from the storage account's "Access keys" page.`);
  }
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

export async function main(): Promise<void> {
  let running: RunningPassLens;
  try {
    running = await startPassLens({ playground: true });
  } catch (e) {
    // One line, never a stack: a setting is wrong (exit 2), or something else stopped the start (exit 1).
    if (e instanceof ConfigError) {
      process.stderr.write(`PassLens: ${oneLine(e.message)}\n`);
      process.exit(2);
    }
    process.stderr.write(`PassLens could not start: ${oneLine(scrubSecrets(e instanceof Error ? e.message : String(e)))}\n`);
    process.exit(1);
  }
  if (running.playgroundPortNote) process.stdout.write(`\n${running.playgroundPortNote}\n`);
  if (running.playgroundUrl) {
    process.stdout.write(`\nPassLens is running on the ${running.dataSource === 'live' ? 'live tenant' : 'demo tenant'}. Chat with it in the Agents Playground: ${running.playgroundUrl}\nPress Ctrl-C to stop.\n\n`);
  }
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // npm killed with SIGKILL tells nobody: PassLens (and with it the Playground) stops on its own.
  watchStarter(startingProcesses(), (pid) => {
    process.stderr.write(`PassLens: the process that started it (pid ${pid}) has ended; stopping.\n`);
    stop();
  });
}

if (require.main === module) void main();
