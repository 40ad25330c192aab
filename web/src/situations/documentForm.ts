import type { Schemas } from '../api/client';

export type DocumentClass = Schemas['DocumentClass'];
export type DocumentMediaType = Schemas['DocumentMediaType'];
export type DocumentItem = Schemas['DocumentItemDto'];
export type DocumentList = Schemas['DocumentListDto'];

/** What each class means for a document, in one sentence: the uploader chooses who may receive it. */
export const DOCUMENT_CLASS_LABEL: Record<DocumentClass, { label: string; help: string }> = {
  identity: {
    label: 'Identité de la personne',
    help: 'Consentement signé, pièce d’identité, courrier nominatif : communiqué seulement à qui reçoit toute l’identité (vous).',
  },
  social: {
    label: 'Situation sociale',
    help: 'Courrier du bailleur, de la CAF, d’un créancier : communiqué comme la situation sociale, selon le consentement.',
  },
  health: {
    label: 'Éléments de santé',
    help: 'Compte rendu, certificat : communiqué aux seuls professionnels de santé que le consentement désigne.',
  },
};

export const MEDIA_TYPE_LABEL: Record<DocumentMediaType, string> = {
  'application/pdf': 'PDF',
  'image/png': 'Image PNG',
  'image/jpeg': 'Image JPEG',
};

/**
 * The type of a file from its first bytes, as the server recognises it (magic numbers): the
 * page tells at once that a file is not accepted, whatever its name; the server decides anyway.
 */
export function mediaTypeOf(head: Uint8Array): DocumentMediaType | undefined {
  const starts = (...bytes: number[]) => head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
  if (starts(0x25, 0x50, 0x44, 0x46, 0x2d)) return 'application/pdf';
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  return undefined;
}

/** A size as French readers write it: « 850 octets », « 12 Ko », « 3,4 Mo ». */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} octet${bytes > 1 ? 's' : ''}`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} Ko`;
  const mb = bytes / (1024 * 1024);
  return `${mb.toLocaleString('fr-FR', { maximumFractionDigits: mb < 10 ? 1 : 0 })} Mo`;
}

export interface UploadForm {
  cls: DocumentClass | '';
  file?: { name: string; size: number; head: Uint8Array };
}

/** What to correct before sending, by field (`class`, `file`), in French. */
export function uploadProblems(form: UploadForm, rules: DocumentList['upload']): Record<string, string> {
  const problems: Record<string, string> = {};
  if (!form.cls) problems.class = 'Choisissez à quoi ce document se rapporte : cela décide qui pourra le lire.';
  else if (!rules.classes.includes(form.cls)) problems.class = 'Vous ne pouvez pas classer un document sous cette rubrique.';
  if (!form.file) problems.file = 'Choisissez un fichier.';
  else if (form.file.size === 0) problems.file = 'Ce fichier est vide.';
  else if (form.file.size > rules.maxBytes)
    problems.file = `Ce fichier pèse ${fileSize(form.file.size)} : un document pèse au plus ${fileSize(rules.maxBytes)}.`;
  else if (!mediaTypeOf(form.file.head)) problems.file = 'Seuls les documents PDF, PNG ou JPEG sont acceptés (le contenu du fichier compte, pas son nom).';
  return problems;
}

/** The server's refusal of an upload, on the field it concerns (413, 415 and 400 name it). */
export function uploadRefusal(
  status: number,
  field: string | undefined,
  rules: DocumentList['upload'],
): { field: 'class' | 'file' | undefined; message: string } {
  if (status === 413) return { field: 'file', message: `Ce fichier dépasse la taille autorisée (${fileSize(rules.maxBytes)} au plus).` };
  if (status === 415) return { field: 'file', message: 'Seuls les documents PDF, PNG ou JPEG sont acceptés (le contenu du fichier compte, pas son nom).' };
  if (status === 400 && field === 'class') return { field: 'class', message: 'Choisissez une rubrique proposée.' };
  if (status === 400) return { field: 'file', message: 'Ce fichier n’est pas accepté.' };
  if (status === 409) return { field: undefined, message: 'La situation est close : on n’y ajoute plus de document.' };
  if (status === 410) return { field: undefined, message: 'Les informations de cette situation ont été effacées.' };
  if (status === 403) return { field: undefined, message: 'Seul le référent de la situation y dépose des documents.' };
  return { field: undefined, message: 'Le document n’a pas pu être déposé. Réessayez ; si l’erreur persiste, prévenez la coordination.' };
}

/** The classes whose documents are not shown, with why, in the order of the page. */
export function withheldDocuments(
  list: Pick<DocumentList, 'withheld'>,
): { cls: DocumentClass; reason: NonNullable<DocumentList['withheld'][DocumentClass]> }[] {
  return (['identity', 'social', 'health'] as const).flatMap((cls) => {
    const reason = list.withheld[cls];
    return reason ? [{ cls, reason }] : [];
  });
}
