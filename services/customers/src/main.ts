import { bootService } from '@ledgerline/platform';
import { createApp } from './app';
import { loadCustomersConfig } from './config';

const config = loadCustomersConfig();

bootService('customers', config, async (ctx) =>
  createApp({ logger: ctx.logger, readiness: ctx.readiness, bodyLimit: config.BODY_LIMIT }),
);
