import type { CaseEventType, CaseState, Schemas } from '../api/client';
import { AGE_BAND_WORDS, CLOSURE_WORDS, MONTH_WORDS, OUTCOME_WORDS, PROBLEM_WORDS, SECTOR_WORDS, STATE_WORDS } from '../../../src/common/words.fr';

/**
 * The workspace's words. « situation », never « cas ». The codes the annual report's exports also
 * print take their words from src/common/words.fr.ts (one list for the server and the workspace). Each table is typed by the server's own
 * lists (the generated schema): when the server adds a state, an event or a sector, this file
 * stops compiling until the new word is written.
 */
export const STATE_LABEL: Record<CaseState, string> = STATE_WORDS;

export interface EventWording {
  /** The button. */
  label: string;
  /** One sentence under it, or in its dialog: what happens. */
  help: string;
}

export const EVENT_WORDING: Record<CaseEventType, EventWording> = {
  SUBMIT: { label: 'Envoyer la saisine', help: 'La coordination du CLSM reçoit la fiche et l’étudie avant de l’inscrire.' },
  ACCEPT: { label: 'Accepter la saisine', help: 'La situation relève de la cellule : le consentement de la personne est à recueillir.' },
  REJECT: { label: 'Ne pas retenir la saisine', help: 'La situation est close, avec la raison et une orientation proposée au référent.' },
  RECORD_CONSENT: { label: 'Enregistrer le consentement', help: 'Ce que la personne a accepté de partager, avec qui, et jusqu’à quand.' },
  REVIEW_WITHOUT_CONSENT: {
    label: 'Examiner sans consentement',
    help: 'Examen anonyme de pratique : seul le résumé pseudonymisé est présenté, rien d’autre n’est partagé.',
  },
  SCHEDULE: { label: "Inscrire à l'ordre du jour", help: 'La situation sera examinée lors de la séance choisie.' },
  UNSCHEDULE: { label: "Retirer de l'ordre du jour", help: 'La situation revient parmi celles prêtes pour un examen.' },
  START_REVIEW: { label: "Commencer l'examen", help: 'Les membres présents accèdent au dossier de la situation.' },
  ADOPT_PLAN: { label: "Adopter le plan d'action", help: 'Les actions, leurs responsables et leurs échéances sont enregistrés.' },
  DEFER: { label: "Reporter l'examen", help: 'La situation sera présentée à une prochaine séance.' },
  FOLLOW_UP_DUE: { label: 'Passer au suivi', help: "Le point d'étape sur le plan d'action est à faire dès maintenant." },
  CONTINUE: { label: 'Poursuivre le plan', help: "Le plan d'action continue jusqu'au prochain point d'étape." },
  CLOSE: { label: 'Clôturer la situation', help: 'La situation est close avec son résultat.' },
  REOPEN: { label: 'Rouvrir la situation', help: 'La situation revient parmi celles prêtes pour un examen.' },
  WITHDRAW_CONSENT: {
    label: 'Retrait du consentement',
    help: 'À la demande de la personne : plus rien n’est partagé et la situation est close. Vous gardez votre propre dossier.',
  },
  REVIEW_AGAIN: {
    label: 'Réexaminer en séance',
    help: 'La situation revient à l’ordre du jour d’une séance ; le plan continue en attendant.',
  },
  REVISE_PLAN: {
    label: 'Réviser le plan',
    help: 'Ajouter, redater ou annuler des actions ; une action en retard est reportée avec sa raison.',
  },
  SUSPEND: {
    label: 'Mettre en veille ou suspendre',
    help: 'Hospitalisation, incarcération, personne injoignable… : le délai du point d’étape est arrêté.',
  },
  RESUME: { label: 'Reprendre le plan', help: 'Le plan reprend ; la date du point d’étape est reculée du temps de la suspension.' },
  RECORD_EXTERNAL_REPORT: {
    label: 'Enregistrer un signalement',
    help: 'Un signalement ou une mesure prise hors de la cellule : nature, date, auteur, fondement légal. Aucun récit.',
  },
  EDIT_DRAFT: { label: 'Modifier le brouillon', help: 'Tant que la saisine n’est pas envoyée, vous la complétez ou la corrigez librement.' },
  DELETE_DRAFT: { label: 'Supprimer le brouillon', help: 'Le brouillon et les données de la personne sont effacés définitivement.' },
  RECTIFY: {
    label: 'Rectifier les informations',
    help: 'Droit de rectification (RGPD, art. 16) : la correction est tracée et l’ancienne valeur conservée chiffrée dans l’historique.',
  },
  SEND_BACK: { label: 'Renvoyer pour complément', help: 'La saisine revient au référent en brouillon, avec ce qu’il faut compléter. Ce n’est pas un refus.' },
  HAND_OVER: { label: 'Transmettre à un collègue', help: 'Un autre référent du même service devient le référent de la situation.' },
  RECORD_PLAN_AGREEMENT: {
    label: 'Enregistrer l’adhésion au plan',
    help: 'Ce que la personne pense du plan adopté : d’accord, en partie, en désaccord, pas encore sollicitée.',
  },
};

