import type { Request } from 'express';
import { callerOf } from '@ledgerline/platform';
import type { Caller } from '../use-cases/deps';

export function caller(req: Request): Caller {
  const auth = callerOf(req);
  return {
    userId: auth.userId,
    tenantId: auth.tenantId,
    platformAdmin: auth.platformAdmin,
    role: auth.role,
    requestId: String(req.id),
    correlationId: req.correlationId,
  };
}
