import { createContext, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import {
  ROLE_PERMISSIONS,
  type Permission,
  type Role,
} from '../../../../libs/contracts/src/access';
import * as client from '../api/client';
import { endSession, startSession, whenSessionEnds } from './session';

export type Me = Awaited<ReturnType<typeof client.getMe>>;

interface Auth {
  me: Me | null;
  /** What the active role may do (the role's permissions, libs/contracts access.ts). */
  can: (permission: Permission) => boolean;
  signIn: (c: client.Credentials) => Promise<void>;
  register: (r: client.Registration) => Promise<void>;
  switchTenant: (tenantId: string) => Promise<void>;
  signOut: () => Promise<void>;
  /** Why the last session ended on its own (shown on the sign-in page). */
  endedNote: string | null;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [endedNote, setEndedNote] = useState<string | null>(null);

  useEffect(() => {
    whenSessionEnds(() => {
      setMe(null);
      setEndedNote('Your session has ended. Sign in again.');
    });
  }, []);

  const begin = useCallback(async (pair: { token: string; refresh_token: string }) => {
    startSession(pair);
    setMe(await client.getMe());
    setEndedNote(null);
  }, []);

  const value = useMemo<Auth>(() => {
    const permissions = new Set<string>(me ? (ROLE_PERMISSIONS[me.role as Role] ?? []) : []);
    return {
      me,
      endedNote,
      can: (p) => permissions.has(p),
      signIn: async (c) => begin(await client.signIn(c)),
      register: async (r) => {
        await client.register(r);
        await begin(await client.signIn({ username: r.username, password: r.password }));
      },
      switchTenant: async (tenantId) => begin(await client.switchTenant(tenantId)),
      signOut: async () => {
        try {
          await client.signOut();
        } finally {
          // forgetting the tokens is what signs out here, whatever the server answered
          setMe(null);
          setEndedNote(null);
          whenSessionEnds(() => undefined);
          endSession();
          whenSessionEnds(() => {
            setMe(null);
            setEndedNote('Your session has ended. Sign in again.');
          });
        }
      },
    };
  }, [me, endedNote, begin]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth outside AuthProvider');
  return auth;
}
