// Shared plumbing for the loopback test services: a `node:http` server on 127.0.0.1:0 with a per-service
// fault queue and request counter, so retry behaviour can be tested against real sockets rather than
// interceptors (an interceptor such as nock would also capture the client's own requests; see
// /work/shared/notes/local-sigstore.md).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A queued fault: an HTTP status to answer with instead of serving the request, 'reset' to drop the
// connection without any answer (what a crashing load balancer looks like to the client), or
// 'lost-response' to serve the request for real and then drop the answer (the client retries
// something that already happened: for Rekor, the retry meets 409 "entry already exists").
export type Fault = number | 'reset' | 'lost-response';

export type Route = (req: IncomingMessage, body: Buffer, res: ServerResponse) => Promise<void> | void;

export interface LoopbackServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

export interface ServeOptions {
  // Faults are popped one per incoming request; the caller owns the array so tests can push to it.
  faults?: () => Fault[];
  // Called once per incoming request, faulted or not, before anything else.
  onRequest?: (req: IncomingMessage) => void;
}

export function sendJSON(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

// Error bodies follow the `{code, message}` shape Fulcio and Rekor use, so clients that read `message`
// from a JSON error report something useful.
export function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  sendJSON(res, status, { code: status, message }, headers);
}

// Answers with the queued fault if there is one; returns whether the request was consumed.
export function applyFault(fault: Fault | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (fault === undefined || fault === 'lost-response') return false;
  if (fault === 'reset') {
    req.socket.destroy();
    return true;
  }
  const headers: Record<string, string> = fault === 429 ? { 'retry-after': '0' } : {};
  sendError(res, fault, `injected fault ${fault}`, headers);
  return true;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function serve(route: Route, options: ServeOptions = {}): Promise<LoopbackServer> {
  const server: Server = createServer((req, res) => {
    options.onRequest?.(req);
    const fault = options.faults?.().shift();
    if (fault === 'lost-response') {
      res.end = ((): ServerResponse => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    } else if (applyFault(fault, req, res)) return;
    readBody(req)
      .then((body) => route(req, body, res))
      .catch((err: unknown) => {
        // A bug in a handler must surface as a 500 the test can see, not as a hung request.
        if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
        else res.destroy();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    // Idempotent, so a test's after() hook and an explicit stop() can both run.
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients (make-fetch-happen, undici) keep sockets alive; without dropping them close() would
        // wait for their idle timeout.
        server.closeAllConnections();
      })),
  };
}
