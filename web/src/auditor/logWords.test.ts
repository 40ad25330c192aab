import { describe, expect, it } from 'vitest';
import { actionLabel, classesLabel, purposeLabel } from './logWords';

describe('the access log in words', () => {
  it('names actions, events and refused routes', () => {
    expect(actionLabel('case.read')).toBe('Consultation de la situation');
    expect(actionLabel('case.event.SUBMIT')).toBe('Étape : envoyer la saisine');
    expect(actionLabel('auth.login')).toBe('Connexion');
    // The rights requests' operations, as a person's access report shows them.
    expect(actionLabel('rights.copy')).toBe('Copie des données de la personne téléchargée, pour la lui remettre');
    expect(actionLabel('system.rights.lookup.compare')).toBe('Vérification d’identité pour une demande de droits');
    expect(actionLabel('route:GET /audit/events')).toBe('Accès à une fonction (GET /audit/events)');
    expect(actionLabel('something.new')).toBe('something.new');
  });

  it('gives the ground of an access, or the reason of a refusal', () => {
    expect(purposeLabel({ decision: 'allow', purpose: 'referrer' })).toBe('référent de la situation');
    expect(purposeLabel({ decision: 'allow', purpose: 'attending_member,action_owner' })).toBe(
      'présent à la séance qui l’examine ; organisation porteuse d’une action du plan',
    );
    expect(purposeLabel({ decision: 'allow', purpose: 'dossier:attending_member' })).toBe('dossier de séance — présent à la séance qui l’examine');
    expect(purposeLabel({ decision: 'allow', purpose: 'audit' })).toBe('contrôle');
    expect(purposeLabel({ decision: 'deny', purpose: 'wrong_password' })).toBe('mot de passe erroné');
    expect(purposeLabel({ decision: 'deny', purpose: 'no_role' })).toBe('son rôle ne le permet pas');
    expect(purposeLabel({ decision: 'deny', purpose: 'policy: CLOSE not permitted to referrer' })).toBe(
      'cette étape n’est pas permise à son rôle dans la situation',
    );
    expect(purposeLabel({ decision: 'allow', purpose: null })).toBe('');
  });

  it('names the kinds of information', () => {
    expect(classesLabel(['identity', 'health'])).toBe('Identité de la personne, Éléments de santé');
  });
});
