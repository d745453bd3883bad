const CITY_SUFFIX = /(市|州|盟|地区)$/;

/**
 * The city of a free-text location (同城, mobile-api §4.2): the part ending in 市/州/盟/地区, else the last part;
 * a trailing 市 is dropped so `成都` and `成都市` are the same city.
 */
export function cityOf(location: string | null | undefined): string | null {
  if (!location) return null;
  const parts = location
    .split(/[\s,，、/|·]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) return null;
  const city = parts.find((p) => CITY_SUFFIX.test(p)) ?? parts[parts.length - 1];
  const normalised = city.replace(/市$/, '');
  return normalised ? normalised.slice(0, 64) : null;
}
