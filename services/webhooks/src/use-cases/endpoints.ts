import {
  AppError,
  type ListQuery,
  type WebhookEndpointPatch,
  type WebhookEndpointRequest,
  type WebhookEndpointView,
} from '@ledgerline/contracts';
import { newId, type RequestCaller } from '@ledgerline/platform';
import { urlShapeProblem } from '../domain/endpoints';
import { newSigningSecret } from '../domain/signing';
import { checkedAddress, UnsafeUrlError } from '../delivery/safe-address';
import { withoutSecrets, type Endpoint } from '../store/endpoints';
import { toEndpointView } from '../views';
import type { WebhooksDeps } from './deps';

/**
 * A target URL is checked when it is set: its shape, then every address its host resolves to
 * (SSRF: no private, loopback or link-local address unless configured). It is checked again at
 * every delivery, since a name's addresses can change after it was accepted.
 */
async function checkUrl(deps: WebhooksDeps, url: string): Promise<void> {
  const shape = urlShapeProblem(url, deps.settings.allowHttp);
  if (shape) throw AppError.validation('Invalid endpoint URL', [{ field: 'url', message: shape }]);
  try {
    await checkedAddress(new URL(url), deps.settings.allowPrivate);
  } catch (err) {
    if (!(err instanceof UnsafeUrlError)) throw err;
    throw AppError.validation('Endpoint URL refused', [{ field: 'url', message: err.message }]);
  }
}

async function found(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  const endpoint = await deps.endpoints.findById(caller.tenantId, id);
  if (!endpoint) throw AppError.notFound('Webhook endpoint');
  return endpoint;
}

export async function createEndpoint(
  deps: WebhooksDeps,
  caller: RequestCaller,
  body: WebhookEndpointRequest,
): Promise<WebhookEndpointView & { secret: string }> {
  await checkUrl(deps, body.url);
  if ((await deps.endpoints.countOf(caller.tenantId)) >= deps.settings.maxEndpoints)
    throw AppError.validation(`At most ${deps.settings.maxEndpoints} webhook endpoints per tenant`);
  const secret = newSigningSecret();
  const created = await deps.endpoints.insert({
    _id: newId('we'),
    tenant_id: caller.tenantId,
    url: body.url,
    events: body.events,
    description: body.description,
    enabled: body.enabled,
    disabled_reason: null,
    secret,
    previous_secret: null,
    previous_secret_expires_at: null,
    failing_since: null,
    version: 0,
    created_by: caller.userId,
    updated_by: caller.userId,
  });
  deps.enqueuer.forget(caller.tenantId);
  return { ...toEndpointView(withoutSecrets(created)), secret };
}

export async function listEndpoints(
  deps: WebhooksDeps,
  caller: RequestCaller,
  query: ListQuery,
  filters: { enabled?: boolean },
) {
  const page = await deps.endpoints.list(caller.tenantId, query, filters);
  return { results: page.results.map(toEndpointView), count: page.count };
}

export async function getEndpoint(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  return toEndpointView(await found(deps, caller, id));
}

export async function updateEndpoint(
  deps: WebhooksDeps,
  caller: RequestCaller,
  id: string,
  patch: WebhookEndpointPatch,
): Promise<WebhookEndpointView> {
  if (patch.url !== undefined) await checkUrl(deps, patch.url);
  const changed = await deps.aggregates.change<Endpoint>(
    deps.endpoints.aggregate,
    { id, tenantId: caller.tenantId },
    (current) => {
      const set: Partial<Endpoint> = { updated_by: caller.userId };
      if (patch.url !== undefined) set.url = patch.url;
      if (patch.events !== undefined) set.events = patch.events;
      if (patch.description !== undefined) set.description = patch.description;
      if (patch.enabled !== undefined) {
        set.enabled = patch.enabled;
        // enabled again by hand: its failure run starts afresh
        if (patch.enabled && !current.enabled)
          Object.assign(set, { disabled_reason: null, failing_since: null });
      }
      return { set };
    },
  );
  deps.enqueuer.forget(caller.tenantId);
  return toEndpointView(withoutSecrets(changed.after));
}

export async function deleteEndpoint(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  await deps.aggregates.remove<Endpoint>(deps.endpoints.aggregate, {
    id,
    tenantId: caller.tenantId,
  });
  deps.enqueuer.forget(caller.tenantId);
  return { deleted: true };
}

/** A new secret; the current one becomes the previous, signing too until the overlap ends. */
export async function rotateSecret(deps: WebhooksDeps, caller: RequestCaller, id: string) {
  const secret = newSigningSecret();
  const now = Date.now();
  const changed = await deps.aggregates.change<Endpoint>(
    deps.endpoints.aggregate,
    { id, tenantId: caller.tenantId },
    (current) => ({
      set: {
        secret,
        previous_secret: current.secret,
        previous_secret_expires_at: new Date(now + deps.settings.secretOverlapSeconds * 1000),
        updated_by: caller.userId,
      },
    }),
  );
  deps.enqueuer.forget(caller.tenantId);
  return { ...toEndpointView(withoutSecrets(changed.after)), secret };
}
