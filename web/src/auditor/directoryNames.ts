import { useMemo } from 'react';
import { useOrganisations, useTerritories, useUsers } from '../api/queries';

/**
 * The names behind the ids of the access log: accounts (within the auditor's reach),
 * organisations and territories. An id outside them is said as such, never guessed.
 */
export function useDirectoryNames() {
  const users = useUsers();
  const organisations = useOrganisations();
  const territories = useTerritories();
  return useMemo(() => {
    const userById = new Map((users.data ?? []).map((u) => [u.id, u]));
    const orgById = new Map((organisations.data ?? []).map((o) => [o.id, o]));
    const territoryById = new Map((territories.data ?? []).map((t) => [t.id, t]));
    return {
      users: users.data ?? [],
      organisations: organisations.data ?? [],
      territories: territories.data ?? [],
      person(id: string | null): string {
        if (!id) return 'Aucun compte (système ou compte inconnu)';
        const user = userById.get(id);
        return user ? user.displayName : 'Compte hors de votre périmètre';
      },
      email(id: string | null): string | undefined {
        return id ? userById.get(id)?.email : undefined;
      },
      organisation(id: string | null): string {
        if (!id) return 'Sans organisation';
        return orgById.get(id)?.name ?? 'Organisation hors de votre périmètre';
      },
      territory(id: string | null): string {
        if (!id) return '—';
        return territoryById.get(id)?.name ?? 'Territoire hors de votre périmètre';
      },
    };
  }, [users.data, organisations.data, territories.data]);
}
