/**
 * Colour contrast as WCAG 2 defines it (relative luminance of sRGB, ratio (L1 + 0.05) / (L2 + 0.05)),
 * for colours the editor computes: a node kind's colour behind white text, a heat-map cell behind its
 * number. Text needs 4.5:1 (WCAG 1.4.3, AA).
 */
export const AA = 4.5;

type RGB = [number, number, number];

function rgbOf(hex: string): RGB {
  const m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex.trim());
  if (!m) throw new Error(`not a #rgb or #rrggbb colour: "${hex}"`);
  const h = m[1]!.length === 3 ? [...m[1]!].map((c) => c + c).join("") : m[1]!;
  return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)) as RGB;
}

const hexOf = (rgb: RGB): string => `#${rgb.map((c) => Math.round(c).toString(16).padStart(2, "0")).join("")}`;

export function luminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as RGB;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** `over` laid on `under` with opacity `alpha` (0–1), as the browser paints it. */
export function blend(over: string, under: string, alpha: number): string {
  const a = rgbOf(over);
  const b = rgbOf(under);
  return hexOf([0, 1, 2].map((i) => a[i]! * alpha + b[i]! * (1 - alpha)) as RGB);
}

const darkened = new Map<string, string>();

/**
 * The colour, darkened as little as needed (same hue) for `text` on it to reach `ratio`.
 * Remembered: every node on the canvas asks on every render.
 */
export function darkenFor(color: string, text = "#ffffff", ratio = AA): string {
  const key = `${color} ${text} ${ratio}`;
  let found = darkened.get(key);
  for (let k = 0; found === undefined && k <= 100; k++) {
    const c = blend("#000000", color, k / 100);
    if (contrast(c, text) >= ratio) found = c;
  }
  found ??= "#000000";
  darkened.set(key, found);
  return found;
}

/** Of white and the page's text colour, the one that reads better on `background`. */
export function textOn(background: string, dark = "#1f2430"): string {
  return contrast(background, "#ffffff") >= contrast(background, dark) ? "#ffffff" : dark;
}
