/**
 * Whether a JOSE header's `typ` names `mediaType` (given without its `application/` prefix): RFC 7515
 * §4.1.9 lets producers omit that prefix, and media types compare case-insensitively (RFC 2045 §5.1).
 */
export const typIs = (typ: unknown, mediaType: string): boolean =>
  typeof typ === 'string' && typ.toLowerCase().replace(/^application\//, '') === mediaType;
