import type { Request } from 'express';
import { callerOf } from '@ledgerline/platform';
import type { Caller } from '../use-cases/deps';

export function caller(req: Request): Caller {
  const auth = callerOf(req);
  return {
    tenantId: auth.tenantId,
    userId: auth.userId,
    token: auth.token,
    requestId: String(req.id),
    correlationId: req.correlationId,
  };
}