type Sector = Schemas['OrganisationDto']['sector'];

export const SECTOR_LABEL: Record<Sector, string> = SECTOR_WORDS;

export const CLASS_LABEL: Record<Schemas['DataClass'], string> = {
  meta: 'Référence et dates',
  summary: 'Résumé pseudonymisé',
  plan: "Plan d'action",
  consent: 'Consentement',
  identity: 'Identité de la personne',
  health: 'Éléments de santé',
  social: 'Situation sociale',
};

export const ROLE_LABEL: Record<Schemas['MeResponseDto']['roles'][number], string> = {
  referrer: 'Référent de situation',
  member: 'Membre de la cellule',
  coordinator: 'Coordination',
  auditor: 'Délégué à la protection des données',
  admin: 'Administration',
};

type Summary = Schemas['CreateCaseDto']['summary'];

export const AGE_BAND_LABEL: Record<Summary['ageBand'], string> = AGE_BAND_WORDS;

export const HOUSEHOLD_LABEL: Record<Summary['household'], string> = {
  alone: 'Vit seule',
  couple: 'En couple',
  couple_with_children: 'En couple avec enfants',
  single_parent: 'Parent seul avec enfants',
  with_family: 'Chez un proche ou en famille',
  shared: 'En colocation',
  institution: 'En établissement',
  homeless: 'Sans logement',
  other: 'Autre',
};

export const PROBLEM_LABEL: Record<Summary['problems'][number], string> = PROBLEM_WORDS;

export const ACTION_STATUS_LABEL: Record<Schemas['ActionState'], string> = {
  todo: 'À faire',
  in_progress: 'En cours',
  done: 'Faite',
  blocked: 'Bloquée',
  cancelled: 'Annulée',
};

export const RELATION_LABEL: Record<Schemas['Relation'], string> = {
  referrer: 'vous êtes le référent de cette situation',
  referring_service: 'votre service a adressé cette situation (vous pouvez enregistrer un retrait du consentement)',
  coordinator: 'vous coordonnez la cellule de ce territoire',
  attending_member: 'vous participez à la séance qui l’examine',
  action_owner: 'une action du plan vous est confiée',
};

export const CONSENT_METHOD_LABEL: Record<NonNullable<Schemas['CaseConsentDto']['method']>, string> = {
  written: 'par écrit',
  oral: 'oralement',
  representative: 'par son représentant légal',
};

/**
 * Why a class is not shown to this account (the case view's `withheld`), in one sentence a person
 * can act on. Never a value: the server sends a code.
 */
