/** Nextcloud's Database backend refuses longer display names (`mb_strlen > 64` → 101 Invalid displayname). */
export const NEXTCLOUD_DISPLAY_NAME_MAX = 64;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Shortens a name to what Nextcloud stores, counting code points as PHP's mb_strlen does,
 * and cutting only between graphemes so no emoji or accent is split.
 */
export function toNextcloudDisplayName(name: string, max = NEXTCLOUD_DISPLAY_NAME_MAX): string {
  const trimmed = name.trim();
  if ([...trimmed].length <= max) return trimmed;
  let out = "";
  let length = 0;
  for (const { segment } of graphemes.segment(trimmed)) {
    const size = [...segment].length;
    if (length + size > max) break;
    out += segment;
    length += size;
  }
  return out.trimEnd();
}
