import { createHash } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { Schema, type Connection, type Model } from 'mongoose';
import { AppError } from '@ledgerline/contracts';
import type { Logger } from '../logger';
import { isDuplicateKeyError } from '../mongo';
import { insertPlain } from '../store-model';
import { everyInterval } from '../periodic';
import { pruneInBatches } from '../pruning';
import { MAX_JSON_DEPTH, tooDeepError } from './json-depth';

/**
 * Stripe-style idempotency for POSTs that move money. A client sends `Idempotency-Key`; the first
 * request with a key claims it with a unique insert (the in-flight marker), runs, and its response
 * (status and body) is stored under the key. A repeat with the same key and the same body gets that
 * stored response without running again; the same key with another body is refused (422); a repeat
 * while the first still runs gets 409. Keys are scoped by tenant, method and path, and kept for
 * `ttlMs` (24 h by default). FerretDB has no TTL indexes, so `sweep()` deletes expired keys and
 * the service runs it periodically.
 *
 * Not stored (the key is released so a retry runs again): 5xx answers and 409s, which say "try
 * again" (a dependency down, a busy lock) rather than "this is the outcome of your request", and
 * 401/403: the request never ran (the route checks the permission after the key is claimed), so a
 * caller given the role a moment later is not answered "forbidden" for the key's lifetime.
 */
export interface IdempotencyOptions {
  connection: Connection;
  logger?: Logger;
  /** How long a response is replayed. */
  ttlMs?: number;
  /** After this long an in-flight marker is presumed to belong to a crashed request and is taken over. */
  inFlightTimeoutMs?: number;
  /** Refuse requests without the header (400) instead of running them unprotected. */
  required?: boolean;
  /** The key's scope; the caller's tenant by default (run after authenticate). */
  scopeOf?: (req: Request) => string;
}

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const IDEMPOTENT_REPLAY_HEADER = 'idempotent-replayed';

interface IdempotencyRecord {
  _id: string;
  scope: string;
  key: string;
  method: string;
  path: string;
  request_hash: string;
  state: 'in_flight' | 'done';
  status: number | null;
  /** The response body exactly as sent (JSON text), so a replay is byte-identical. */
  body: string | null;
  location: string | null;
  locked_at: Date;
  expires_at: Date;
}

const recordSchema = new Schema<IdempotencyRecord>(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    key: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    request_hash: { type: String, required: true },
    state: { type: String, required: true },
    status: { type: Number, default: null },
    body: { type: String, default: null },
    location: { type: String, default: null },
    locked_at: { type: Date, required: true },
    expires_at: { type: Date, required: true },
  },
  { collection: 'idempotency_keys', versionKey: false },
);
recordSchema.index({ expires_at: 1 });

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * JSON with object keys sorted, so the same body sent with keys in another order is the same
 * request. Depth-checked: the app factory already refuses bodies deeper than MAX_JSON_DEPTH, and
 * this walk refuses them too (422) rather than recurse without bound if it is ever handed one.
 */
export function canonicalJson(value: unknown, depth = 1): string {
  if (value !== null && typeof value === 'object' && depth > MAX_JSON_DEPTH) throw tooDeepError();
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v, depth + 1)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const normalisedPath = (req: Request) =>
  `${req.baseUrl}${req.path}`.replace(/\/+$/, '').toLowerCase() || '/';

export interface Idempotency {
  middleware: RequestHandler;
  /** Deletes expired keys; answers how many went. */
  sweep(now?: Date): Promise<number>;
  /** Runs sweep() every `intervalMs`; answers the function that stops it. */
  startSweeper(intervalMs: number): () => Promise<void>;
  model: Model<IdempotencyRecord>;
}

