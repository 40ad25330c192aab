/**
 * The two documents given to the person (issue 15), as PDFs in plain French (pdfkit, as the
 * session record: src/commissions/record.pdf.ts): the information letter, while their consent is
 * asked, and the receipt of what they agreed to, with the transparency code. Neither holds any
 * data of the person: the situation's reference, the policy, the consent's scope and dates.
 */
import { openPdf, pdfText as plain } from '../common/pdf.js';
import type { Policy, ProtectedClass, Sector } from '../access/policy.types.js';
import { CLASS_WORDS, SECTOR_SHORT, durationWords, whoSeesWhat } from './words.js';

const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

interface Writer {
  title(text: string): void;
  heading(text: string): void;
  line(text: string): void;
  small(text: string): void;
  box(lines: string[]): void;
  end(): Promise<Buffer>;
}

async function writer(title: string): Promise<Writer> {
  const { doc, done } = await openPdf(title);
  return {
    title(text) {
      doc.font('Helvetica-Bold').fontSize(20).fillColor('#000000').text(plain(text));
      doc.moveDown(0.5);
    },
    heading(text) {
      doc.moveDown(0.6).font('Helvetica-Bold').fontSize(14).fillColor('#000000').text(plain(text));
      doc.moveDown(0.2);
    },
    line(text) {
      doc.font('Helvetica').fontSize(12).fillColor('#000000').text(plain(text), { lineGap: 3 });
    },
    small(text) {
      doc.font('Helvetica').fontSize(9).fillColor('#444444').text(plain(text));
      doc.fillColor('#000000');
    },
    box(lines) {
      doc.moveDown(0.5);
      const top = doc.y;
      doc.font('Helvetica-Bold').fontSize(15);
      for (const l of lines) doc.text(plain(l), 72, doc.y + 6, { width: 451 });
      const bottom = doc.y + 8;
      doc
        .rect(62, top, 471, bottom - top)
        .lineWidth(1.5)
        .stroke();
      doc.x = 56;
      doc.y = bottom + 6;
    },
    end() {
      doc.end();
      return done;
    },
  };
}

function rights(w: Writer, policy: Policy): void {
  w.heading('Vos droits');
  w.line('Vous pouvez demander à voir les informations sur vous.');
  w.line('Vous pouvez demander de les corriger.');
  w.line('Vous pouvez demander de les effacer.');
  w.line('Vous pouvez demander de limiter ce que nous en faisons.');
  w.line('Vous pouvez dire non à leur utilisation.');
  w.line('Vous pouvez demander une copie pour vous.');
  w.line('Nous vous répondons dans un délai d’un mois.');
  w.line('Si vous n’êtes pas content de la réponse, vous pouvez écrire à la CNIL (www.cnil.fr).');
  w.small('Règlement général sur la protection des données (RGPD), articles 12 et 15 à 21.');
  w.heading('Qui contacter ?');
  w.line(`Pour vos droits, écrivez au délégué à la protection des données : ${policy.dpo.name}.`);
  w.line(`Son adresse : ${policy.dpo.contact}.`);
  w.line(`Le responsable de ces informations est : ${policy.controller.name}.`);
  w.small(`Adresse : ${policy.controller.address}. Les informations sont hébergées par : ${policy.host.name} (${policy.host.certification}).`);
}

function withdrawal(w: Writer): void {
  w.heading('Vous pouvez changer d’avis');
  w.line('Vous pouvez retirer votre accord à tout moment.');
  w.line('Il suffit de le dire à la personne qui vous accompagne.');
  w.line('Vous pouvez aussi le dire à la coordination de la cellule.');
  w.line('Dès que c’est noté, plus rien n’est partagé.');
  w.line('Retirer votre accord ne vous fait rien perdre. Vous gardez votre accompagnement.');
}

