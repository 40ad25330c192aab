import type { CaseView, Schemas } from '../api/client';
import { CLASS_LABEL, WITHHELD_LABEL } from '../shared/labels';

type DataClass = Schemas['DataClass'];

/** The classes in the order a person reads them: the workflow first, then the protected content. */
export const DISCLOSURE_ORDER: DataClass[] = ['meta', 'summary', 'plan', 'consent', 'identity', 'social', 'health'];

export interface Disclosure {
  cls: DataClass;
  label: string;
  shown: boolean;
  /** Why it is not shown, in one sentence (from the server's `withheld` code; never guessed). */
  why?: string;
}

/**
 * What this account receives of a situation, class by class, and for each class it does not
 * receive, why: the server's `withheld` code in French. A class neither released nor explained
 * (an older server) says so plainly rather than inventing a reason.
 */
export function disclosure(view: Pick<CaseView, 'released' | 'withheld' | 'erased'>): Disclosure[] {
  const released = new Set(view.released);
  return DISCLOSURE_ORDER.map((cls) => {
    if (released.has(cls)) return { cls, label: CLASS_LABEL[cls], shown: true };
    const reason = view.withheld?.[cls] ?? (view.erased?.includes(cls) ? 'erased' : undefined);
    return { cls, label: CLASS_LABEL[cls], shown: false, why: reason ? WITHHELD_LABEL[reason] : 'Ces informations ne sont pas communiquées à votre compte.' };
  });
}
