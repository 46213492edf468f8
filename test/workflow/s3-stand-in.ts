/**
 * A local S3 stand-in speaking just enough of the REST API for the audit sink through the real
 * S3 client (path-style): PutObject and GetObject, NoSuchKey, and injected PutObject failures.
 * Every PUT is kept, so tests see overwrites as well as the final objects.
 */
import { createServer, IncomingMessage, Server, ServerResponse } from 'http';
import { AddressInfo } from 'net';

export class S3StandIn {
  static async start(): Promise<S3StandIn> {
    const standIn = new S3StandIn();
    await new Promise<void>((resolve) => standIn.server.listen(0, '127.0.0.1', resolve));
    return standIn;
  }

  /** Objects by `bucket/key`. */
  readonly objects = new Map<string, string>();
  /** Every PUT in order, by `bucket/key`. */
  readonly puts: string[] = [];
  /** PUTs still to fail with 500 InternalError (the client retries them). */
  failPuts = 0;
  private readonly server: Server = createServer((req, res) => void this.receive(req, res));

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    if (req.method === 'PUT') {
      if (this.failPuts > 0) {
        this.failPuts--;
        return this.error(res, 500, 'InternalError');
      }
      this.objects.set(path, decodeBody(Buffer.concat(chunks), req.headers));
      this.puts.push(path);
      res.writeHead(200, { ETag: `"${this.puts.length}"` }).end();
    } else if (req.method === 'GET') {
      const body = this.objects.get(path);
      if (body === undefined) return this.error(res, 404, 'NoSuchKey');
      res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Content-Length': Buffer.byteLength(body) }).end(body);
    } else {
      this.error(res, 405, 'MethodNotAllowed');
    }
  }

  private error(res: ServerResponse, status: number, code: string): void {
    const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
    res.writeHead(status, { 'Content-Type': 'application/xml' }).end(body);
  }
}

/** Bodies sent with `Content-Encoding: aws-chunked` (a trailing checksum) are unwrapped. */
function decodeBody(raw: Buffer, headers: IncomingMessage['headers']): string {
  if (!String(headers['content-encoding'] ?? '').includes('aws-chunked')) return raw.toString('utf8');
  let text = raw.toString('utf8');
  let out = '';
  for (;;) {
    const lineEnd = text.indexOf('\r\n');
    const size = parseInt(text.slice(0, lineEnd).split(';')[0], 16);
    if (!size) return out;
    out += text.slice(lineEnd + 2, lineEnd + 2 + size);
    text = text.slice(lineEnd + 2 + size + 2);
  }
}