export const WITHHELD_LABEL: Record<Schemas['WithheldReason'], string> = {
  no_consent: 'La personne n’a pas encore donné son consentement au partage.',
  consent_not_valid: 'Le consentement de la personne a été refusé, retiré ou a expiré.',
  sector_not_in_consent_scope: 'Le consentement de la personne ne prévoit pas ce partage avec le secteur de votre organisation.',
  profession_not_qualified: 'Votre profession ne permet pas de recevoir ces informations, quel que soit le consentement.',
  not_action_owner: 'Seule une organisation qui porte une action du plan reçoit ces informations.',
  never_for_relation: 'Votre rôle dans cette situation ne donne jamais accès à ces informations (la coordination ne voit jamais l’identité ni les récits).',
  not_in_state: 'Ces informations ne vous sont pas communiquées à cette étape de la situation.',
  not_released_to_relation: 'Ces informations ne sont pas communiquées à votre rôle dans cette situation.',
  erased: 'Ces informations ont été effacées (durée de conservation atteinte ou demande de la personne).',
};

// ---- Oversight and administration (the auditor's and the admin's screens) ----

/** What each role does, in one sentence (the admin's account form, the home page). */
export const ROLE_HELP: Record<Schemas['Role'], string> = {
  referrer: 'Écrit les saisines de son organisation, recueille le consentement de la personne et suit ses situations.',
  member: 'Participe aux séances de la cellule ; voit ce que le consentement permet à son secteur, et les actions confiées à son organisation.',
  coordinator: "Anime la cellule du territoire : tri des saisines, ordre du jour, séances, statistiques. Ne voit jamais l'identité ni les récits.",
  auditor: 'Contrôle le journal des accès, vérifie son intégrité et répond aux demandes des personnes. Ne voit aucun contenu de situation.',
  admin: 'Gère les territoires, les organisations et les comptes. Ne voit aucun contenu de situation.',
};

/** What an organisation of each sector is, and the secret that binds it, in one sentence. */
export const SECTOR_HELP: Record<Schemas['Sector'], string> = {
  health: 'CMP, hôpital, médecins et soignants : tenus au secret médical, seuls à pouvoir recevoir des éléments de santé.',
  social: 'CCAS, service social du département : tenus au secret professionnel de l’action sociale.',
  housing: 'Bailleurs sociaux : reçoivent, avec le consentement, ce qu’il faut pour agir sur le logement, jamais d’élément de santé.',
  municipal: 'Services de la ville (hygiène, tranquillité publique, élus) : tenus à la discrétion par la charte de la cellule.',
  association: 'Associations d’accompagnement (entraide, familles, tutelles associatives) : tenues à la discrétion par la charte.',
  justice: 'Services de la justice (insertion et probation, protection judiciaire de la jeunesse) : tenus à la discrétion par la charte.',
  education: 'Établissements scolaires et services éducatifs : tenus à la discrétion par la charte de la cellule.',
  coordination: 'Coordination du CLSM : organise la cellule, ne reçoit jamais l’identité de la personne ni les récits.',
};

/** Professional categories after the Code de la santé publique (art. R1110-2): the name, and who falls in it. */
export const PROFESSION_LABEL: Record<Schemas['Profession'], { label: string; help: string }> = {
  physician: { label: 'Médecin', help: 'Psychiatre, médecin généraliste, médecin de santé publique…' },
  nurse: { label: 'Infirmier ou infirmière', help: 'Y compris infirmier de secteur psychiatrique ou de pratique avancée.' },
  psychologist: { label: 'Psychologue', help: 'Psychologue clinicien ou de l’établissement.' },
  other_health: { label: 'Autre professionnel de santé', help: 'Pharmacien, ergothérapeute, aide-soignant…' },
  social_worker: { label: 'Assistant ou assistante de service social', help: 'Diplômé d’État, tenu au secret professionnel.' },
  educator: { label: 'Éducateur ou éducatrice spécialisé(e)', help: 'Éducateur spécialisé, moniteur-éducateur, conseiller en économie sociale et familiale…' },
  legal_guardian: { label: 'Mandataire judiciaire à la protection des majeurs', help: 'Tuteur ou curateur désigné par le juge.' },
  social_care_staff: {
    label: 'Personnel d’un service social ou médico-social',
    help: 'Autre professionnel d’un établissement ou service social ou médico-social (CCAS, SAVS, SAMSAH…).',
  },
  none: { label: 'Aucune de ces catégories', help: 'Bailleur, élu, agent des services de la ville, bénévole…' },
};

