import { existsSync } from 'node:fs';
import path from 'node:path';
import { brandColorProblems } from './theme.js';

/** The web workspace's part of the configuration: where the built SPA is, the operator's theme, the browser session. */
export interface WebConfig {
  /** The Vite build of web/ (`npm run build`); absent: /app answers 503 saying so. */
  readonly distDir: string;
  readonly operator: {
    /** Shown in the header and the page titles. */
    readonly name: string;
    /** An SVG or PNG file served at /app/logo; absent: a neutral mark. */
    readonly logoPath: string | undefined;
  };
  /**
   * The theme's colour: Cunningham's brand scale is derived from it (src/web/theme.ts), and a
   * colour that white text cannot be read on (WCAG AA, 4.5:1) is refused at start.
   */
  readonly brandColor: string;
  readonly session: {
    /** A browser session ends after this long without a request. */
    readonly idleSeconds: number;
    /** …and at the latest this long after it opened, active or not. */
    readonly maxSeconds: number;
  };
}

export const DEFAULT_BRAND_COLOR = '#1167D4';

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer between ${min} and ${max}`);
    return fallback;
  }
  return value;
}

/** Read with the rest of the configuration (src/config/config.ts): problems are listed together. */
export function loadWebConfig(env: NodeJS.ProcessEnv, problems: string[]): WebConfig {
  const name = (env.CELLULE_OPERATOR_NAME ?? '').trim() || 'Cellule';
  if (name.length > 80) problems.push('CELLULE_OPERATOR_NAME must be at most 80 characters');
  const logoPath = env.CELLULE_OPERATOR_LOGO ? path.resolve(env.CELLULE_OPERATOR_LOGO) : undefined;
  if (logoPath && !/\.(svg|png)$/i.test(logoPath)) problems.push('CELLULE_OPERATOR_LOGO must be an .svg or .png file');
  else if (logoPath && !existsSync(logoPath)) problems.push('CELLULE_OPERATOR_LOGO names a file that does not exist');
  const brandColor = (env.CELLULE_BRAND_COLOR ?? '').trim() || DEFAULT_BRAND_COLOR;
  if (!/^#[0-9a-fA-F]{6}$/.test(brandColor)) problems.push('CELLULE_BRAND_COLOR must be a colour as #RRGGBB');
  else problems.push(...brandColorProblems(brandColor));
  const idleSeconds = int(env, 'CELLULE_SESSION_IDLE_SECONDS', 15 * 60, 60, 4 * 3600, problems);
  const maxSeconds = int(env, 'CELLULE_SESSION_MAX_SECONDS', 12 * 3600, 300, 7 * 24 * 3600, problems);
  if (maxSeconds < idleSeconds) problems.push('CELLULE_SESSION_MAX_SECONDS must not be shorter than CELLULE_SESSION_IDLE_SECONDS');
  return {
    distDir: path.resolve(env.CELLULE_WEB_DIR || 'web/dist'),
    operator: { name, logoPath },
    brandColor: brandColor.toUpperCase(),
    session: { idleSeconds, maxSeconds },
  };
}
