import type { Express } from 'express';
import { serviceApp, type ServiceHttpDeps } from '@ledgerline/platform';
import { webhookRoutes } from './routes/webhooks';
import type { WebhooksDeps } from './use-cases/deps';

export type WebhooksAppDeps = WebhooksDeps & ServiceHttpDeps;

/** Webhook endpoints, deliveries and their log (issue 15). */
export function createApp(deps: WebhooksAppDeps): Express {
  return serviceApp('webhooks', deps, (app, authenticated) => {
    app.use('/api/webhooks', authenticated);
    app.use(webhookRoutes(deps));
  });
}
