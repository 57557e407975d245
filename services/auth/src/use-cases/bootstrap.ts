import { PLATFORM_TENANT_ID } from '@ledgerline/contracts';
import type { Logger } from '@ledgerline/platform';
import type { AuthDeps } from './deps';
import { createUserWithTenant } from './accounts';
import { hashPassword } from './passwords';

/**
 * The platform operator is a tenant too. At first start its administrator is created from
 * configuration (documented local defaults; production must set the password).
 */
export async function ensurePlatformAdmin(
  deps: AuthDeps,
  admin: { username: string; email: string; password: string },
  logger: Logger,
): Promise<void> {
  if (await deps.users.findPlatformAdmin()) return;
  try {
    await createUserWithTenant(deps, {
      userId: 'usr_platform_admin',
      username: admin.username,
      email: admin.email.toLowerCase(),
      fullName: 'Platform Administrator',
      passwordHash: await hashPassword(admin.password),
      tenant: {
        id: PLATFORM_TENANT_ID,
        name: 'Ledgerline Platform',
        slug: 'platform',
        type: 'organization',
      },
      platformAdmin: true,
      correlationId: 'bootstrap',
    });
    logger.info({ username: admin.username }, 'platform administrator created');
  } catch (err) {
    // another auth instance created it at the same moment (fixed id): that is the goal
    if (!(await deps.users.findPlatformAdmin())) throw err;
  }
}
