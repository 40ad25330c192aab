import { saveBlob } from '../shared/download';
import { Button, VariantType } from '@gouvfr-lasuite/cunningham-react';
import { useState } from 'react';
import { ApiError, type CaseView } from '../api/client';
import { fetchConsentReceipt, fetchInformationLetter } from '../api/queries';
import { Notice } from '../shared/Notice';
import { ChoiceGroup } from '../shared/fields';
import { fieldErrors } from '../shared/problems';
import { fullScope, NOTHING_PROPOSABLE, proposalProblems, scopeEntries, type ScopeChoice } from './consentForm';
import { ScopeTable } from './ScopeTable';

/** Which of the person's documents the page offers now: the letter while consent is awaited, the receipt while a consent is in force. */
export function personDocuments(view: CaseView): { letter: boolean; receipt: boolean } {
  if (!view.mayInformPerson) return { letter: false, receipt: false };
  const consent = view.consent;
  return {
    letter: view.state === 'awaiting_consent',
    receipt: Boolean(consent && consent.decision === 'granted' && consent.valid && !consent.withdrawnAt),
  };
}

/**
 * Under the consent banner, for the referrer and their service: the information letter to give
 * the person before asking their consent, printing the sharing the referrer proposes (ticked here:
 * everything the cellule allows at first), and the receipt of what they agreed to, carrying the
 * code of their transparency page (each new receipt replaces the previous code). Once a letter is
 * printed, `onLetter` hands its proposal to the consent form, which starts from it.
 */
export function PersonDocuments({ view, onLetter }: { view: CaseView; onLetter?: (proposal: ScopeChoice) => void }) {
  const offer = personDocuments(view);
  const proposable = view.proposable ?? NOTHING_PROPOSABLE;
  const [failure, setFailure] = useState<string | undefined>();
  const [done, setDone] = useState<string | undefined>();
  const [proposal, setProposal] = useState<ScopeChoice>(() => fullScope(proposable));
  const [scopeError, setScopeError] = useState<string | undefined>();
  if (!offer.letter && !offer.receipt) return null;

  const run = async (kind: 'letter' | 'receipt') => {
    setFailure(undefined);
    setDone(undefined);
    setScopeError(undefined);
    try {
      if (kind === 'letter') {
        const problems = proposalProblems(proposal, proposable);
        if (problems.scope) return setScopeError(problems.scope);
        saveBlob(await fetchInformationLetter(view.id, scopeEntries(proposal, proposable)), `lettre-information-${view.reference}.pdf`);
        onLetter?.(proposal);
        setDone('La lettre est téléchargée. Le formulaire de consentement partira de ce que vous avez proposé.');
      } else {
        saveBlob(await fetchConsentReceipt(view.id), `recepisse-${view.reference}.pdf`);
        setDone('Le récépissé est téléchargé. Son code remplace celui des récépissés précédents.');
      }
    } catch (error) {
      const byField = Object.entries(fieldErrors(error)).find(([field]) => field.startsWith('scope'));
      if (byField) return setScopeError('La cellule ne permet pas de proposer un de ces partages. Rechargez la page, puis cochez de nouveau.');
      setFailure(
        error instanceof ApiError && error.status === 409
          ? 'Ce document ne correspond plus à l’étape de la situation. Rechargez la page.'
          : 'Le document n’a pas pu être préparé. Réessayez ; si l’erreur persiste, prévenez la coordination.',
      );
    }
  };

  return (
    <section aria-labelledby="titre-documents-personne" className="stack person-documents">
      <h2 id="titre-documents-personne">Documents pour la personne</h2>
      {failure && (
        <div role="alert">
          <Notice type={VariantType.ERROR}>{failure}</Notice>
        </div>
      )}
      {done && (
        <div role="status">
          <Notice type={VariantType.SUCCESS}>{done}</Notice>
        </div>
      )}
      {offer.letter && (
        <div>
          <p>
            Remettez cette lettre à la personne avant de lui demander son accord. Elle explique en mots simples ce qui serait partagé, avec qui, combien de
            temps, comment changer d’avis, et ses droits. Elle ne contient que la référence de la situation.
          </p>
          <ChoiceGroup
            legend="Ce que vous proposez à la personne de partager, et avec qui"
            hint="Tout ce que la cellule permet est coché : décochez ce que vous ne proposez pas. La lettre n’annonce que ce qui reste coché."
            error={scopeError}
          >
            <ScopeTable
              caption="Partages proposés dans la lettre, par secteur et par catégorie d'information"
              value={proposal}
              onChange={setProposal}
              proposable={proposable}
            />
          </ChoiceGroup>
          <Button color="brand" variant="secondary" onClick={() => void run('letter')}>
            Lettre d’information
          </Button>
        </div>
      )}
      {offer.receipt && (
        <div>
          <p>
            Le récépissé dit à la personne ce qu’elle a accepté et jusqu’à quand. Il porte un code pour voir, sur la page « Qui a lu mon dossier ? », quels
            services ont lu son dossier. Chaque nouveau récépissé porte un nouveau code : le code du récépissé précédent ne marche plus.
          </p>
          <Button color="brand" variant="secondary" onClick={() => void run('receipt')}>
            Récépissé pour la personne
          </Button>
        </div>
      )}
    </section>
  );
}
