// Shared plumbing for the loopback test services: a `node:http` server on 127.0.0.1:0 with a per-service
// fault queue and request counter, so retry behaviour can be tested against real sockets rather than
// interceptors (an interceptor such as nock would also capture the client's own requests; see
// /work/shared/notes/local-sigstore.md).
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// A queued fault, the same vocabulary for every loopback stand-in (the GitHub stand-in's GitHubFault adds
// its own upload faults):
// - an HTTP status: answered instead of serving the request (a 429 carries `retry-after: 0`);
// - `{status, retryAfter?, headers?}`: the same with headers, e.g. `{status: 429, retryAfter: 1}`;
// - 'reset': drop the connection without any answer (what a crashing load balancer looks like);
// - 'lost-response': serve the request for real, then drop the answer (the client retries something that
//   already happened: for Rekor, the retry meets 409 "entry already exists");
// - 'slow' or `{delayMs}`: wait (SLOW_MS for 'slow'), then serve as usual: shorter than a client's timeout;
// - 'timeout': accept the request and never answer, until the client gives up (or the server stops);
// - 'garbage': answer 200 with a body that is not what the protocol says (an HTML page labelled JSON),
//   without serving the request.
export type Fault =
  | number
  | { status: number; retryAfter?: number; headers?: Record<string, string> }
  | 'reset'
  | 'lost-response'
  | 'slow'
  | { delayMs: number }
  | 'timeout'
  | 'garbage';

/** How long a 'slow' fault delays an answer: far below any client timeout, production or shortened. */
export const SLOW_MS = 250;

/** The body a 'garbage' fault answers with. */
export const GARBAGE_BODY =
  '<html><body><h1>200 OK</h1><p>injected garbage: not what the protocol says</p></body></html>';

/** The wait a fault asks for before the request is served as usual, or undefined. */
export function faultDelay(fault: Fault | undefined): number | undefined {
  if (fault === 'slow') return SLOW_MS;
  return typeof fault === 'object' && 'delayMs' in fault ? fault.delayMs : undefined;
}

/** A one-word name for a fault, for tables and recorded requests. */
export function describeFault(fault: Fault): string {
  if (typeof fault === 'number' || typeof fault === 'string') return String(fault);
  if ('delayMs' in fault) return `slow ${fault.delayMs} ms`;
  return fault.retryAfter === undefined ? String(fault.status) : `${fault.status} retry-after ${fault.retryAfter}`;
}

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

export function sendJSON(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers });
  res.end(body);
}

// Error bodies follow the `{code, message}` shape Fulcio and Rekor use, so clients that read `message`
// from a JSON error report something useful.
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  sendJSON(res, status, { code: status, message }, headers);
}

// Answers with the queued fault if there is one; returns whether the request was consumed. 'slow' and
// 'lost-response' are acted out by the caller (see serve), so they do not consume it.
export function applyFault(fault: Fault | undefined, req: IncomingMessage, res: ServerResponse): boolean {
  if (
    fault === undefined ||
    fault === 'lost-response' ||
    fault === 'slow' ||
    (typeof fault === 'object' && 'delayMs' in fault)
  )
    return false;
  if (fault === 'reset') {
    req.socket.destroy();
    return true;
  }
  if (fault === 'timeout') {
    // Never answered: the client's timeout (or the server's stop) closes the connection.
    req.resume();
    return true;
  }
  if (fault === 'garbage') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(GARBAGE_BODY) });
    res.end(GARBAGE_BODY);
    return true;
  }
  const status = typeof fault === 'number' ? fault : fault.status;
  const headers: Record<string, string> =
    typeof fault === 'number'
      ? fault === 429
        ? { 'retry-after': '0' }
        : {}
      : { ...(fault.retryAfter === undefined ? {} : { 'retry-after': String(fault.retryAfter) }), ...fault.headers };
  sendError(res, status, `injected fault ${describeFault(fault)}`, headers);
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
    const serveIt = (): void =>
      void readBody(req)
        .then((body) => route(req, body, res))
        .catch((err: unknown) => {
          // A bug in a handler must surface as a 500 the test can see, not as a hung request.
          if (!res.headersSent) sendError(res, 500, err instanceof Error ? err.message : String(err));
          else res.destroy();
        });
    const delay = faultDelay(fault);
    if (delay === undefined) serveIt();
    else setTimeout(serveIt, delay);
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

/** A loopback port nothing listens on: connecting fails at once, as on a machine without network. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
