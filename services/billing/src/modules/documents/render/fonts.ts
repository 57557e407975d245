import { readFileSync } from 'node:fs';
import * as fontkit from 'fontkit';

/**
 * The fonts every document embeds, from node_modules (packages of the npm registry that ship the
 * TTF files; the production image copies node_modules): Noto Sans for Latin text and figures,
 * Noto Sans Bengali for Bengali. Read once per process; nothing is fetched at run time.
 */
const FILES = {
  latin: '@expo-google-fonts/noto-sans/400Regular/NotoSans_400Regular.ttf',
  latinBold: '@expo-google-fonts/noto-sans/700Bold/NotoSans_700Bold.ttf',
  bengali: '@expo-google-fonts/noto-sans-bengali/400Regular/NotoSansBengali_400Regular.ttf',
  bengaliBold: '@expo-google-fonts/noto-sans-bengali/700Bold/NotoSansBengali_700Bold.ttf',
} as const;
export type FontName = keyof typeof FILES;

export interface LoadedFont {
  bytes: Buffer;
  /** Parsed once: shapes Bengali runs (conjuncts, reordered vowel signs) and measures them. */
  face: fontkit.Font;
}

let loaded: Record<FontName, LoadedFont> | null = null;

export function documentFonts(): Record<FontName, LoadedFont> {
  if (!loaded) {
    const entries = Object.entries(FILES).map(([name, file]) => {
      const bytes = readFileSync(require.resolve(file));
      return [name, { bytes, face: fontkit.create(bytes) as fontkit.Font }] as const;
    });
    loaded = Object.fromEntries(entries) as Record<FontName, LoadedFont>;
  }
  return loaded;
}
