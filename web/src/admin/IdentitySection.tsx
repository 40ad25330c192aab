import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../api/client';
import { dateTime } from '../shared/format';
import { Notice } from '../shared/Notice';
import { generalError } from '../shared/problems';
import { useProviders } from '../session/ProviderButtons';

const KIND_LABEL: Record<string, string> = { proconnect: 'ProConnect', prosanteconnect: 'Pro Santé Connect', generic: 'fournisseur' };

/**
 * The account's identities at the providers (issue 16): which are linked, the RPPS and whether
 * the profession is proven; a one-time invitation to link one (the link is shown once), the
 * email match to prepare, and unlinking (each in the access log).
 */
export function IdentitySection({ userId }: { userId: string }) {
  const providers = useProviders();
  const queryClient = useQueryClient();
  const key = ['users', userId, 'oidc-identities'];
  const identities = useQuery({
    queryKey: key,
    queryFn: async () => unwrap(await api.GET('/users/{id}/oidc-identities', { params: { path: { id: userId } } })),
  });
  const [link, setLink] = useState<string>();
  const [done, setDone] = useState<string>();
  const invite = useMutation({
    mutationFn: async (kind: 'invitation' | 'email') =>
      unwrap(await api.POST('/users/{id}/oidc-invitations', { params: { path: { id: userId } }, body: { kind } })),
    onSuccess: (answer) => {
      setLink(answer.link);
      setDone(
        answer.kind === 'email'
          ? `À sa prochaine connexion par un fournisseur qui confirme cette adresse électronique, la personne pourra associer son identité (jusqu’au ${dateTime(answer.expiresAt)}).`
          : `Invitation valable une fois, jusqu’au ${dateTime(answer.expiresAt)}. Transmettez ce lien à la personne : il n’est affiché qu’une fois.`,
      );
    },
  });
  const unlink = useMutation({
    mutationFn: async (provider: string) => unwrap(await api.DELETE('/users/{id}/oidc-identities/{provider}', { params: { path: { id: userId, provider } } })),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  if (!providers.length) return null;
  const linked = identities.data?.items ?? [];
  const kindOf = (name: string) => KIND_LABEL[providers.find((p) => p.name === name)?.kind ?? 'generic'];
  return (
    <section className="form-section" aria-labelledby="section-identites">
      <h2 id="section-identites">Connexion par ProConnect ou Pro Santé Connect</h2>
      {identities.data && (
        <p>
          Profession :{' '}
          {identities.data.professionSource === 'prosanteconnect' ? (
            <strong>prouvée par Pro Santé Connect (RPPS {identities.data.rpps})</strong>
          ) : (
            <strong>déclarée par un administrateur</strong>
          )}
        </p>
      )}
      {linked.length === 0 ? (
        <p>Aucune identité associée : la personne se connecte avec son mot de passe.</p>
      ) : (
        <ul className="stack">
          {linked.map((identity) => (
            <li key={identity.provider}>
              {kindOf(identity.provider)} ({identity.provider}), associée le {dateTime(identity.linkedAt)}
              {identity.linkedBy === 'email' ? ' par son adresse électronique' : ' par invitation'}{' '}
              <Button size="small" color="error" variant="secondary" onClick={() => unlink.mutate(identity.provider)} disabled={unlink.isPending}>
                Dissocier
              </Button>
            </li>
          ))}
        </ul>
      )}
      {done && <Notice type={VariantType.SUCCESS}>{done}</Notice>}
      {link && (
        <p className="secret-key" aria-label="Lien d’invitation">
          {link}
        </p>
      )}
      {(invite.error || unlink.error) && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{generalError(invite.error ?? unlink.error)}</Notice>
        </div>
      )}
      <div className="form-actions">
        <Button onClick={() => invite.mutate('invitation')} disabled={invite.isPending}>
          Créer un lien d’invitation
        </Button>
        <Button color="neutral" variant="secondary" onClick={() => invite.mutate('email')} disabled={invite.isPending}>
          Associer par l’adresse électronique
        </Button>
      </div>
    </section>
  );
}
