import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A file host for uploads in chat: serves `files` by path on loopback, as Teams' download
 * URLs do, and builds the activity Teams sends when a file is dropped into the personal chat.
 */
export class FileDropServer {
  readonly files: Record<string, Buffer | string> = {};
  private server: http.Server | null = null;
  private base = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const body = this.files[req.url ?? ''];
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

  /** The activity of a file named `name` dropped into the chat, served from `path`. */
  drop(name: string, path: string) {
    return {
      text: undefined,
      attachments: [{ contentType: 'application/vnd.microsoft.teams.file.download.info', name, content: { downloadUrl: `${this.base}${path}`, uniqueId: 'x', fileType: name.split('.').pop() ?? 'csv' } }],
    };
  }
}
