/**
 * The copy of a person's data (GDPR art. 15.3) for one situation, as a PDF in French (pdfkit, as
 * the session record: src/commissions/record.pdf.ts). It holds what the cellule keeps about her
 * in that situation — her identity, the summary of her situation, the social and health content
 * — and nothing of anyone else: it is built from that situation's own sealed fields only. It is
 * handed over by the referrer or the handler the coordinator named, never by the DPO.
 */
import { openPdf, pdfText as plain } from '../common/pdf.js';
import type { CaseState } from '../cases/machine/context.js';

export interface CopySituation {
  reference: string;
  state: CaseState;
  createdAt: Date;
  fields: Record<'identity' | 'summary' | 'social' | 'health', Record<string, string>>;
}

const SECTIONS: { cls: keyof CopySituation['fields']; title: string }[] = [
  { cls: 'identity', title: 'Votre identité' },
  { cls: 'summary', title: 'Le résumé de votre situation' },
  { cls: 'social', title: 'Votre situation sociale' },
  { cls: 'health', title: 'Votre santé' },
];

const LABELS: Record<string, string> = {
  lastName: 'Nom',
  firstName: 'Prénom(s)',
  birthDate: 'Date de naissance',
  address: 'Adresse',
  phone: 'Téléphone',
  email: 'Courriel',
  narrative: 'Récit',
  question: 'Question posée à la cellule',
  alreadyTried: 'Ce qui a déjà été essayé',
  expectations: 'Ce qui est attendu',
  district: 'Quartier',
};

const STATES: Partial<Record<CaseState, string>> = {
  closed: 'clôturée',
  purged: 'effacée',
  draft: 'en préparation',
};

const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

export async function renderCopyPdf(situation: CopySituation, at: Date): Promise<Buffer> {
  const { doc, done } = await openPdf('Copie de vos données');
  const write = (text: string) => doc.text(plain(text));

  doc.font('Helvetica-Bold').fontSize(18);
  write('Copie de vos données');
  doc.font('Helvetica').fontSize(11).moveDown(0.3);
  write(`Situation ${situation.reference}, ouverte le ${day.format(situation.createdAt)}${STATES[situation.state] ? `, ${STATES[situation.state]}` : ''}.`);
  write(`Document établi le ${day.format(at)}.`);
  doc.fontSize(10).fillColor('#444444').moveDown(0.3);
  write('Vous avez demandé une copie des données que la cellule garde sur vous. Les voici. Ce document ne contient que vos données.');
  write('Si une donnée est fausse, vous pouvez demander de la corriger. Vous pouvez aussi demander de les effacer.');
  doc.fillColor('#000000').moveDown();

  for (const section of SECTIONS) {
    const entries = Object.entries(situation.fields[section.cls]).sort(([a], [b]) => a.localeCompare(b));
    if (!entries.length) continue;
    doc.font('Helvetica-Bold').fontSize(13);
    write(section.title);
    doc.font('Helvetica').fontSize(10);
    for (const [field, value] of entries) write(`${LABELS[field] ?? field} : ${value}`);
    doc.moveDown();
  }
  doc.end();
  return done;
}