export function idempotency(opts: IdempotencyOptions): Idempotency {
  const model: Model<IdempotencyRecord> =
    (opts.connection.models.IdempotencyKey as Model<IdempotencyRecord> | undefined) ??
    opts.connection.model<IdempotencyRecord>('IdempotencyKey', recordSchema);
  const ttlMs = opts.ttlMs ?? 24 * 60 * 60 * 1000;
  const inFlightTimeoutMs = opts.inFlightTimeoutMs ?? 60_000;
  const scopeOf = opts.scopeOf ?? ((req: Request) => req.auth?.tenantId ?? 'anonymous');

  /** Claims the key; answers the existing record when somebody else holds (or held) it. */
  async function claim(fresh: IdempotencyRecord): Promise<IdempotencyRecord | null> {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        // a plain insert: every field is set (no mongoose document built on the request path)
        await insertPlain(model, fresh);
        return null;
      } catch (err) {
        if (!isDuplicateKeyError(err)) throw err;
      }
      const existing = await model.findById(fresh._id).lean<IdempotencyRecord>();
      if (!existing) continue; // released in between: try again
      const now = fresh.locked_at.getTime();
      const expired = existing.expires_at.getTime() <= now;
      const stale =
        existing.state === 'in_flight' && existing.locked_at.getTime() + inFlightTimeoutMs <= now;
      if (!expired && !stale) return existing;
      // Takeover by delete-then-insert: the delete names the exact marker read, and the unique
      // insert lets only one of several concurrent takers win.
      await model.deleteOne({ _id: existing._id, locked_at: existing.locked_at });
    }
    throw AppError.conflict('busy', 'This Idempotency-Key is busy; retry shortly');
  }

  function replay(res: Response, record: IdempotencyRecord): void {
    res.status(record.status ?? 200);
    res.setHeader(IDEMPOTENT_REPLAY_HEADER, 'true');
    if (record.location) res.location(record.location);
    res.type('application/json').send(record.body ?? '');
  }

  const middleware: RequestHandler = async (req, res, next) => {
    const key = req.get(IDEMPOTENCY_HEADER);
    if (key === undefined) {
      if (opts.required) throw AppError.badRequest('The Idempotency-Key header is required');
      next();
      return;
    }
    if (!KEY_PATTERN.test(key)) {
      throw AppError.validation('Invalid Idempotency-Key header', [
        { field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
      ]);
    }
    const scope = scopeOf(req);
    const path = normalisedPath(req);
    const now = new Date();
    const fresh: IdempotencyRecord = {
      _id: sha256(`${scope}\n${req.method}\n${path}\n${key}`),
      scope,
      key,
      method: req.method,
      path,
      request_hash: sha256(canonicalJson(req.body ?? null)),
      state: 'in_flight',
      status: null,
      body: null,
      location: null,
      locked_at: now,
      expires_at: new Date(now.getTime() + ttlMs),
    };
    const existing = await claim(fresh);
    if (existing) {
      if (existing.request_hash !== fresh.request_hash) {
        throw AppError.validation(
          'This Idempotency-Key was already used with a different request; use a new key for a new request',
          [{ field: 'Idempotency-Key', message: 'reused with a different request body' }],
        );
      }
      if (existing.state === 'in_flight') {
        throw AppError.conflict(
          'busy',
          'A request with this Idempotency-Key is still in progress; retry shortly',
        );
      }
      replay(res, existing);
      return;
    }

    // The response is stored before it is sent, so a repeat that arrives right after the client
    // got its answer replays it instead of meeting the in-flight marker.
    let settled = false;
    const release = () =>
      model.deleteOne({ _id: fresh._id, locked_at: fresh.locked_at }).catch((err: unknown) => {
        opts.logger?.error({ err, key }, 'idempotency key could not be released');
      });
    const send = res.send.bind(res);
    res.send = ((body?: unknown) => {
      if (settled) return send(body);
      settled = true;
      const status = res.statusCode;
      const text = Buffer.isBuffer(body) ? body.toString('utf8') : String(body ?? '');
      const keep = status < 500 && ![401, 403, 409].includes(status);
      const write = keep
        ? model.updateOne(
            { _id: fresh._id, locked_at: fresh.locked_at },
            {
              $set: {
                state: 'done',
                status,
                body: text,
                location: (res.getHeader('location') as string | undefined) ?? null,
              },
            },
          )
        : release();
      write
        .catch((err: unknown) => {
          opts.logger?.error({ err, key }, 'idempotent response could not be stored');
        })
        .finally(() => send(body));
      return res;
    }) as Response['send'];
    res.on('finish', () => {
      // answered without send() (res.end, a stream): nothing to replay, so the key is freed. A
      // request whose process dies keeps its marker until the in-flight timeout lets a retry in.
      if (!settled) {
        settled = true;
        void release();
      }
    });
    next();
  };

  async function sweep(at = new Date()): Promise<number> {
    // in bounded batches: one unbounded delete would hold SQLite's write lock throughout
    return pruneInBatches(model, { expires_at: { $lte: at } });
  }

  function startSweeper(intervalMs: number): () => Promise<void> {
    return everyInterval(intervalMs, sweep, {
      logger: opts.logger,
      failure: 'idempotency sweep failed',
    });
  }

  return { middleware, sweep, startSweeper, model };
}
