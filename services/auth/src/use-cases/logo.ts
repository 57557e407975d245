import {
  AppError,
  LOGO_LIMITS,
  LOGO_TYPES,
  type TenantSettingsSnapshot,
} from '@ledgerline/contracts';
import { imageHeader } from '../domain/image-header';
import type { AccountLogo } from '../store/logos';
import type { AccountSettings } from '../store/settings';
import type { AuthDeps, Caller } from './deps';

/** A logo as the API shows it: what it is, never its bytes. */
function logoView(logo: AccountLogo) {
  return {
    content_type: logo.content_type,
    width: logo.width,
    height: logo.height,
    bytes: logo.bytes,
    updated_at: new Date(logo.updated_at).toISOString(),
  };
}

/**
 * PUT /v1/account/logo: the media type and size were checked by the route (415, 413); here the
 * bytes must be the image the media type says, of a size a document can hold (422 otherwise).
 */
export async function putLogo(deps: AuthDeps, caller: Caller, declaredType: string, body: Buffer) {
  const header = imageHeader(body);
  if (!header || header.content_type !== declaredType) {
    throw AppError.validation('The body is not the image its Content-Type says', [
      { message: `send the bytes of a ${LOGO_TYPES.join(' or ')} file, with that Content-Type` },
    ]);
  }
  const { width, height } = header;
  if (width < 1 || height < 1 || width > LOGO_LIMITS.maxSide || height > LOGO_LIMITS.maxSide) {
    throw AppError.validation(
      `The logo must be between 1×1 and ${LOGO_LIMITS.maxSide}×${LOGO_LIMITS.maxSide} pixels`,
      [{ message: `it is ${width}×${height}` }],
    );
  }
  const stored = await deps.logos.put({
    tenant_id: caller.tenantId,
    content_type: header.content_type,
    data: body,
    width,
    height,
    bytes: body.length,
    updated_by: caller.userId,
  });
  return logoView(stored);
}

export async function deleteLogo(deps: AuthDeps, caller: Caller): Promise<void> {
  if (!(await deps.logos.remove(caller.tenantId))) throw AppError.notFound('Logo');
}

/** A stored Buffer comes back from a lean read as BSON Binary. */
function bytesOf(data: unknown): Buffer {
  if (Buffer.isBuffer(data)) return data;
  const binary = data as { buffer: Uint8Array };
  return Buffer.from(binary.buffer);
}

/**
 * The internal read other services make of a tenant's account (the issuer of a document). A
 * tenant whose settings were never opened gets them created from its owner's membership, as the
 * settings GET does; a tenant auth has no member of is unknown (null).
 */
export async function tenantSettingsSnapshot(
  deps: AuthDeps,
  tenantId: string,
  withLogo: boolean,
): Promise<TenantSettingsSnapshot | null> {
  const [found, logo] = await Promise.all([
    deps.settings.find(tenantId),
    withLogo ? deps.logos.find(tenantId) : null,
  ]);
  let settings: AccountSettings | null = found;
  if (!settings) {
    const [member] = await deps.users.members(tenantId);
    const membership = member?.memberships.find((m) => m.tenant_id === tenantId);
    if (!membership) return null;
    settings = await deps.settings.findOrCreate(tenantId, {
      name: membership.tenant_name,
      slug: membership.tenant_slug,
    });
  }
  return {
    tenant_id: tenantId,
    name: settings.name,
    billing_email: settings.billing_email,
    billing_address_line1: settings.billing_address_line1,
    billing_address_line2: settings.billing_address_line2,
    billing_city: settings.billing_city,
    billing_state: settings.billing_state,
    billing_postal_code: settings.billing_postal_code,
    billing_country: settings.billing_country,
    tax_id: settings.tax_id,
    logo: logo && {
      content_type: logo.content_type,
      base64: bytesOf(logo.data).toString('base64'),
    },
  };
}
