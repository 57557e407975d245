import type { Request } from 'express';
import { callerOf } from '@ledgerline/platform';
import type { Caller } from '../use-cases/deps';

export function caller(req: Request): Caller {
  const auth = callerOf(req);
  return {
    userId: auth.userId,
    tenantId: auth.tenantId,
    sessionId: auth.sessionId,
    role: auth.role,
    platformAdmin: auth.platformAdmin,
    permissions: auth.permissions,
    correlationId: req.correlationId,
  };
}
