/**
 * The operator's colour as Cunningham design tokens. Cunningham's components read the brand scale
 * (`--c--globals--colors--brand-050` … `-950`); primary buttons put brand-050 text on brand-550,
 * links and brand text use brand-700 on white. The scale is mixed from the one configured colour
 * (lighter steps towards white, darker ones towards black), and both pairs must reach the WCAG AA
 * contrast of 4.5:1, or the start is refused: an operator cannot theme the workspace unreadable.
 */
type Rgb = [number, number, number];

const STEPS = [50, 100, 150, 200, 250, 300, 350, 400, 450, 500, 550, 600, 650, 700, 750, 800, 850, 900, 950] as const;

function parse(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function format([r, g, b]: Rgb): string {
  return (
    '#' +
    [r, g, b]
      .map((c) => Math.round(c).toString(16).padStart(2, '0'))
      .join('')
      .toUpperCase()
  );
}

function mix(a: Rgb, b: Rgb, weightOfB: number): Rgb {
  return [0, 1, 2].map((i) => a[i] + (b[i] - a[i]) * weightOfB) as Rgb;
}

function luminance([r, g, b]: Rgb): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** WCAG 2.1 contrast ratio of two #RRGGBB colours. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(parse(a)), luminance(parse(b))].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** brand-050 … brand-950 with the configured colour at 550 (the primary button's background). */
export function brandScale(color: string): Record<string, string> {
  const base = parse(color);
  const scale: Record<string, string> = {};
  for (const step of STEPS) {
    const key = `brand-${String(step).padStart(3, '0')}`;
    if (step < 550) scale[key] = format(mix(base, [255, 255, 255], ((550 - step) / 500) * 0.95));
    else if (step > 550) scale[key] = format(mix(base, [0, 0, 0], ((step - 550) / 400) * 0.8));
    else scale[key] = format(base);
  }
  return scale;
}

/** The contrast problems of a brand colour, as configuration errors (empty when readable). */
export function brandColorProblems(color: string): string[] {
  const scale = brandScale(color);
  const problems: string[] = [];
  const onButton = contrast(scale['brand-050'], scale['brand-550']);
  if (onButton < 4.5) problems.push(`CELLULE_BRAND_COLOR ${color}: button text contrast ${onButton.toFixed(2)}:1 is below 4.5:1, choose a darker colour`);
  const asText = contrast(scale['brand-700'], '#FFFFFF');
  if (asText < 4.5) problems.push(`CELLULE_BRAND_COLOR ${color}: text contrast ${asText.toFixed(2)}:1 on white is below 4.5:1, choose a darker colour`);
  return problems;
}

/**
 * /app/theme.css. `:root:root` outranks Cunningham's own `:root` whatever order the two style
 * sheets load in.
 */
export function themeCss(color: string): string {
  const lines = Object.entries(brandScale(color)).map(([key, value]) => `  --c--globals--colors--${key}: ${value};`);
  return `/* Generated from CELLULE_BRAND_COLOR (src/web/theme.ts). */\n:root:root {\n${lines.join('\n')}\n}\n`;
}
