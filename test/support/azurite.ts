import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './chromium';

/** Azurite's blob service (the npm package), in memory, on a free port; the test setup starts and stops it. */
export interface AzuriteBlob {
  connectionString: string;
  stop(): Promise<void>;
}

const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/**
 * .ci/run starts one Azurite for the whole run and says where (AZURITE_BLOB_CONNECTION_STRING);
 * otherwise, as under a plain `npm test`, the test setup starts its own.
 */
export async function startAzurite(): Promise<AzuriteBlob> {
  if (process.env.AZURITE_BLOB_CONNECTION_STRING) return { connectionString: process.env.AZURITE_BLOB_CONNECTION_STRING, stop: async () => {} };
  const port = await freePort();
  const bin = join(__dirname, '../../node_modules/.bin/azurite-blob');
  const child: ChildProcess = spawn(bin, ['--blobHost', '127.0.0.1', '--blobPort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Azurite did not start: ${output}`)), 30_000);
    const onData = (d: Buffer) => {
      output += d.toString();
      if (/successfully listen/i.test(output)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`Azurite exited (${code}): ${output}`)));
  });
  return {
    connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://127.0.0.1:${port}/devstoreaccount1;`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
