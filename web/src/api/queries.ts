import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, unwrap, type CaseEventType, type CaseListItem, type Schemas } from './client';
import type { paths } from './schema';

/**
 * The data of the screens, through TanStack Query over the generated client. Keys are by
 * resource; a write invalidates what it changed. Nothing here is persisted: the cache lives in
 * the page's memory and is cleared at sign-out (SessionProvider).
 */
export const keys = {
  cases: ['cases'] as const,
  case: (id: string) => ['cases', id] as const,
  history: (id: string) => ['cases', id, 'history'] as const,
  commissions: ['commissions'] as const,
  organisations: ['organisations'] as const,
};

/** Every situation this account may see (the list is paginated: pages are followed to the end). */
export function useCases() {
  return useQuery({
    queryKey: keys.cases,
    queryFn: async () => {
      const items: CaseListItem[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 50; page++) {
        const data = unwrap(await api.GET('/cases', { params: { query: { limit: 200, cursor } } }));
        items.push(...data.items);
        if (!data.nextCursor) break;
        cursor = data.nextCursor;
      }
      return items;
    },
  });
}

export function useCase(id: string) {
  return useQuery({ queryKey: keys.case(id), queryFn: async () => unwrap(await api.GET('/cases/{id}', { params: { path: { id } } })) });
}

export function useHistory(id: string, enabled = true) {
  return useQuery({
    queryKey: keys.history(id),
    enabled,
    queryFn: async () => unwrap(await api.GET('/cases/{id}/history', { params: { path: { id } } })),
  });
}

export function useCommissions() {
  return useQuery({ queryKey: keys.commissions, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/commissions')) });
}

export function useOrganisations() {
  return useQuery({ queryKey: keys.organisations, staleTime: 5 * 60_000, queryFn: async () => unwrap(await api.GET('/organisations', {})) });
}

export type CreateCaseBody = Schemas['CreateCaseDto'];

export function useCreateCase() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CreateCaseBody) => unwrap(await api.POST('/cases', { body })),
    onSuccess: (created) => {
      queryClient.setQueryData(keys.case(created.id), created);
      void queryClient.invalidateQueries({ queryKey: keys.cases, exact: true });
    },
  });
}

/** The body of POST /cases/{id}/events: one payload per event type (the server's registry). */
export type EventRequest = NonNullable<paths['/cases/{id}/events']['post']['requestBody']>['content']['application/json'];
/** What an event carries besides its type and the version read. */
export type EventFields<T extends CaseEventType> = Omit<Extract<EventRequest, { type: T }>, 'type' | 'expectedVersion'>;

/** Sends one event with the version the screen shows; a 409 reloads the situation. */
export function useSendEvent(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: EventRequest) => unwrap(await api.POST('/cases/{id}/events', { params: { path: { id } }, body })),
    onSettled: (_data, error) => {
      if (!error || (error instanceof ApiError && error.status === 409)) void queryClient.invalidateQueries({ queryKey: keys.case(id) });
      void queryClient.invalidateQueries({ queryKey: keys.cases, exact: true });
    },
  });
}