/** The information letter: what the cellule is, who would see what (the proposed scope), for how long, withdrawal, rights, contact. */
export async function renderInformationLetter(
  policy: Policy,
  reference: string,
  proposal: { sector: Sector; classes: ProtectedClass[] }[],
  at: Date,
): Promise<Buffer> {
  const w = await writer('Lettre d’information');
  w.title('La cellule : ce qu’il faut savoir');
  w.line(`Référence de votre situation : ${reference}`);
  w.small(`Lettre remise le ${day.format(at)}.`);

  w.heading('Qu’est-ce que la cellule ?');
  w.line('La cellule est une réunion de professionnels de votre ville.');
  w.line('Ils travaillent ensemble pour vous aider.');
  w.line('Il y a par exemple des soignants, des travailleurs sociaux, le bailleur, la mairie.');
  w.line('La personne qui vous accompagne a demandé l’aide de la cellule.');

  w.heading('Nous vous demandons votre accord');
  w.line('Pour vous aider, les professionnels ont besoin de partager des informations sur vous.');
  w.line('Vous choisissez ce qui est partagé, et avec qui.');
  w.line('Vous pouvez dire oui à tout, à une partie, ou dire non.');
  w.line('Si vous dites non, la cellule peut quand même parler de votre situation, mais sans votre nom.');

  w.heading('Qui verra quoi ?');
  for (const l of whoSeesWhat(policy, proposal)) w.line(l);

  w.heading('Combien de temps ?');
  w.line(`Votre accord dure au plus ${policy.consent.defaultValidityMonths} mois.`);
  w.line('Ensuite, on vous demande de nouveau votre accord.');
  w.line(
    `Les informations sur vous sont effacées ${durationWords(policy.retention.protectedClassesAfterClosureDays)} après la fin de l’accompagnement par la cellule.`,
  );
  w.line(`Nous gardons la trace de qui a lu votre dossier pendant ${durationWords(policy.retention.auditLogDays)}.`);

  withdrawal(w);

  w.heading('Savoir qui a lu votre dossier');
  w.line('Si vous donnez votre accord, vous recevez un récépissé.');
  w.line('Sur ce récépissé, il y a un code secret.');
  w.line('Avec ce code, vous pouvez voir sur internet quels services ont lu votre dossier, et quand.');

  rights(w, policy);
  return w.end();
}

export interface ReceiptContent {
  reference: string;
  /** When the person was informed and agreed, when the consent was recorded, when it ends. */
  informedAt: Date;
  recordedAt: Date;
  expiresAt: Date | null;
  scope: { sector: Sector; classes: ProtectedClass[] }[];
  /** Given by a representative (a protective measure): the measure's name in words, or null. */
  representative: string | null;
  code: string;
  /** Where the transparency page is (the workspace's public origin + /app/transparence). */
  transparencyUrl: string;
  issuedAt: Date;
}

/** The receipt: sectors × classes agreed, dates, how to withdraw, the transparency code. */
export async function renderConsentReceipt(policy: Policy, r: ReceiptContent): Promise<Buffer> {
  const w = await writer('Récépissé de votre accord');
  w.title('Récépissé de votre accord');
  w.line(`Référence de votre situation : ${r.reference}`);
  w.small(`Récépissé remis le ${day.format(r.issuedAt)}.`);

  w.heading('Ce que vous avez accepté');
  w.line(`Vous avez donné votre accord le ${day.format(r.informedAt)}.`);
  if (r.representative) w.line(`L’accord a été donné par votre représentant (${r.representative}).`);
  if (!r.scope.length) w.line('Vous n’avez accepté aucun partage d’informations sur vous.');
  for (const s of r.scope) {
    w.line(`• ${SECTOR_SHORT[s.sector]} : ${s.classes.map((c) => CLASS_WORDS[c]).join(' ; ')}.`);
  }
  w.line('Personne d’autre ne reçoit ces informations.');
  w.line(r.expiresAt ? `Votre accord s’arrête le ${day.format(r.expiresAt)}.` : 'Votre accord n’a pas de date de fin.');
  w.small(`Accord enregistré le ${day.format(r.recordedAt)}.`);

  withdrawal(w);

  w.heading('Votre code pour savoir qui a lu votre dossier');
  w.line(`Allez sur : ${r.transparencyUrl}`);
  w.line('Tapez la référence de votre situation et ce code :');
  w.box([r.code]);
  w.line('Gardez ce code pour vous. Ne le donnez à personne.');
  w.line('Si on vous donne un nouveau récépissé, l’ancien code ne marche plus.');

  rights(w, policy);
  return w.end();
}