/** The confidentiality regime of a sector (policies/sectors.yaml), as the register shows it. */
export const REGIME_LABEL: Record<string, string> = {
  medical_secrecy: 'Secret médical',
  professional_secrecy: 'Secret professionnel',
  discretion: 'Obligation de discrétion (charte de la cellule)',
  charter_only: 'Charte de la cellule seulement',
};

/** Who receives what in the register's data flows: the relation, as a recipient. */
export const RECIPIENT_LABEL: Record<Schemas['Relation'], string> = {
  referrer: 'Le référent qui a écrit la saisine (son propre dossier)',
  referring_service: 'Un collègue du référent, dans le service qui a adressé la situation (pour enregistrer un retrait du consentement)',
  coordinator: 'La coordination de la cellule du territoire',
  attending_member: 'Un membre présent à la séance qui examine la situation',
  action_owner: 'Une organisation qui porte une action du plan',
};

/** Why the audit chain does not verify, in words a DPO can report. */
export const BREAK_REASON_LABEL: Record<Schemas['AuditBreakReason'], string> = {
  hash_mismatch: 'le contenu de cette entrée a été modifié après son enregistrement',
  missing_entry: 'une entrée a été supprimée ou déplacée à cet endroit',
  missing_prefix: 'les entrées les plus anciennes ont disparu sans purge signée',
  checkpoint_mismatch: 'les entrées couvertes par un point de contrôle signé ont été réécrites',
  bad_signature: 'la signature d’un point de contrôle est fausse',
  unknown_key: 'un point de contrôle est signé par une clé inconnue',
  missing_checkpoint: 'un point de contrôle signé a été supprimé',
  anchor_signature: 'l’ancre fournie n’est pas signée par une clé de confiance',
  truncated: 'les entrées les plus récentes ont été supprimées depuis la dernière ancre',
  verified_mismatch: 'l’historique déjà vérifié a été réécrit depuis la vérification précédente (une vérification complète désigne l’entrée)',
};
export const SESSION_STATUS_LABEL: Record<Schemas['SessionStatus'], string> = {
  planned: 'Prévue',
  open: 'En cours',
  closed: 'Terminée',
};

/** The outcome categories of CLOSE (src/cases/machine/context.ts OUTCOME_CATEGORIES): kept in clear for statistics. */
export const OUTCOMES = ['resolved', 'improved', 'oriented', 'advice_given', 'no_change', 'person_declined', 'lost_contact', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const OUTCOME_LABEL: Record<Outcome, string> = OUTCOME_WORDS;

/** The person's agreement to the adopted plan (RECORD_PLAN_AGREEMENT, issue 12). */
export const PLAN_AGREEMENT_LABEL: Record<NonNullable<Schemas['CaseMetaDto']['planAgreement']>, string> = {
  agreed: 'La personne est d’accord avec le plan',
  partly: 'La personne est d’accord en partie',
  refused: 'La personne refuse le plan',
  not_asked: 'La personne n’a pas encore été sollicitée',
};

/** How a situation was closed (statistics; `open`: not closed). */
export const CLOSURE_LABEL: Record<NonNullable<NonNullable<Schemas['CaseMetaDto']['closure']>> | 'open', string> = CLOSURE_WORDS;

export const MONTH_LABEL: readonly string[] = MONTH_WORDS;

/** The protective measures of adults (Code civil) and, for a representative's consent, parental authority. */
export const PROTECTION_LABEL = {
  tutelle: 'Tutelle',
  curatelle: 'Curatelle',
  curatelle_renforcee: 'Curatelle renforcée',
  habilitation_familiale: 'Habilitation familiale',
  sauvegarde_de_justice: 'Sauvegarde de justice',
  mandat_protection_future: 'Mandat de protection future',
} as const;

/** Who holds parental authority over a minor person. */
export const PARENT_RELATION_LABEL = { mother: 'Mère', father: 'Père', guardian: 'Tuteur ou tutrice', other: 'Autre titulaire' } as const;
