// What an error says to the user, in the user's language. The server's envelope carries an English
// message and a code; the code picks the text here (codes are never shown), and a field problem's
// English sentence (core/json_body.cpp's few shapes) is recognised and said again in the language.
import { ApiError } from '../api/client';
import { translate, type Lang, type MessageKey } from '../i18n';

/** Every error code of the HTTP contract, and the client's own for a lost network or a bad answer. */
export const ERROR_CODES = [
  'INVALID_JSON',
  'VALIDATION_ERROR',
  'UNAUTHORIZED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'INVALID_TOKEN',
  'PAYMENT_FAILED',
  'EMAIL_NOT_VERIFIED',
  'EMAIL_TAKEN',
  'OUT_OF_STOCK',
  'FUNDING_CLOSED',
  'REWARD_UNAVAILABLE',
  'INVALID_TRANSITION',
  'IDEMPOTENCY_CONFLICT',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'INTERNAL_ERROR',
  'SERVICE_UNAVAILABLE',
  'NETWORK_ERROR',
  'BAD_RESPONSE',
] as const;

const byStatus: Record<number, string> = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'SERVICE_UNAVAILABLE',
};

function codeOf(err: ApiError): string {
  if ((ERROR_CODES as readonly string[]).includes(err.code)) return err.code;
  if (byStatus[err.status]) return byStatus[err.status];
  return err.status >= 500 ? 'INTERNAL_ERROR' : 'BAD_RESPONSE';
}

/** How long to wait, said in seconds up to 90 and in minutes (rounded up) above. */
export function waitText(lang: Lang, seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return translate(lang, 'error.RATE_LIMITED');
  if (seconds <= 90) return translate(lang, 'error.RATE_LIMITED.seconds', { n: Math.ceil(seconds) });
  return translate(lang, 'error.RATE_LIMITED.minutes', { n: Math.ceil(seconds / 60) });
}

/** The one sentence an error box leads with. */
export function errorText(err: unknown, lang: Lang): string {
  if (!(err instanceof ApiError)) return translate(lang, 'common.error');
  const code = codeOf(err);
  if (code === 'RATE_LIMITED') return waitText(lang, err.retryAfter);
  if (code === 'VALIDATION_ERROR' && Object.keys(err.fieldErrors).length > 0) return translate(lang, 'error.VALIDATION_ERROR.fields');
  return translate(lang, `error.${code}` as MessageKey);
}

const fieldShapes: [RegExp, MessageKey, (m: RegExpMatchArray) => Record<string, string>][] = [
  [/ is required\b/i, 'field.required', () => ({})],
  [/ must not be empty$/i, 'field.required', () => ({})],
  [/ must be (\d+) to (\d+) characters/i, 'field.length', (m) => ({ min: m[1], max: m[2] })],
  [/ must be at least (\d+) characters/i, 'field.atLeastChars', (m) => ({ min: m[1] })],
  [/ must be at most (\d+) characters/i, 'field.atMostChars', (m) => ({ max: m[1] })],
  [/ must be between (-?\d+) and (-?\d+)/i, 'field.between', (m) => ({ min: m[1], max: m[2] })],
  [/ must be at least (-?\d+)$/i, 'field.atLeast', (m) => ({ min: m[1] })],
  [/ must be an integer/i, 'field.integer', () => ({})],
  [/ is too large/i, 'field.tooLarge', () => ({})],
  [/ must be one of/i, 'field.oneOf', () => ({})],
  [/ISO 8601|must be a date/i, 'field.date', () => ({})],
  [/^must be in the future/i, 'field.future', () => ({})],
  [/http\(s\) URL/i, 'field.url', () => ({})],
  [/too common/i, 'field.commonPassword', () => ({})],
  [/is not your current password/i, 'field.currentPassword', () => ({})],
];

/**
 * A field problem from the server, in the user's language: the known shapes of the server's
 * sentences are said again (without the field's internal name, since it sits next to its label);
 * anything else is the server's sentence in English and a plain "check this value" in Korean.
 */
export function fieldErrorText(message: string, lang: Lang): string {
  for (const [re, key, vars] of fieldShapes) {
    const m = message.match(re);
    if (m) return translate(lang, key, vars(m));
  }
  if (lang === 'en' && message) return message.charAt(0).toUpperCase() + message.slice(1);
  return translate(lang, 'field.invalid');
}

/** The server's field problems (`details`), each in the user's language. */
export function fieldErrorsText(err: unknown, lang: Lang): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const [field, msg] of Object.entries(err.fieldErrors)) out[field] = fieldErrorText(msg, lang);
  return out;
}

export const isNotFound = (err: unknown) => err instanceof ApiError && err.status === 404;
export const isNetworkError = (err: unknown) => err instanceof ApiError && err.status === 0;
