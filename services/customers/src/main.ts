import {
  closeServer,
  connectDependencies,
  createLogger,
  listen,
  runProcess,
} from '@ledgerline/platform';
import { createApp } from './app';
import { loadCustomersConfig } from './config';

const config = loadCustomersConfig();
const logger = createLogger('customers', config.LOG_LEVEL);

runProcess('customers', logger, async () => {
  const deps = await connectDependencies('customers', config, logger);
  const server = await listen(
    createApp({ logger, readiness: deps.readiness, bodyLimit: config.BODY_LIMIT }),
    config.PORT,
    config.HOST,
  );
  logger.info({ port: config.PORT }, 'customers listening');
  return [closeServer(server), ...deps.closers];
});
