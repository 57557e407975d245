/**
 * A steady stream of money requests that behaves like a careful client: every operation has its
 * own Idempotency-Key and is retried with the SAME key and body after a "try again" answer (502,
 * 503, 504, 429, a 409 that says the key or the resource is busy), a timeout or a broken
 * connection, until it gets a definitive answer. Every attempt is recorded with the fault phase
 * it started in, so the suite can say what clients saw during each fault.
 */

export type OpKind = 'payment' | 'credits';

export interface OpRequest {
  kind: OpKind;
  tenant: number;
  token: string;
  path: string;
  body: Record<string, unknown>;
}

export interface Attempt {
  op: number;
  kind: OpKind;
  phase: string;
  /** HTTP status, or 'hung' (no answer within the hung limit) or 'network' (connection failed). */
  status: number | 'hung' | 'network';
  ms: number;
  /** The error envelope's type for a 4xx/5xx answer; 'not-an-envelope' when it had none. */
  type: string | null;
  replayed: boolean;
}

export interface Op extends OpRequest {
  id: number;
  key: string;
  startedAt: number;
  /** 'ok' = 2xx, 'refused' = a definitive 4xx, 'unresolved' = no definitive answer in time. */
  outcome: 'pending' | 'ok' | 'refused' | 'unresolved';
  status: number | null;
  data: Record<string, unknown> | null;
  attempts: number;
}

export interface LoadOptions {
  baseUrl: string;
  /** Operations started per second. */
  rate: number;
  /** An attempt without an answer after this long counts as hung (and is retried). */
  hungMs: number;
  /** An operation still without a definitive answer after this long is given up as unresolved. */
  opDeadlineMs: number;
  /** The i-th operation to send. */
  next(i: number): OpRequest;
  /** The fault phase right now (a label). */
  phase(): string;
  runId: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// a 409 that means "not now" rather than "never": the idempotency key is still being worked on
// by an earlier attempt, or a lock is held
const BUSY_409 = /in progress|busy|retry shortly/i;

function retryable(status: number, body: { error?: unknown } | null): boolean {
  if (status === 502 || status === 503 || status === 504 || status === 429) return true;
  return status === 409 && BUSY_409.test(String(body?.error ?? ''));
}

export class LoadDriver {
  readonly ops: Op[] = [];
  readonly attempts: Attempt[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void>[] = [];
  private count = 0;

  constructor(private readonly opts: LoadOptions) {}

  start(): void {
    const tick = () => this.launch();
    tick();
    this.timer = setInterval(tick, Math.max(1, Math.round(1000 / this.opts.rate)));
  }

  /** Stops starting operations and waits until every started one has a definitive answer (or gave up). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.running);
  }

  inFlight(): number {
    return this.ops.filter((o) => o.outcome === 'pending').length;
  }

  private launch(): void {
    const i = this.count++;
    const req = this.opts.next(i);
    const op: Op = {
      ...req,
      id: i,
      key: `${this.opts.runId}-${req.kind}-${i}`,
      startedAt: Date.now(),
      outcome: 'pending',
      status: null,
      data: null,
      attempts: 0,
    };
    // the key travels in the body too, so the server's records can be matched to the client's
    op.body = { ...op.body, [req.kind === 'payment' ? 'remarks' : 'description']: op.key };
    this.ops.push(op);
    this.running.push(this.run(op));
  }

  private async run(op: Op): Promise<void> {
    for (let n = 0; ; n++) {
      const answer = await this.attempt(op);
      if (answer.definitive) return;
      if (Date.now() - op.startedAt > this.opts.opDeadlineMs) {
        op.outcome = 'unresolved';
        return;
      }
      await sleep(Math.min(2000, 250 * 2 ** n) + Math.random() * 250);
    }
  }

  private async attempt(op: Op): Promise<{ definitive: boolean }> {
    op.attempts++;
    const phase = this.opts.phase();
    const t0 = Date.now();
    const record = (a: Omit<Attempt, 'op' | 'kind' | 'phase' | 'ms'>) =>
      this.attempts.push({ op: op.id, kind: op.kind, phase, ms: Date.now() - t0, ...a });
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.opts.baseUrl}${op.path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${op.token}`,
          'idempotency-key': op.key,
        },
        body: JSON.stringify(op.body),
        signal: AbortSignal.timeout(this.opts.hungMs),
      });
      text = await res.text();
    } catch (err) {
      const name = (err as Error).name;
      const hung = name === 'TimeoutError' || name === 'AbortError';
      record({ status: hung ? 'hung' : 'network', type: null, replayed: false });
      return { definitive: false };
    }
    let body: { success?: boolean; type?: string; error?: unknown; data?: unknown } | null = null;
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
    const isEnvelope =
      res.status < 400 || (body?.success === false && typeof body.type === 'string');
    record({
      status: res.status,
      type: res.status >= 400 ? (isEnvelope ? String(body?.type) : 'not-an-envelope') : null,
      replayed: res.headers.get('idempotent-replayed') === 'true',
    });
    if (retryable(res.status, body)) return { definitive: false };
    op.status = res.status;
    op.outcome = res.status < 300 ? 'ok' : 'refused';
    op.data = (body?.data as Record<string, unknown> | undefined) ?? null;
    return { definitive: true };
  }
}

/** Statuses per phase, e.g. { 'redis-down': { '201': 12, '503': 7 } }, and the slowest attempt. */
export function summarise(attempts: Attempt[]) {
  const byPhase: Record<string, { statuses: Record<string, number>; maxMs: number; n: number }> =
    {};
  for (const a of attempts) {
    const p = (byPhase[a.phase] ??= { statuses: {}, maxMs: 0, n: 0 });
    const label = `${a.kind}:${a.status}${a.replayed ? ' (replayed)' : ''}`;
    p.statuses[label] = (p.statuses[label] ?? 0) + 1;
    p.maxMs = Math.max(p.maxMs, a.ms);
    p.n++;
  }
  return byPhase;
}
