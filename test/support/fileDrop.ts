import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOCAL_DROP_PATH } from '../../src/tenant/fileHosts';

/**
 * A file host for uploads in chat: serves `files` by path on loopback under the local drop
 * path (src/tenant/fileHosts.ts, LOCAL_DROP_PATH: the one loopback place a local bot fetches
 * from), as Teams' download URLs do, and builds the activity Teams sends when a file is
 * dropped into the personal chat.
 */
export class FileDropServer {
  readonly files: Record<string, Buffer | string> = {};
  private server: http.Server | null = null;
  private base = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const url = req.url ?? '';
      const body = url.startsWith(LOCAL_DROP_PATH) ? this.files[url.slice(LOCAL_DROP_PATH.length - 1)] : undefined;
      // Not chained: restify, loaded by other tests, patches ServerResponse.writeHead to return nothing.
      if (body === undefined) {
        res.writeHead(404);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(Buffer.byteLength(body)) });
      res.end(body);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  stop(): void {
    this.server?.close();
  }

  /** Where `files[path]` is served. */
  url(path: string): string {
    return `${this.base}${LOCAL_DROP_PATH.slice(0, -1)}${path}`;
  }

  /** The activity of a file named `name` dropped into the chat, from `path` of this host or any other link. */
  drop(name: string, path: string) {
    const downloadUrl = /^[a-z]+:/i.test(path) ? path : this.url(path);
    return {
      text: undefined,
      attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl, uniqueId: 'x', fileType: name.split('.').pop() ?? 'csv' } }],
    };
  }
}
