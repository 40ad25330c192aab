/**
 * The closed record of a session as a PDF, in French, generated on the server (pdfkit: a
 * maintained library that writes text with the standard PDF fonts, no browser and no native
 * dependency). What it prints is what the record view holds for the reader: the commission's
 * name, the session's dates, who attended (professionals and organisations), and per situation
 * its reference, the decision (categories) and the pseudonymised texts. A text that names the
 * person is held and never printed, whoever asks. Nothing identifying the person is ever in it.
 */
import { openPdf, pdfText as plain } from '../common/pdf.js';
import type { RecordText, SessionRecordView } from './record.service.js';

const DECISION: Record<string, string> = {
  plan_adopted: "Plan d'action adopté",
  deferred: 'Examen reporté',
  advice: 'Avis donné au référent',
  closed: 'Situation clôturée',
};

const DEFERRAL: Record<string, string> = {
  information_missing: 'informations manquantes',
  person_not_consulted: 'personne pas encore consultée',
  partner_absent: 'partenaire concerné absent',
  out_of_time: 'temps insuffisant en séance',
  other: 'autre motif',
};

const OUTCOME: Record<string, string> = {
  resolved: 'situation résolue',
  improved: 'situation améliorée',
  oriented: 'orientée vers un autre dispositif',
  advice_given: 'avis donné',
  no_change: 'sans évolution',
  person_declined: 'refus de la personne',
  lost_contact: 'contact perdu',
  other: 'autre issue',
};

const AS: Record<string, string> = { member: 'membre', deputy: 'suppléant·e', invited: 'invité·e' };

const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const time = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' });

export const decisionLabel = (decision: string | null) => (decision ? DECISION[decision] : 'Décision non renseignée');

function textOf(t: RecordText | null, empty: string): string {
  if (!t) return empty;
  if (t.held) return '[texte retenu : il nomme la personne ; le référent est invité à le faire reformuler]';
  return t.text ?? empty;
}

export async function renderRecordPdf(record: SessionRecordView): Promise<Buffer> {
  const { doc, done } = await openPdf('Relevé de décisions');
  const write = (text: string, options: PDFKit.Mixins.TextOptions = {}) => doc.text(plain(text), options);

  doc.font('Helvetica-Bold').fontSize(18);
  write('Relevé de décisions');
  doc.font('Helvetica').fontSize(11).moveDown(0.3);
  write(record.commissionName);
  write(`Séance du ${day.format(record.startsAt)}, de ${time.format(record.startsAt)} à ${time.format(record.endsAt)}`);
  if (record.closedAt) write(`Relevé clos le ${day.format(record.closedAt)} à ${time.format(record.closedAt)}`);
  doc.fontSize(9).fillColor('#444444');
  write('Document pseudonymisé : les situations sont désignées par leur référence ; aucune donnée identifiant la personne n’y figure.');
  doc.fillColor('#000000').moveDown();

  doc.font('Helvetica-Bold').fontSize(13);
  write('Présents');
  doc.font('Helvetica').fontSize(10);
  if (!record.attendees.length && !record.guests.length) write('Aucune présence enregistrée.');
  for (const a of record.attendees) {
    const extra = a.caseReference ? ` — pour la situation ${a.caseReference}` : '';
    write(`• ${a.displayName}${a.organisationName ? ` (${a.organisationName})` : ''}, ${AS[a.as] ?? a.as}${extra}`);
  }
  for (const g of record.guests) {
    const extra = g.caseReference ? ` — pour la situation ${g.caseReference}` : '';
    write(`• ${g.organisationName}${g.functionLabel ? `, ${g.functionLabel}` : ''} (partenaire invité)${extra}`);
  }
  doc.moveDown();

  doc.font('Helvetica-Bold').fontSize(13);
  write('Situations examinées');
  if (!record.items.length) {
    doc.font('Helvetica').fontSize(10);
    write('Aucune situation.');
  }
  for (const item of record.items) {
    doc.moveDown(0.6).font('Helvetica-Bold').fontSize(11);
    write(`Situation ${item.reference}`);
    doc.font('Helvetica').fontSize(10);
    let decision = decisionLabel(item.decision);
    if (item.decision === 'deferred' && item.deferralReason) decision += ` (motif : ${DEFERRAL[item.deferralReason] ?? item.deferralReason})`;
    if (item.decision === 'closed' && item.outcome) decision += ` (issue : ${OUTCOME[item.outcome] ?? item.outcome})`;
    write(`Décision : ${decision}`);
    doc.font('Helvetica-Bold');
    write('Analyse de la commission', { continued: false });
    doc.font('Helvetica');
    write(textOf(item.analysis, 'Non renseignée.'));
    doc.font('Helvetica-Bold');
    write('Préconisations');
    doc.font('Helvetica');
    write(textOf(item.recommendations, 'Non renseignées.'));
    if (item.contributions.length) {
      doc.font('Helvetica-Bold');
      write('Contributions écrites reçues avant la séance');
      doc.font('Helvetica');
      for (const c of item.contributions) write(`• ${c.organisationName ?? c.authorName} : ${textOf(c, '')}`);
    }
  }
  doc.end();
  return done;
}
