import { VariantType } from '@gouvfr-lasuite/cunningham-react';
import type { Schemas } from '../api/client';
import { count, dateTime } from '../shared/format';
import { BREAK_REASON_LABEL } from '../shared/labels';

/**
 * The chain verification's answer in plain words: intact (how much was checked, the last signed
 * checkpoint, what is not sealed yet), or where it breaks and why — what a DPO writes in a report.
 */
export function verifyWords(report: Schemas['VerifyReportDto'], at: string): { type: VariantType; title: string; lines: string[] } {
  const sealed = `${count(report.checked, 'entrée vérifiée', 'entrées vérifiées', 'aucune entrée scellée à vérifier')}, ${count(
    report.checkpoints,
    'point de contrôle signé',
    'points de contrôle signés',
    'aucun point de contrôle signé',
  )}.`;
  const checkpoint = report.lastCheckpoint
    ? `Dernier point de contrôle signé : ${dateTime(report.lastCheckpoint.createdAt)} (entrée n° ${report.lastCheckpoint.seq}, clé ${report.lastCheckpoint.keyId}).`
    : 'Aucun point de contrôle n’a encore été signé.';
  const pending =
    report.unsealed === 0
      ? undefined
      : report.unsealed === 1
        ? '1 entrée toute récente n’était pas encore scellée : elle le sera sous peu, et vérifiée la prochaine fois.'
        : `${report.unsealed} entrées toutes récentes n’étaient pas encore scellées : elles le seront sous peu, et vérifiées la prochaine fois.`;
  const purged = report.purgedThroughSeq
    ? `Les entrées jusqu’au n° ${report.purgedThroughSeq} ont été purgées au terme de leur durée de conservation, sous un point de contrôle signé.`
    : undefined;
  // Incremental: only what was sealed since the previous intact verification was recomputed.
  const since =
    report.mode === 'incremental' && report.fromSeq !== null
      ? `Vérification depuis la précédente (jusqu’à l’entrée n° ${report.fromSeq}, déjà vérifiée) : seules les entrées scellées depuis ont été recalculées ; une vérification complète recalcule tout le journal.`
      : undefined;
  if (report.ok) {
    return {
      type: VariantType.SUCCESS,
      title: `Le journal est intact (vérifié le ${dateTime(at)}).`,
      lines: [
        `Chaque entrée scellée est à sa place et n’a pas été modifiée, et chaque point de contrôle porte une signature valable : ${sealed}`,
        ...(since ? [since] : []),
        checkpoint,
        ...(purged ? [purged] : []),
        ...(pending ? [pending] : []),
      ],
    };
  }
  const why = report.reason ? BREAK_REASON_LABEL[report.reason] : 'la chaîne ne se recalcule pas';
  return {
    type: VariantType.ERROR,
    title: `Le journal a été altéré : ${why}.`,
    lines: [
      report.firstBrokenId
        ? `Première entrée qui n’est plus fiable : n° ${report.firstBrokenId}${report.brokenSeq ? ` (position ${report.brokenSeq} dans la chaîne)` : ''}. Les entrées qui la précèdent ont été vérifiées.`
        : 'La vérification n’a pas pu désigner d’entrée.',
      `Avant la rupture : ${sealed}`,
      'Conservez cette page, prévenez le responsable du traitement et l’hébergeur, et ne modifiez rien : la base de données doit être examinée telle quelle.',
    ],
  };
}
